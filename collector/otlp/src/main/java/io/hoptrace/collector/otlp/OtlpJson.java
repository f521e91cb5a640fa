package io.hoptrace.collector.otlp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Set;

/**
 * The one OTLP/JSON rule protobuf's JsonFormat does not know: trace and span ids are hex strings,
 * not base64. Rewrites them (in spans, links, log records, exemplars) so JsonFormat can parse the rest.
 */
public final class OtlpJson {
  private static final Set<String> ID_KEYS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  private OtlpJson() {}

  public static String hexIdsToBase64(byte[] body) throws InvalidOtlpException {
    JsonObject obj;
    try {
      obj = new JsonObject(Buffer.buffer(body));
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidOtlpException("the body is not a JSON object: " + e.getMessage(), e);
    }
    rewrite(obj, "$");
    return obj.encode();
  }

  private static void rewrite(Object node, String path) throws InvalidOtlpException {
    if (node instanceof JsonObject obj) {
      for (String key : new ArrayList<>(obj.fieldNames())) {
        Object v = obj.getValue(key);
        if (ID_KEYS.contains(key) && v instanceof String hex) {
          obj.put(key, toBase64(hex, path + "." + key));
        } else if (v instanceof JsonObject || v instanceof JsonArray) {
          rewrite(v, path + "." + key);
        }
      }
    } else if (node instanceof JsonArray arr) {
      for (int i = 0; i < arr.size(); i++) {
        rewrite(arr.getValue(i), path + "[" + i + "]");
      }
    }
  }

  private static String toBase64(String hex, String path) throws InvalidOtlpException {
    if (hex.isEmpty()) {
      return "";
    }
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidOtlpException(path + " must be a hex string (OTLP/JSON encodes ids in hex), got \"" + abbreviate(hex) + "\"");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
