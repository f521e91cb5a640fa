package io.hoptrace.telemetry.kafka;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code messaging.kafka.consumer.lag}: records behind the end of each assigned partition, as a
 * gauge per partition. The polling thread calls {@link #update} after each poll (the consumer is
 * not thread-safe), or the reader passes what it measured; the metric reader only reads the last values.
 */
public final class ConsumerLagGauge {
  private final String consumerGroup;
  private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();

  private ConsumerLagGauge(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  /** @param consumerGroup the group, or null for a consumer that reads without one */
  public static ConsumerLagGauge register(Meter meter, String consumerGroup) {
    ConsumerLagGauge g = new ConsumerLagGauge(consumerGroup);
    meter.gaugeBuilder("messaging.kafka.consumer.lag")
        .ofLongs()
        .setUnit("{message}")
        .setDescription("Records between a consumer's position and the end of the partition.")
        .buildWithCallback(m -> g.lag.forEach((tp, v) -> m.record(v, g.attributes(tp))));
    return g;
  }

  /** Call from the thread that polls {@code consumer}. */
  public void update(Consumer<?, ?> consumer) {
    lag.keySet().retainAll(consumer.assignment());
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong l = consumer.currentLag(tp);
      if (l.isPresent()) {
        lag.put(tp, l.getAsLong());
      }
    }
  }

  /** For a consumer read on another thread: the lag per assigned partition, as it measured it. */
  public void update(Map<TopicPartition, Long> measured) {
    lag.keySet().retainAll(measured.keySet());
    lag.putAll(measured);
  }

  /** The last lag seen per partition (for health reports). */
  public Map<TopicPartition, Long> snapshot() {
    return Map.copyOf(lag);
  }

  private Attributes attributes(TopicPartition tp) {
    AttributesBuilder b = Attributes.builder()
        .put(KafkaTracing.SYSTEM, "kafka")
        .put(KafkaTracing.DESTINATION, tp.topic())
        .put(KafkaTracing.PARTITION, Integer.toString(tp.partition()));
    if (consumerGroup != null) {
      b.put(KafkaTracing.CONSUMER_GROUP, consumerGroup);
    }
    return b.build();
  }
}
