package io.hoptrace.clickhouse.embedded;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse server process: loads {@code libchdb.so} and runs clickhouse-local with the HTTP and
 * native listeners started, then blocks on a query that never ends. Runs in its own JVM (the engine
 * installs signal handlers); SIGTERM ends it. Arguments: {@code --lib=<path> --path=<data dir>
 * --host=<ip> --http-port=<port> --tcp-port=<port> [--config-file=<xml>]}.
 *
 * <p>This engine (clickhouse-local inside chDB) starts only its HTTP and native listeners: it refuses
 * {@code SYSTEM START LISTEN HTTPS}, so TLS needs a terminator in front of it. With a configuration
 * file whose users have passwords, its own session still logs in as {@code default} without one: that
 * user must exist, passwordless, and may keep just {@code SYSTEM LISTEN} and {@code SELECT} on
 * {@code system.numbers} (what the query below needs).
 */
public final class ChdbServerMain {
  /** The one exported function that can start listeners (the connection API cannot). */
  public interface Chdb extends Library {
    Pointer chdb_query_cmdline(int argc, String[] argv);
  }

  private ChdbServerMain() {}

  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        fail("unexpected argument " + arg);
      }
      a.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    for (String required : new String[] {"lib", "path", "host", "http-port", "tcp-port"}) {
      if (!a.containsKey(required)) {
        fail("missing --" + required + "=...");
      }
    }
    Chdb chdb = Native.load(a.get("lib"), Chdb.class);
    List<String> command = new ArrayList<>(List.of(
        "clickhouse",
        "--path=" + a.get("path"),
        "--listen_host=" + a.get("host"),
        "--http_port=" + a.get("http-port"),
        "--tcp_port=" + a.get("tcp-port"),
        // clickhouse-local only listens when asked; the last query blocks forever and keeps the listeners up
        "--query=SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
            + "SELECT sleepEachRow(3) FROM system.numbers FORMAT Null SETTINGS max_block_size=1"));
    if (a.containsKey("config-file")) {
      command.add(1, "--config-file=" + a.get("config-file"));
    }
    String[] argv = command.toArray(String[]::new);
    System.out.println("hoptrace: starting ClickHouse on " + a.get("host") + " http " + a.get("http-port")
        + " native " + a.get("tcp-port") + " data " + a.get("path"));
    System.out.flush();
    chdb.chdb_query_cmdline(argv.length, argv);
    fail("the ClickHouse engine returned: the blocking query ended or failed (see the lines above)");
  }

  private static void fail(String message) {
    System.err.println("hoptrace: " + message);
    System.exit(2);
  }
}
