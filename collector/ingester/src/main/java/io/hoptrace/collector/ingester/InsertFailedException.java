package io.hoptrace.collector.ingester;

/** An insert into {@code table} failed; {@link #error()} says whether retrying can help and who must act. */
public final class InsertFailedException extends Exception {
  private final String table;
  private final InsertError error;

  public InsertFailedException(String table, InsertError error, Throwable cause) {
    super("insert into " + table + " failed, " + error, cause);
    this.table = table;
    this.error = error;
  }

  public String table() {
    return table;
  }

  public InsertError error() {
    return error;
  }
}
