package io.hoptrace.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Free ports for tests, and "who holds this port?" for error messages that say what to do. */
public final class Ports {
  private Ports() {}

  /** Every port {@link #freePort} handed out in this JVM. */
  private static final Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A port the OS considers free right now on 127.0.0.1, and never one this JVM was given before: the
   * OS can offer a closed probe's port again, and two callers (a broker's client and controller
   * ports, say) would then be given the same one.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p = probe();
      if (HANDED_OUT.add(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 that this process was not given already, after 100 attempts");
  }

  private static int probe() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  public static boolean isFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Throws {@link PortInUseException} naming the holder when {@code port} is taken.
   *
   * @param what what we wanted the port for, e.g. "Kafka"
   * @param envVar the variable that moves it elsewhere
   */
  public static void requireFree(String host, int port, String what, String envVar) {
    if (!isFree(host, port)) {
      String holder = holderOf(port).orElse("another process (run `ss -ltnp` to see which)");
      throw new PortInUseException(
          "port " + port + " (" + what + ") is already in use by " + holder
              + "; stop that process or choose another port with " + envVar);
    }
  }

  /** Best effort, Linux only: the pid and command line of the process listening on {@code port}. */
  public static Optional<String> holderOf(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Paths.get(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length < 10 || !f[3].equals("0A")) { // 0A = LISTEN
            continue;
          }
          String local = f[1];
          int p = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
          if (p == port) {
            inodes.add(f[9]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or not readable: fall through to "unknown"
      }
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
              return Optional.of("pid " + proc.getFileName() + " (" + commandLine(proc) + ")");
            }
          }
        } catch (IOException | SecurityException e) {
          // a process we may not inspect, or one that just ended
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String commandLine(Path proc) {
    try {
      String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
      return cmd.length() > 160 ? cmd.substring(0, 157) + "..." : cmd;
    } catch (IOException e) {
      return "unknown command";
    }
  }

  /** A port we need is taken; the message names the holder and the variable that moves us. */
  public static final class PortInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String message) {
      super(message);
    }
  }
}
