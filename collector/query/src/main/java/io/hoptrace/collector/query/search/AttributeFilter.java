package io.hoptrace.collector.query.search;

import io.hoptrace.web.ApiError;
import io.hoptrace.collector.query.api.Params;
import io.hoptrace.collector.query.api.Text;

/** {@code key=value}: a span whose span attribute or resource attribute {@code key} equals {@code value}. */
public record AttributeFilter(String key, String value) {
  public static final int MAX_PER_SEARCH = 5;

  public static AttributeFilter parse(String raw) {
    int eq = raw.indexOf('=');
    if (eq <= 0 || eq == raw.length() - 1) {
      throw ApiError.invalidParameter("attr", "attr '" + Text.clip(raw) + "' is not key=value (e.g. messaging.destination.name=stock-reductions)");
    }
    String key = raw.substring(0, eq).strip();
    String value = raw.substring(eq + 1).strip();
    if (!Params.ATTRIBUTE_KEY.matcher(key).matches()) {
      throw ApiError.invalidParameter("attr", "attribute key '" + Text.clip(key) + "' is not a key: letters, digits and _ . - / : @, at most 128");
    }
    Text.requirePlain("attr", value, 256);
    return new AttributeFilter(key, value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
