package io.hoptrace.collector.otlp;

/** A request body that is not a valid OTLP export request; the message names the problem. */
public final class InvalidOtlpException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidOtlpException(String message) {
    super(message);
  }

  public InvalidOtlpException(String message, Throwable cause) {
    super(message, cause);
  }
}
