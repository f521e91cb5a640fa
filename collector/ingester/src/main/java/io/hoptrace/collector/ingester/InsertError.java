package io.hoptrace.collector.ingester;

import com.clickhouse.client.api.ServerException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed ClickHouse insert means for the batch, decided by ClickHouse's error code:
 * <ul>
 *   <li>{@link Kind#PERMANENT}: ClickHouse refuses some of the rows themselves (a violated constraint,
 *       a value the column cannot take); the same rows fail every time, so they are isolated and
 *       dead-lettered ({@link RefusedRows}) and the rest is written;</li>
 *   <li>{@link Kind#TRANSIENT}: the attempt failed, not the rows (network, timeouts, too many parts,
 *       memory); retried with back-off;</li>
 *   <li>{@link Kind#SYSTEMIC}: nothing can be written until someone fixes ClickHouse (a missing table
 *       or column, no permission); retried with back-off, and reported as a stall (health 503, gauge,
 *       alert). Never dead-lettered: that would empty the topic into the DLQ.</li>
 * </ul>
 * A server error whose code is in none of the lists is systemic: loud, and nothing is dead-lettered.
 * An error without a server code (connection refused, timeout) is transient.
 */
public record InsertError(Kind kind, int code, String name, String message) {

  public enum Kind { PERMANENT, TRANSIENT, SYSTEMIC }

  private static final Map<Integer, String> PERMANENT = Map.ofEntries(
      Map.entry(6, "CANNOT_PARSE_TEXT"),
      Map.entry(27, "CANNOT_PARSE_INPUT_ASSERTION_FAILED"),
      Map.entry(38, "CANNOT_PARSE_DATE"),
      Map.entry(41, "CANNOT_PARSE_DATETIME"),
      Map.entry(53, "TYPE_MISMATCH"),
      Map.entry(69, "ARGUMENT_OUT_OF_BOUND"),
      Map.entry(70, "CANNOT_CONVERT_TYPE"),
      Map.entry(72, "CANNOT_PARSE_NUMBER"),
      Map.entry(117, "INCORRECT_DATA"),
      Map.entry(131, "TOO_LARGE_STRING_SIZE"),
      Map.entry(321, "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"),
      Map.entry(349, "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN"),
      Map.entry(395, "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO"),
      Map.entry(469, "VIOLATED_CONSTRAINT"));

  private static final Map<Integer, String> TRANSIENT = Map.ofEntries(
      Map.entry(159, "TIMEOUT_EXCEEDED"),
      Map.entry(201, "QUOTA_EXCEEDED"),
      Map.entry(202, "TOO_MANY_SIMULTANEOUS_QUERIES"),
      Map.entry(209, "SOCKET_TIMEOUT"),
      Map.entry(210, "NETWORK_ERROR"),
      Map.entry(236, "ABORTED"),
      Map.entry(241, "MEMORY_LIMIT_EXCEEDED"),
      Map.entry(242, "TABLE_IS_READ_ONLY"),
      Map.entry(252, "TOO_MANY_PARTS"),
      Map.entry(319, "UNKNOWN_STATUS_OF_INSERT"),
      Map.entry(394, "QUERY_WAS_CANCELLED"),
      Map.entry(425, "SYSTEM_ERROR"),
      Map.entry(999, "KEEPER_EXCEPTION"));

  private static final Map<Integer, String> SYSTEMIC = Map.ofEntries(
      Map.entry(8, "THERE_IS_NO_COLUMN"),
      Map.entry(10, "NOT_FOUND_COLUMN_IN_BLOCK"),
      Map.entry(16, "NO_SUCH_COLUMN_IN_TABLE"),
      Map.entry(20, "NUMBER_OF_COLUMNS_DOESNT_MATCH"),
      Map.entry(47, "UNKNOWN_IDENTIFIER"),
      Map.entry(60, "UNKNOWN_TABLE"),
      Map.entry(81, "UNKNOWN_DATABASE"),
      Map.entry(115, "UNKNOWN_SETTING"),
      Map.entry(164, "READONLY"),
      Map.entry(192, "UNKNOWN_USER"),
      Map.entry(193, "WRONG_PASSWORD"),
      Map.entry(497, "ACCESS_DENIED"),
      Map.entry(516, "AUTHENTICATION_FAILED"));

  /** ClickHouse's own text: "Code: 60. DB::Exception: ..." (in the HTTP body the client wraps). */
  private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");

  /** Classifies a failure of an insert, looking through wrappers for ClickHouse's error code. */
  public static InsertError classify(Throwable failure) {
    Optional<Integer> code = code(failure);
    String message = message(failure);
    if (code.isEmpty()) {
      return new InsertError(Kind.TRANSIENT, 0, "", message);
    }
    int c = code.get();
    if (PERMANENT.containsKey(c)) {
      return new InsertError(Kind.PERMANENT, c, PERMANENT.get(c), message);
    }
    if (TRANSIENT.containsKey(c)) {
      return new InsertError(Kind.TRANSIENT, c, TRANSIENT.get(c), message);
    }
    return new InsertError(Kind.SYSTEMIC, c, SYSTEMIC.getOrDefault(c, ""), message);
  }

  static Optional<Integer> code(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ServerException se && se.getCode() > 0) {
        return Optional.of(se.getCode());
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = CODE.matcher(t.getMessage());
        if (m.find()) {
          return Optional.of(Integer.parseInt(m.group(1)));
        }
      }
    }
    return Optional.empty();
  }

  private static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
        || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    m = m.strip();
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl);
    }
    return m.length() > 500 ? m.substring(0, 500) + "..." : m;
  }

  /** "code 469 VIOLATED_CONSTRAINT" or "no ClickHouse error code" for logs and health. */
  public String codeText() {
    return code == 0 ? "no ClickHouse error code" : "code " + code + (name.isEmpty() ? "" : " " + name);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " (" + codeText() + "): " + message;
  }
}
