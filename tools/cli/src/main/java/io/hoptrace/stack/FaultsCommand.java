package io.hoptrace.stack;

import io.hoptrace.process.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./stack faults [--short] [--seed N] [--only ...] [--keep]}: runs the fault suite (the faults
 * module's {@code FaultSuite}) in its own JVM, which starts a private stack on free ports and a fresh
 * data folder, so a running {@code ./stack up} is untouched. Its output is ours; so is its exit code.
 */
final class FaultsCommand {
  private final StackConfig config;
  private final Console console;

  FaultsCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    Path jar = config.home().resolve("tools/faults/target/faults.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (./stack builds what is stale)");
    }
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.javaExecutable(), "-Xmx1g", "-XX:+UseG1GC",
        "-Dlogback.configurationFile=io/hoptrace/faults/logback.xml", // not the collector's, which is on the class path too
        "-cp", jar + File.pathSeparator + jar.getParent().resolve("lib").resolve("*"), "io.hoptrace.faults.FaultSuite"));
    args.stream().filter(a -> !a.equals("-v") && !a.equals("--verbose")).forEach(cmd::add);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO().directory(config.home().toFile());
    pb.environment().put("HOPTRACE_HOME", config.home().toString());
    Process suite;
    try {
      suite = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the fault suite: " + e.getMessage(), e);
    }
    // Ctrl-C or a kill of ./stack: the suite stops its private stack on SIGTERM (its shutdown hook)
    Thread stopSuite = new Thread(() -> {
      suite.destroy();
      try {
        suite.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "faults-stop");
    Runtime.getRuntime().addShutdownHook(stopSuite);
    try {
      return suite.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      console.error("interrupted");
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopSuite);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs
      }
    }
  }
}
