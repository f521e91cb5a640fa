package io.hoptrace.faults.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Malformed requests against every endpoint of a service: damaged and mistyped JSON bodies, deep
 * nesting, oversized bodies and values, wrong methods and content types, odd paths and query strings.
 */
public final class ServiceCases {
  /** One request: method, path (with query), input. */
  public record Request(String method, String path, Case input) {}

  private final Random random;
  private final String postPath;
  private final String template;
  private final List<String> getPaths;

  /**
   * @param postPath the endpoint that takes a JSON body ({@code /order-product}, {@code /reduce-stock})
   * @param template a valid body for it
   * @param getPaths the service's GET endpoints
   */
  public ServiceCases(Random random, String postPath, String template, List<String> getPaths) {
    this.random = random;
    this.postPath = postPath;
    this.template = template;
    this.getPaths = getPaths;
  }

  public Request next() {
    String json = "application/json";
    return switch (random.nextInt(12)) {
      case 0, 1, 2 -> new Request("POST", postPath, Case.of("JSON with wrong types", bytes(JsonMutator.wrongTypes(random, template)), json));
      case 3 -> new Request("POST", postPath, Case.of("damaged JSON text", Mutations.mutate(random, bytes(template)), json));
      case 4 -> new Request("POST", postPath, Case.of("random bytes", Mutations.random(random, 2048), random.nextBoolean() ? json : null));
      case 5 -> new Request("POST", postPath, Case.of("truncated JSON", Mutations.truncate(random, bytes(template)), json));
      case 6 -> new Request("POST", postPath, Case.of("JSON nested deep",
          bytes(random.nextBoolean() ? JsonMutator.deepArrays(1 + random.nextInt(30_000)) : JsonMutator.deepObjects("productId", 1 + random.nextInt(20_000))), json));
      case 7 -> new Request("POST", postPath, Case.of("huge field value", bytes(template.replaceFirst("\"productId\":\"[^\"]*\"",
          "\"productId\":\"" + "p".repeat(1 + random.nextInt(60_000)) + "\"")), json));
      case 8 -> new Request(random.nextBoolean() ? "PUT" : "DELETE", randomPath(), Case.of("wrong method", bytes(template), json));
      case 9 -> new Request("GET", randomPath() + "?" + junkQuery(), Case.of("junk query", new byte[0], null));
      case 10 -> new Request("GET", "/orders/" + URLEncoder.encode(junk(1 + random.nextInt(3000)), StandardCharsets.UTF_8), Case.of("odd order id", new byte[0], null));
      default -> new Request("POST", postPath, Case.of("wrong content type", bytes(template), random.nextBoolean() ? "text/plain" : "application/x-www-form-urlencoded"));
    };
  }

  /** Bodies over the 64 KiB limit, once each. */
  public List<Request> big() {
    return List.of(
        new Request("POST", postPath, Case.of("1 MiB body", bytes("{\"productId\":\"" + "x".repeat(1 << 20) + "\",\"quantity\":1}"), "application/json")),
        new Request("POST", postPath, Case.of("JSON nested 100000 arrays deep (over the body limit)", bytes(JsonMutator.deepArrays(100_000)), "application/json")));
  }

  private String randomPath() {
    List<String> all = new java.util.ArrayList<>(getPaths);
    all.add(postPath);
    all.add("/" + URLEncoder.encode(junk(1 + random.nextInt(40)), StandardCharsets.UTF_8));
    all.add("/docs/../../etc/passwd");
    return all.get(random.nextInt(all.size()));
  }

  private String junkQuery() {
    return URLEncoder.encode(junk(1 + random.nextInt(200)), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(junk(random.nextInt(200)), StandardCharsets.UTF_8);
  }

  private String junk(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.appendCodePoint(random.nextInt(4) == 0 ? 0x20 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5f));
    }
    return sb.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
