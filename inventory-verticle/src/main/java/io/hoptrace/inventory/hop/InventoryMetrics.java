package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.StockAttributes.DECISION;
import static io.hoptrace.inventory.hop.StockAttributes.DUPLICATE;
import static io.hoptrace.inventory.hop.StockAttributes.PRODUCT_ID;
import static io.hoptrace.inventory.hop.StockAttributes.SOURCE;

import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.telemetry.kafka.ConsumerLagGauge;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * inventory's instruments: {@code hoptrace.inventory.decisions} (counter by decision, source and
 * whether the request had been decided before), {@code hoptrace.inventory.restocks} (counter by
 * decision and duplicate), {@code hoptrace.inventory.stock} (gauge per product,
 * of what readers see) and {@code messaging.kafka.consumer.lag} of the requests consumer.
 */
final class InventoryMetrics {
  static final String KAFKA = "kafka";
  static final String HTTP = "http";

  private final ConsumerLagGauge lag;
  private final LongCounter decisions;
  private final LongCounter restocks;

  InventoryMetrics(Meter meter, String consumerGroup, StockView view) {
    this.lag = ConsumerLagGauge.register(meter, consumerGroup);
    this.decisions = meter.counterBuilder("hoptrace.inventory.decisions").setUnit("{request}")
        .setDescription("Stock-reduction requests decided, by decision, source and whether they had been decided before.").build();
    this.restocks = meter.counterBuilder("hoptrace.inventory.restocks").setUnit("{request}")
        .setDescription("Restocks decided, by decision and whether they had been decided before.").build();
    meter.gaugeBuilder("hoptrace.inventory.stock").ofLongs().setUnit("{item}")
        .setDescription("Items in stock per product.")
        .buildWithCallback(m -> view.ownProducts().values().forEach(p -> m.record(p.stock(), Attributes.of(PRODUCT_ID, p.productId()))));
  }

  /** @param source {@link #KAFKA} or {@link #HTTP} */
  void decided(StockLedger.Outcome o, String source) {
    decisions.add(1, Attributes.of(DECISION, o.decision().status().name(), SOURCE, source, DUPLICATE, o.duplicate()));
  }

  void restocked(StockLedger.Outcome o) {
    restocks.add(1, Attributes.of(DECISION, o.decision().status().name(), DUPLICATE, o.duplicate()));
  }

  /** Call from the thread that polls {@code consumer}, after each poll. */
  void polled(Consumer<?, ?> consumer) {
    lag.update(consumer);
  }

  /** The last lag seen per partition. */
  Map<TopicPartition, Long> lag() {
    return lag.snapshot();
  }
}
