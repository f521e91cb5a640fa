package io.hoptrace.collector.receiver;

/**
 * Why an export request was not accepted, independent of the protocol; the HTTP and gRPC front
 * doors map {@link Kind} to their status codes.
 */
public final class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** Malformed or invalid OTLP: 400 / INVALID_ARGUMENT, not retryable. */
    INVALID,
    /** Too large to accept: 413 / INVALID_ARGUMENT. */
    TOO_LARGE,
    /** Over the in-flight bound: 429 / RESOURCE_EXHAUSTED, retry later. */
    OVERLOADED,
    /** Kafka did not acknowledge: 503 / UNAVAILABLE, retry later. */
    UNAVAILABLE
  }

  private final Kind kind;

  public ExportException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ExportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
