package io.hoptrace.telemetry.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * First handler of a Vert.x Web router. For the HTTP SERVER span that the Vert.x tracer opened it
 * sets the semantic-convention name {@code <METHOD> <route>} and {@code http.route}; it answers with
 * the W3C {@code traceparent} header of that span, and records {@code http.server.request.duration}.
 *
 * <p>Register endpoints with {@link #endpoint}: while Vert.x Web routes a failure ({@code ctx.fail},
 * a thrown error) it forgets the matched route, so a 400 or 404 from a handler would otherwise be
 * named {@code POST} instead of {@code POST /order-product} and drop out of per-route error rates.
 */
public final class HttpTelemetry implements Handler<RoutingContext> {
  public static final String TRACEPARENT = "traceparent";
  /** The header name as Vert.x adds it fastest: hashed and validated once, not on every answer. */
  private static final CharSequence TRACEPARENT_HEADER = HttpHeaders.createOptimized(TRACEPARENT);

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");

  /** Where {@link #endpoint} leaves the matched route template for the span and the metric. */
  private static final String ROUTE_KEY = HttpTelemetry.class.getName() + ".route";

  private final DoubleHistogram duration;

  private HttpTelemetry(Meter meter) {
    this.duration = meter.histogramBuilder("http.server.request.duration")
        .setUnit("s")
        .setDescription("Duration of HTTP server requests.")
        .setExplicitBucketBoundariesAdvice(List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0))
        .build();
  }

  public static HttpTelemetry create(Meter meter) {
    return new HttpTelemetry(meter);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    Span server = Span.current();
    SpanContext sc = server.getSpanContext();
    if (sc.isValid()) {
      ctx.response().putHeader(TRACEPARENT_HEADER, traceparent(sc));
    }
    if (server.isRecording()) {
      ctx.addHeadersEndHandler(v -> {
        Known known = ctx.get(ROUTE_KEY);
        if (known != null) {
          server.updateName(known.spanName);
          server.setAttribute(ROUTE, known.template);
        } else {
          String route = route(ctx);
          if (route != null) {
            server.updateName(ctx.request().method().name() + " " + route);
            server.setAttribute(ROUTE, route);
          }
        }
      });
    }
    ctx.addEndHandler(v -> {
      Known known = ctx.get(ROUTE_KEY);
      String scheme = ctx.request().scheme() == null ? "http" : ctx.request().scheme();
      int status = ctx.response().getStatusCode();
      duration.record((System.nanoTime() - start) / 1e9, known != null
          ? known.attributes(status, scheme)
          : attributes(ctx.request().method().name(), route(ctx), status, scheme));
    });
    ctx.next();
  }

  /**
   * An endpoint on {@code router} whose route template stays on the request's span and metric even
   * when its handler fails; add the endpoint's handler to the returned route.
   */
  public static Route endpoint(Router router, HttpMethod method, String path) {
    Known known = new Known(method.name(), template(path));
    return router.route(method, path).handler(ctx -> {
      ctx.put(ROUTE_KEY, known);
      ctx.next();
    });
  }

  /**
   * What is known of an endpoint before any request: its span name, and the metric's attributes by
   * status and scheme, built once instead of for every request (the per-request cost of telemetry is
   * the figure of benchmark 3).
   */
  private static final class Known {
    final String method;
    final String template;
    final String spanName;
    private final Map<Integer, Attributes> byStatus = new ConcurrentHashMap<>();

    Known(String method, String template) {
      this.method = method;
      this.template = template;
      this.spanName = method + " " + template;
    }

    Attributes attributes(int status, String scheme) {
      // the scheme is nearly always that of the server: keep the key an int, and build once per status and scheme
      int key = "http".equals(scheme) ? status : -status;
      Attributes a = byStatus.get(key);
      if (a == null || !scheme.equals(a.get(SCHEME))) {
        a = HttpTelemetry.attributes(method, template, status, scheme);
        if (byStatus.size() < 64) {
          byStatus.put(key, a);
        }
      }
      return a;
    }
  }

  private static Attributes attributes(String method, String route, int status, String scheme) {
    AttributesBuilder a = Attributes.builder()
        .put(METHOD, method)
        .put(STATUS, (long) status)
        .put(SCHEME, scheme);
    if (route != null) {
      a.put(ROUTE, route);
    }
    return a.build();
  }

  /** The matched route template, or null when no route matched (an unknown path). */
  private static String route(RoutingContext ctx) {
    Known known = ctx.get(ROUTE_KEY);
    if (known != null) {
      return known.template;
    }
    Route r = ctx.currentRoute();
    return r == null || r.getPath() == null ? null : template(r.getPath());
  }

  /** A Vert.x Web path in OpenTelemetry spelling: {@code /orders/:id} is {@code /orders/{id}}. */
  static String template(String path) {
    return path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  /** W3C {@code traceparent} of a span context: {@code 00-<trace id>-<span id>-<flags>}. */
  public static String traceparent(SpanContext sc) {
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** The trace id of the current span, or null when there is none (tracing disabled). */
  public static String currentTraceId() {
    SpanContext sc = Span.current().getSpanContext();
    return sc.isValid() ? sc.getTraceId() : null;
  }
}
