package io.hoptrace.collector.query.clickhouse;

/** ClickHouse could not be reached or refused a query; the message says which and why. */
public final class ClickHouseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClickHouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
