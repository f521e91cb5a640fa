package io.hoptrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The machine a bench run measured: cores, RAM, CPU model, kernel, JDK, date. */
record Machine(int cores, long ramBytes, String cpuModel, String kernel, String jdk, String date) {

  static Machine current() {
    List<String> cpuinfo = lines("/proc/cpuinfo");
    int cores = (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
    String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst().orElse("unknown CPU");
    long ram = lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
        .findFirst().orElse(-1L);
    String kernel = lines("/proc/version").stream().findFirst().map(v -> v.split(" ").length > 2 ? v.split(" ")[2] : v).orElse("?");
    String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    return new Machine(cores > 0 ? cores : Runtime.getRuntime().availableProcessors(), ram, model, "Linux " + kernel, jdk,
        ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)));
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }

  String describe() {
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GB RAM, %s, %s", cores, cpuModel, ramBytes / 1e9, kernel, jdk);
  }
}
