package io.hoptrace.faults.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Byte-level damage to a valid message: random bytes, truncation, flips, insertions, deletions. */
public final class Mutations {
  private Mutations() {}

  public static byte[] random(Random r, int maxLength) {
    byte[] b = new byte[r.nextInt(maxLength + 1)];
    r.nextBytes(b);
    return b;
  }

  public static byte[] truncate(Random r, byte[] valid) {
    return Arrays.copyOf(valid, valid.length <= 1 ? 0 : r.nextInt(valid.length - 1) + 1);
  }

  /** One to eight random edits: overwrite, flip a bit, insert, delete, or repeat a slice. */
  public static byte[] mutate(Random r, byte[] valid) {
    byte[] b = valid.clone();
    int edits = 1 + r.nextInt(8);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 2 -> {
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = (byte) r.nextInt(256);
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
        }
        case 3 -> {
          byte[] n = new byte[b.length - 1];
          System.arraycopy(b, 0, n, 0, at);
          System.arraycopy(b, at + 1, n, at, b.length - at - 1);
          b = n;
        }
        default -> {
          int len = Math.min(b.length - at, 1 + r.nextInt(32));
          byte[] n = new byte[b.length + len];
          System.arraycopy(b, 0, n, 0, at + len);
          System.arraycopy(b, at, n, at + len, b.length - at);
          b = n;
        }
      }
    }
    return b;
  }

  public static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A gzip body that inflates to {@code inflatedBytes} of zeros (a "zip bomb" against the size limit). */
  public static byte[] gzipBomb(long inflatedBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (long n = 0; n < inflatedBytes; n += zeros.length) {
        gz.write(zeros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
