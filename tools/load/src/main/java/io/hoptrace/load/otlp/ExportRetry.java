package io.hoptrace.load.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How an exporter retries a failed OTLP export, as the OpenTelemetry SDKs do by default: at most
 * {@code maxAttempts} attempts, each given {@code timeout}; after a retryable failure (HTTP 429, 502,
 * 503, 504, or no answer in time) it waits the server's hint when there is one ({@code Retry-After},
 * or the {@code google.rpc.RetryInfo} of the OTLP error body), otherwise a random time in
 * {@code [0, backoff)} where backoff starts at {@code initialBackoff} and grows by
 * {@code multiplier} up to {@code maxBackoff} ("full jitter"). Immutable; pure apart from the random
 * generator it is given.
 */
public record ExportRetry(int maxAttempts, Duration timeout, Duration initialBackoff, Duration maxBackoff, double multiplier) {
  public ExportRetry {
    if (maxAttempts < 1 || timeout.isNegative() || timeout.isZero() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
        || multiplier < 1) {
      throw new IllegalArgumentException("retry policy: at least one attempt, a positive timeout, 0 <= initial <= max backoff, multiplier >= 1");
    }
  }

  /** The OpenTelemetry SDKs' defaults: 5 attempts, 10 s each, back-off 1 s growing ×1.5 up to 5 s. */
  public static ExportRetry sdkDefaults() {
    return new ExportRetry(5, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5);
  }

  /** One attempt, never retried (a 60 s timeout: the load generator's plain mode). */
  public static ExportRetry none() {
    return new ExportRetry(1, Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, 1);
  }

  /** Statuses an OTLP/HTTP exporter retries (the OTLP specification's list); -1 stands for no answer (timeout, refused connection). */
  public static boolean retryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504 || status == -1;
  }

  /**
   * How long to wait before attempt {@code failedAttempts + 1}, or empty when no attempt is left.
   *
   * @param failedAttempts attempts made so far, all failed (1 after the first)
   * @param serverHint the server's {@code Retry-After} or RetryInfo, when it sent one
   */
  public Optional<Duration> delay(int failedAttempts, Optional<Duration> serverHint, RandomGenerator random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("no attempt failed yet");
    }
    if (failedAttempts >= maxAttempts) {
      return Optional.empty();
    }
    if (serverHint.isPresent()) {
      return serverHint;
    }
    double backoff = Math.min(initialBackoff.toNanos() * Math.pow(multiplier, failedAttempts - 1), maxBackoff.toNanos());
    long bound = (long) backoff;
    return Optional.of(Duration.ofNanos(bound <= 0 ? 0 : random.nextLong(bound)));
  }

  /** A {@code Retry-After} header's delay: delta-seconds only (an HTTP date or garbage gives none). */
  public static Optional<Duration> retryAfter(Optional<String> header) {
    return header.map(String::trim).filter(v -> !v.isEmpty() && v.length() < 10 && v.chars().allMatch(Character::isDigit))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }

  /**
   * The {@code retry_delay} of a {@code google.rpc.RetryInfo} detail in an OTLP error body
   * ({@code google.rpc.Status}, protobuf), or none when the body holds no such detail or is not one.
   */
  public static Optional<Duration> retryInfo(byte[] statusBody) {
    try {
      CodedInputStream status = CodedInputStream.newInstance(statusBody);
      for (int tag; (tag = status.readTag()) != 0; ) {
        if (tag != (3 << 3 | 2)) { // repeated google.protobuf.Any details = 3
          status.skipField(tag);
          continue;
        }
        CodedInputStream any = status.readBytes().newCodedInput();
        String typeUrl = null;
        ByteString value = null;
        for (int t; (t = any.readTag()) != 0; ) {
          switch (t) {
            case 1 << 3 | 2 -> typeUrl = any.readStringRequireUtf8();
            case 2 << 3 | 2 -> value = any.readBytes();
            default -> any.skipField(t);
          }
        }
        if ("type.googleapis.com/google.rpc.RetryInfo".equals(typeUrl) && value != null) {
          return retryDelay(value.newCodedInput());
        }
      }
      return Optional.empty();
    } catch (IOException notAStatus) {
      return Optional.empty();
    }
  }

  /** google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }. */
  private static Optional<Duration> retryDelay(CodedInputStream retryInfo) throws IOException {
    for (int t; (t = retryInfo.readTag()) != 0; ) {
      if (t != (1 << 3 | 2)) {
        retryInfo.skipField(t);
        continue;
      }
      CodedInputStream d = retryInfo.readBytes().newCodedInput();
      long seconds = 0;
      int nanos = 0;
      for (int f; (f = d.readTag()) != 0; ) {
        switch (f) {
          case 1 << 3 -> seconds = d.readInt64();
          case 2 << 3 -> nanos = d.readInt32();
          default -> d.skipField(f);
        }
      }
      return seconds < 0 || nanos < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds, nanos));
    }
    return Optional.empty();
  }
}
