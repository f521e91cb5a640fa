package io.hoptrace.collector.query.alerts;

import java.util.Arrays;
import java.util.Optional;

/** How a rule compares its query's number with the threshold. */
public enum Comparison {
  GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="), EQUAL("=="), NOT_EQUAL("!=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean holds(double value, double threshold) {
    return switch (this) {
      case GREATER -> value > threshold;
      case GREATER_OR_EQUAL -> value >= threshold;
      case LESS -> value < threshold;
      case LESS_OR_EQUAL -> value <= threshold;
      case EQUAL -> value == threshold;
      case NOT_EQUAL -> value != threshold;
    };
  }

  public static Optional<Comparison> of(String symbol) {
    return Arrays.stream(values()).filter(c -> c.symbol.equals(symbol)).findFirst();
  }

  public static String symbols() {
    return String.join(" ", Arrays.stream(values()).map(Comparison::symbol).toList());
  }
}
