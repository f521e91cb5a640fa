package io.hoptrace.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class JsonRequestTest {
  private static JsonRequest parse(String s) {
    return JsonRequest.parse(Buffer.buffer(s));
  }

  private static void refused(Runnable r, String code, String message) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiError.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void readsValidFields() {
    JsonRequest r = parse("{\"productId\": \"a-1\", \"quantity\": 3, \"big\": 3.0}");
    assertThat(r.requiredId("productId")).isEqualTo("a-1");
    assertThat(r.requiredInt("quantity", 1, 10)).isEqualTo(3);
    assertThat(r.requiredInt("big", 1, 10)).isEqualTo(3);
    assertThat(r.optionalId("requestId")).isEmpty();
  }

  @Test
  void namesWhatIsWrong() {
    refused(() -> parse("   "), "malformed_json", "the request body is empty; send a JSON object");
    refused(() -> parse("42"), "malformed_json", "the request body must be a JSON object, got a number");
    refused(() -> parse("{}").requiredId("productId"), "missing_field", "field 'productId' is required");
    refused(() -> parse("{\"productId\": null}").requiredId("productId"), "missing_field", "field 'productId' is required");
    refused(() -> parse("{\"productId\": []}").requiredId("productId"), "wrong_type", "field 'productId' must be a string, got an array");
    refused(() -> parse("{\"productId\": \"\"}").requiredId("productId"), "invalid_field",
        "field 'productId' must be 1 to 64 letters, digits, '.', '_' or '-', got \"\"");
    refused(() -> parse("{\"quantity\": 2.5}").requiredInt("quantity", 1, 10), "wrong_type", "field 'quantity' must be an integer, got 2.5");
    refused(() -> parse("{\"quantity\": 11}").requiredInt("quantity", 1, 10), "invalid_quantity", "quantity must be between 1 and 10, got 11");
  }

  @Test
  void readsOptionalBooleansTextsAndNumbers() {
    JsonRequest r = parse("{\"create\": true, \"name\": \"Tablet\", \"price\": 399, \"none\": null}");
    assertThat(r.optionalBoolean("create", false)).isTrue();
    assertThat(r.optionalBoolean("none", false)).isFalse();
    assertThat(r.optionalBoolean("absent", true)).isTrue();
    assertThat(r.optionalText("name", 100)).hasValue("Tablet");
    assertThat(r.optionalText("absent", 100)).isEmpty();
    assertThat(r.optionalNumber("price", 0, 1000)).hasValue(399.0);
    assertThat(r.optionalNumber("none", 0, 1000)).isEmpty();

    refused(() -> parse("{\"create\": \"yes\"}").optionalBoolean("create", false), "wrong_type",
        "field 'create' must be true or false, got a string");
    refused(() -> parse("{\"name\": \"  \"}").optionalText("name", 10), "invalid_field",
        "field 'name' must be 1 to 10 characters and not blank, got \"  \"");
    refused(() -> parse("{\"name\": 3}").optionalText("name", 10), "wrong_type", "field 'name' must be a string, got a number");
    refused(() -> parse("{\"price\": -1}").optionalNumber("price", 0, 1000), "invalid_price", "price must be between 0 and 1000, got -1");
    refused(() -> parse("{\"price\": \"1\"}").optionalNumber("price", 0, 1000), "wrong_type", "field 'price' must be a number, got a string");
  }
}
