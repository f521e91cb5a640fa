package io.hoptrace.collector.ingester;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offset-commit metadata that records a batch's range before it is written:
 * {@code hoptrace-batch:v1:<first>-<last>}, committed at offset {@code first}. Whoever consumes the
 * partition next (this process after a crash, or another ingester after a rebalance) finds it and
 * forms exactly that batch again.
 */
public record BatchIntent(long first, long last) {
  private static final Pattern FORMAT = Pattern.compile("hoptrace-batch:v1:(\\d+)-(\\d+)");

  public BatchIntent {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("invalid batch range " + first + "-" + last);
    }
  }

  public String metadata() {
    return "hoptrace-batch:v1:" + first + "-" + last;
  }

  /** The intent recorded with a committed offset, if the metadata is one and belongs to that offset. */
  public static Optional<BatchIntent> parse(long committedOffset, String metadata) {
    if (metadata == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(metadata);
    if (!m.matches()) {
      return Optional.empty();
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first != committedOffset || last < first) {
      return Optional.empty();
    }
    return Optional.of(new BatchIntent(first, last));
  }
}
