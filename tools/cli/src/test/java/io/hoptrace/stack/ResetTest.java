package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.load.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real stack, started in the background as {@code ./stack start} starts it: an order
 * changes the stock, {@code reset --yes} stops the stack and wipes its data, and the next start
 * begins from the seeded catalogue again.
 */
class ResetTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  Path data;
  Map<String, String> env;

  @AfterEach
  void stop() throws Exception {
    if (env != null) {
      Cli.run(env, "stop");
      Cli.run(env, "reset", "--yes");
      TestStacks.deleteDataDir(data);
    }
  }

  @Test
  void resetThenStartGivesTheSeededCatalogueAgain() throws Exception {
    data = TestStacks.newDataDir("reset-test");
    env = TestStacks.env(data);
    env.put("COLLECTOR_SELF_METRICS_INTERVAL", "0");
    String inventory = "http://127.0.0.1:" + env.get("INVENTORY_HTTP_PORT");
    String order = "http://127.0.0.1:" + env.get("ORDER_HTTP_PORT");

    Cli.Result start = Cli.run(env, "start");
    assertThat(start.exit()).as(start.out() + start.err()).isEqualTo(0);
    assertThat(start.out()).contains("kafka      healthy in").contains("order      healthy in");
    int seeded = stock(inventory, "keyboard");
    HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(URI.create(order + "/order-product")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"keyboard\", \"quantity\": 3}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(stock(inventory, "keyboard")).isEqualTo(seeded - 3);

    Cli.Result reset = Cli.run(env, "reset", "--yes");
    assertThat(reset.exit()).as(reset.err()).isEqualTo(0);
    assertThat(reset.out()).contains("stopping the stack").contains("deleted " + data.resolve("kafka")).contains("deleted " + data.resolve("clickhouse"));
    assertThat(Cli.run(env, "status").exit()).as("nothing runs after a reset").isEqualTo(3);
    assertThat(data.resolve("kafka")).doesNotExist();

    Cli.Result again = Cli.run(env, "start");
    assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(0);
    assertThat(stock(inventory, "keyboard")).as("the seeded catalogue again").isEqualTo(seeded);
    assertThat(Json.object(get(order + "/list-orders")).array("orders")).as("no order survives a reset").isEmpty();
  }

  static int stock(String inventory, String product) throws Exception {
    for (Json.Obj p : Json.object(get(inventory + "/list-products")).objects("products")) {
      if (p.string("productId").equals(product)) {
        return p.integer("stock");
      }
    }
    throw new AssertionError("no " + product + " in " + inventory);
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
