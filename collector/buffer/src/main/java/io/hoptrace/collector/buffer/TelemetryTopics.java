package io.hoptrace.collector.buffer;

import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.config.Env;
import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.kafka.Topics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each signal waits between receiver and ingester: one topic per signal (value = the OTLP
 * {@code Export*ServiceRequest} bytes, the OpenTelemetry Collector's {@code otlp_proto} encoding),
 * named by {@code COLLECTOR_TOPIC_SPANS|METRICS|LOGS}, each with its dead-letter topic.
 */
public final class TelemetryTopics {
  private final Map<Signal, String> topics;

  private TelemetryTopics(Map<Signal, String> topics) {
    this.topics = Map.copyOf(topics);
  }

  /** The contract's names: {@code otlp_spans}, {@code otlp_metrics}, {@code otlp_logs}. */
  public static TelemetryTopics defaults() {
    return fromEnv(Env.of(Map.of()));
  }

  /** {@code COLLECTOR_TOPIC_SPANS|METRICS|LOGS}, defaulting to the contract's names. */
  public static TelemetryTopics fromEnv(Env env) {
    Map<Signal, String> t = new EnumMap<>(Signal.class);
    t.put(Signal.TRACES, env.string("COLLECTOR_TOPIC_SPANS", Topics.OTLP_SPANS));
    t.put(Signal.METRICS, env.string("COLLECTOR_TOPIC_METRICS", Topics.OTLP_METRICS));
    t.put(Signal.LOGS, env.string("COLLECTOR_TOPIC_LOGS", Topics.OTLP_LOGS));
    return new TelemetryTopics(t);
  }

  /**
   * {@code COLLECTOR_SIGNALS}: the signals a dedicated collector serves (traces,metrics,logs: any
   * subset), all three when unset. Receiver and ingester read the same variable.
   */
  public static java.util.Set<Signal> signalsFromEnv(Env env) {
    return env.optional("COLLECTOR_SIGNALS").map(v -> Signal.parse(v, "COLLECTOR_SIGNALS"))
        .orElse(java.util.EnumSet.allOf(Signal.class));
  }

  public String topic(Signal signal) {
    return topics.get(signal);
  }

  /** The telemetry topics and their dead-letter topics, as they are created. */
  public List<TopicSpec> specs() {
    List<TopicSpec> specs = new ArrayList<>();
    for (Signal s : Signal.values()) {
      specs.add(Topics.telemetry(topic(s)));
      specs.add(Topics.deadLetterOf(topic(s)));
    }
    return specs;
  }

  @Override
  public String toString() {
    return topics.toString();
  }
}
