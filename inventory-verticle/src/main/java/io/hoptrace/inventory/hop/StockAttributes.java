package io.hoptrace.inventory.hop;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes inventory adds to its spans and metrics (docs/http-api.md, the Kafka hop). */
final class StockAttributes {
  static final AttributeKey<String> PRODUCT_ID = AttributeKey.stringKey("hoptrace.product.id");
  static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("hoptrace.order.id");
  static final AttributeKey<String> DECISION = AttributeKey.stringKey("hoptrace.stock.decision");
  static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("hoptrace.stock.duplicate");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("hoptrace.stock.source");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("hoptrace.stock.request_id");
  static final AttributeKey<Long> QUANTITY = AttributeKey.longKey("hoptrace.stock.quantity");

  private StockAttributes() {}
}
