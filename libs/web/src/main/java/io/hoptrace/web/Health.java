package io.hoptrace.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one health answer of every HTTP process: named checks, each UP or DOWN with a reason; 200
 * when every check is UP, 503 otherwise. The body:
 * <pre>
 * {"status": "UP"|"DOWN", "reason": "...", ...the process's own fields...,
 *  "checks": {"kafka": {"status": "UP", "reason": "1 broker(s) reachable at ...", "details": {...}}, ...}}
 * </pre>
 * When DOWN, {@code reason} is the reasons of the DOWN checks, in the order the checks were added
 * (put the one that explains the others first). A check that fails, or does not answer within its
 * timeout (5 s by default), is DOWN.
 */
public final class Health implements Handler<RoutingContext> {

  /** One check's outcome: UP or DOWN, why, and optional details. */
  public record Check(boolean up, String reason, JsonObject details) {
    public Check {
      Objects.requireNonNull(reason, "reason");
    }

    public static Check up(String reason) {
      return new Check(true, reason, null);
    }

    public static Check down(String reason) {
      return new Check(false, reason, null);
    }

    public static Check of(boolean up, String reason) {
      return new Check(up, reason, null);
    }

    public Check withDetails(JsonObject details) {
      return new Check(up, reason, details);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("status", up ? "UP" : "DOWN").put("reason", reason);
      if (details != null && !details.isEmpty()) {
        json.put("details", details);
      }
      return json;
    }
  }

  /** What one evaluation found: 200 with {@code body} when {@code up}, else 503. */
  public record Report(boolean up, JsonObject body) {
    public int httpStatus() {
      return up ? 200 : 503;
    }
  }

  private final Map<String, Supplier<Future<Check>>> checks;
  private final Supplier<JsonObject> fields;
  private final Supplier<String> traceId;
  private final Duration timeout;

  private Health(Builder b) {
    this.checks = new LinkedHashMap<>(b.checks);
    this.fields = b.fields;
    this.traceId = b.traceId;
    this.timeout = b.timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs every check (concurrently) and builds the answer. Never fails. */
  public Future<Report> evaluate() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<Check>> results = new ArrayList<>();
    for (String name : names) {
      results.add(run(checks.get(name)));
    }
    return Future.join(results).transform(ignored -> {
      JsonObject detail = new JsonObject();
      List<String> down = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Check c = results.get(i).result();
        detail.put(names.get(i), c.toJson());
        if (!c.up()) {
          down.add(c.reason());
        }
      }
      boolean up = down.isEmpty();
      JsonObject body = new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("reason", up ? "every check is UP: " + String.join(", ", names) : String.join("; ", down));
      fields.get().forEach(e -> body.put(e.getKey(), e.getValue()));
      body.put("checks", detail);
      return Future.succeededFuture(new Report(up, body));
    });
  }

  private Future<Check> run(Supplier<Future<Check>> probe) {
    Future<Check> f;
    try {
      f = probe.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .otherwise(e -> Check.down(e instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(e)));
  }

  /** {@code GET} handler: the report as JSON, 200 or 503. */
  @Override
  public void handle(RoutingContext ctx) {
    evaluate().onSuccess(report -> {
      JsonObject body = report.body();
      String id = traceId.get();
      if (id != null) {
        body.put("traceId", id);
      }
      if (!ctx.response().ended()) {
        ApiRouter.json(ctx.response().setStatusCode(report.httpStatus()), body);
      }
    });
  }

  /** The checks, in the order their reasons are reported, and the fields the process adds. */
  public static final class Builder {
    private final Map<String, Supplier<Future<Check>>> checks = new LinkedHashMap<>();
    private Supplier<JsonObject> fields = JsonObject::new;
    private Supplier<String> traceId = () -> null;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    /** A check answered asynchronously (a probe of a dependency); run on every request. */
    public Builder check(String name, Supplier<Future<Check>> probe) {
      if (checks.putIfAbsent(Objects.requireNonNull(name), Objects.requireNonNull(probe)) != null) {
        throw new IllegalArgumentException("two health checks named " + name);
      }
      return this;
    }

    /** A check of in-memory state, answered at once. */
    public Builder checkNow(String name, Supplier<Check> check) {
      return check(name, () -> Future.succeededFuture(check.get()));
    }

    /** Top-level fields of the answer (what the process is, counts, lag), computed on every request. */
    public Builder fields(Supplier<JsonObject> fields) {
      this.fields = Objects.requireNonNull(fields);
      return this;
    }

    /** The current trace id for the answer's {@code traceId} (null: none). */
    public Builder traceId(Supplier<String> traceId) {
      this.traceId = Objects.requireNonNull(traceId);
      return this;
    }

    /** How long a check may take before it counts as DOWN. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Health build() {
      if (checks.isEmpty()) {
        throw new IllegalStateException("a health answer needs at least one check");
      }
      return new Health(this);
    }
  }
}
