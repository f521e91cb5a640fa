package io.hoptrace.collector.query.trace;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Kafka hops of a trace: a consumer span whose parent is a producer span (the W3C context rode in
 * the record headers). The time the record waited in Kafka is measured from the producer span's
 * end (the broker acknowledged the record) to the consumer span's start; when the consumer started
 * before the acknowledgement reached the producer (common on one machine), from the producer's
 * start instead. The answer says which.
 */
final class KafkaHops {
  private KafkaHops() {}

  static JsonArray find(List<JsonObject> spans, Map<String, JsonObject> byId) {
    JsonArray hops = new JsonArray();
    for (JsonObject consumer : spans) {
      if (!"Consumer".equals(consumer.getString("SpanKind"))) {
        continue;
      }
      JsonObject producer = byId.get(consumer.getString("ParentSpanId"));
      if (producer == null || !"Producer".equals(producer.getString("SpanKind"))) {
        continue;
      }
      JsonObject c = consumer.getJsonObject("SpanAttributes", new JsonObject());
      JsonObject p = producer.getJsonObject("SpanAttributes", new JsonObject());
      long producerStart = producer.getLong("start_ns");
      long producerEnd = producerStart + producer.getLong("Duration");
      long consumerStart = consumer.getLong("start_ns");
      boolean afterAck = consumerStart >= producerEnd;
      hops.add(new JsonObject()
          .put("producerSpanId", producer.getString("SpanId"))
          .put("consumerSpanId", consumer.getString("SpanId"))
          .put("producerService", producer.getString("ServiceName"))
          .put("consumerService", consumer.getString("ServiceName"))
          .put("topic", first(c, p, "messaging.destination.name"))
          .put("partition", first(c, p, "messaging.destination.partition.id"))
          .put("offset", first(c, p, "messaging.kafka.offset"))
          .put("key", first(c, p, "messaging.kafka.message.key"))
          .put("consumerGroup", c.getString("messaging.consumer.group.name"))
          .put("waitNs", afterAck ? consumerStart - producerEnd : consumerStart - producerStart)
          .put("waitMeasuredFrom", afterAck ? "producer end" : "producer start")
          .put("publishToProcessNs", consumerStart - producerStart));
    }
    return hops;
  }

  /** The messaging attributes of a span, or null when it is not a messaging span. */
  static JsonObject messaging(JsonObject attributes) {
    String system = attributes.getString("messaging.system");
    String topic = attributes.getString("messaging.destination.name");
    if (system == null && topic == null) {
      return null;
    }
    JsonObject m = new JsonObject().put("system", system).put("topic", topic)
        .put("operation", attributes.getString("messaging.operation.type"))
        .put("partition", attributes.getString("messaging.destination.partition.id"))
        .put("offset", attributes.getString("messaging.kafka.offset"))
        .put("key", attributes.getString("messaging.kafka.message.key"))
        .put("consumerGroup", attributes.getString("messaging.consumer.group.name"));
    return m;
  }

  private static String first(JsonObject a, JsonObject b, String key) {
    String v = a.getString(key);
    return v != null && !v.isEmpty() ? v : b.getString(key);
  }
}
