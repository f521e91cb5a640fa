package io.hoptrace.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a Java main class in a separate JVM. The Kafka broker and the ClickHouse engine run this
 * way: each installs its own signal handlers and threads, and a test can {@code kill -9} it.
 */
public final class ChildJvm {
  private static final java.io.File SETSID = new java.io.File("/usr/bin/setsid");

  private final String name;
  private final List<String> classpath;
  private final String mainClass;
  private final List<String> jvmArgs;
  private final List<String> args;
  private final Map<String, String> env;
  private final Path logFile;
  private final Path workingDir;

  private ChildJvm(Builder b) {
    this.name = b.name;
    this.classpath = List.copyOf(b.classpath);
    this.mainClass = Objects.requireNonNull(b.mainClass, "mainClass");
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.args = List.copyOf(b.args);
    this.env = Map.copyOf(b.env);
    this.logFile = Objects.requireNonNull(b.logFile, "logFile");
    this.workingDir = b.workingDir;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The java executable of the running JVM, so children use the same JDK. */
  public static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The class path entry (jar or classes folder) a class was loaded from. */
  public static Path locationOf(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate the class path entry of " + type.getName(), e);
    }
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    if (SETSID.canExecute()) {
      // a session of its own: Ctrl-C in the terminal reaches only the supervisor, which stops
      // children in order (services before Kafka) instead of all of them at once
      cmd.add(SETSID.getPath());
    }
    cmd.add(javaExecutable());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(String.join(java.io.File.pathSeparator, classpath));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  public ChildProcess start() {
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(command());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (workingDir != null) {
        pb.directory(workingDir.toFile());
      }
      pb.environment().putAll(env);
      return new ChildProcess(name, pb.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  public static final class Builder {
    private final String name;
    private final List<String> classpath = new ArrayList<>();
    private String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path logFile;
    private Path workingDir;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    public Builder classpath(List<String> entries) {
      classpath.addAll(entries);
      return this;
    }

    public Builder classpath(Path entry) {
      classpath.add(entry.toString());
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> vars) {
      env.putAll(vars);
      return this;
    }

    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    public Builder workingDir(Path dir) {
      this.workingDir = dir;
      return this;
    }

    public ChildJvm build() {
      return new ChildJvm(this);
    }
  }
}
