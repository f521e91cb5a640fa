package io.hoptrace.collector.receiver;

import com.google.protobuf.CodedOutputStream;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The OTLP error body: {@code google.rpc.Status} (code, message, optional RetryInfo detail), encoded
 * by hand because the google.rpc classes are not on our class path (three fields do not justify a
 * dependency).
 */
public final class RpcStatus {
  private RpcStatus() {}

  /** Protobuf encoding; {@code retryAfterSeconds} > 0 adds a google.rpc.RetryInfo detail. */
  public static byte[] protobuf(int code, String message, int retryAfterSeconds) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      if (code != 0) {
        out.writeInt32(1, code);
      }
      out.writeString(2, message);
      if (retryAfterSeconds > 0) {
        byte[] retryInfo = retryInfo(retryAfterSeconds);
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        CodedOutputStream a = CodedOutputStream.newInstance(any);
        a.writeString(1, "type.googleapis.com/google.rpc.RetryInfo");
        a.writeByteArray(2, retryInfo);
        a.flush();
        out.writeByteArray(3, any.toByteArray());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String json(int code, String message) {
    return new JsonObject().put("code", code).put("message", message).encode();
  }

  /** google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }. */
  private static byte[] retryInfo(int seconds) throws IOException {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    CodedOutputStream dur = CodedOutputStream.newInstance(d);
    dur.writeInt64(1, seconds);
    dur.flush();
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    CodedOutputStream ri = CodedOutputStream.newInstance(r);
    ri.writeByteArray(1, d.toByteArray());
    ri.flush();
    return r.toByteArray();
  }
}
