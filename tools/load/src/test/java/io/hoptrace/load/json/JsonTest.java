package io.hoptrace.load.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON the services and the explorer answer, read; and what is not JSON, refused with its position. */
class JsonTest {
  @Test
  void readsObjectsArraysStringsNumbersAndLiterals() {
    Json.Obj o = Json.object("{\"orderId\": \"a\\\"b\\u00e9\\n\", \"quantity\": 2, \"price\": 9.5, \"big\": 1234567890123,"
        + " \"ok\": true, \"none\": null, \"spans\": [{\"depth\": 0}, {\"depth\": -1}], \"services\": [\"order\", \"inventory\"], \"e\": 1e3}");
    assertThat(o.string("orderId")).isEqualTo("a\"bé\n");
    assertThat(o.integer("quantity")).isEqualTo(2);
    assertThat(o.map().get("price")).isEqualTo(9.5);
    assertThat(o.number("big")).isEqualTo(1234567890123L);
    assertThat(o.bool("ok")).isTrue();
    assertThat(o.string("none")).isNull();
    assertThat(o.has("none")).isTrue();
    assertThat(o.objects("spans")).extracting(s -> s.integer("depth")).containsExactly(0, -1);
    assertThat(o.strings("services")).containsExactly("order", "inventory");
    assertThat(o.array("missing")).isEmpty();
    assertThat(o.map().get("e")).isEqualTo(1000.0);
    assertThat(Json.parse(" [1, [], {}] ")).isEqualTo(List.of(1L, List.of(), new Json.Obj(new java.util.LinkedHashMap<>())));
  }

  @Test
  void refusesWhatIsNotJsonAndNamesThePosition() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }")).hasMessageContaining("expected a value at position 6");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1} x")).hasMessageContaining("text after the value");
    assertThatThrownBy(() -> Json.parse("<html>")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> Json.object("[1]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> Json.object("{\"a\": \"x\"}").number("a")).hasMessageContaining("no number 'a'");
  }

  @Test
  void quotesStringsSoTheyReadBack() {
    String s = "p\"1\\\n\t\u0001é";
    assertThat(Json.object("{\"k\": " + Json.quote(s) + "}").string("k")).isEqualTo(s);
  }
}
