package io.hoptrace.bench;

/** Where the benchmarks report progress ({@code ./stack}'s console). */
public interface Console {
  void step(String message);
}
