package io.hoptrace.load.traffic;

import io.hoptrace.load.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Customers of the running system over its HTTP API: one ticker thread sends a request when it is
 * due ({@link Rate}), chosen by the {@link Mix}, with the JDK's asynchronous HTTP client, so nothing
 * waits for an answer; answers are counted in the {@link Tally} as they arrive. At most
 * {@code maxInFlight} requests are in flight: a due request that finds them all busy is skipped and
 * counted (a stalled system slows the load down instead of piling it up).
 */
public final class Traffic {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * @param hotProduct null for none
   * @param duration empty: until {@link #stop}
   */
  public record Settings(String orderUrl, String inventoryUrl, Rate rate, Optional<Duration> duration, String hotProduct,
      double invalidShare, double restockShare, int maxInFlight, long seed) {
    public Settings {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("max in flight must be at least 1, not " + maxInFlight);
      }
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private final Tally tally = new Tally();
  private final Set<String> soldOut = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread ticker;
  private volatile boolean running = true;
  private volatile long startedNanos;
  private Mix mix;

  public Traffic(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    this.ticker = new Thread(this::tick, "load-ticker");
    ticker.setDaemon(true);
  }

  /** Reads the catalogue from order ({@code GET /list-products}), then starts sending. */
  public Traffic start() {
    List<String> products = new ArrayList<>();
    Json.Obj list = get(settings.orderUrl() + "/list-products");
    for (Json.Obj p : list.objects("products")) {
      products.add(p.string("productId"));
      if (p.integer("stock") == 0) {
        soldOut.add(p.string("productId"));
      }
    }
    mix = new Mix(products, settings.hotProduct(), settings.invalidShare(), settings.restockShare());
    startedNanos = System.nanoTime();
    ticker.start();
    return this;
  }

  public Tally tally() {
    return tally;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Time since the start. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Whether the ticker still sends (false once the duration passed or {@link #stop} was called). */
  public boolean running() {
    return running && ticker.isAlive();
  }

  /** Stops sending and waits up to {@code grace} for the answers in flight; returns how many are still out. */
  public int stop(Duration grace) throws InterruptedException {
    running = false;
    ticker.interrupt();
    ticker.join(5_000);
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // polling the in-flight count with a deadline
    }
    return inFlight.get();
  }

  private void tick() {
    Random random = new Random(settings.seed());
    long endNanos = settings.duration().map(d -> startedNanos + d.toNanos()).orElse(Long.MAX_VALUE);
    for (long n = 0; running; n++) {
      long due = startedNanos + settings.rate().dueNanos(n);
      if (due - endNanos >= 0) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for anything
        } catch (InterruptedException e) {
          break;
        }
      }
      Mix.Action a = mix.next(random, soldOut);
      if (inFlight.get() >= settings.maxInFlight()) {
        tally.skipped();
        continue;
      }
      send(a);
    }
    running = false;
  }

  private void send(Mix.Action a) {
    String body = switch (a.kind()) {
      case ORDER, RESTOCK -> "{\"productId\":" + Json.quote(a.productId()) + ",\"quantity\":" + a.quantity() + "}";
      case INVALID -> a.invalid().body(a.productId());
    };
    String url = a.kind() == Mix.Kind.RESTOCK ? settings.inventoryUrl() + "/restock" : settings.orderUrl() + "/order-product";
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
        .header("content-type", "application/json").header("user-agent", "hoptrace-load")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    inFlight.incrementAndGet();
    if (a.kind() == Mix.Kind.RESTOCK) {
      tally.restockSent();
    } else {
      tally.sent();
    }
    long t0 = System.nanoTime();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
      try {
        long micros = (System.nanoTime() - t0) / 1_000;
        if (a.kind() == Mix.Kind.RESTOCK) {
          restocked(a, r, e);
        } else {
          answered(a, r, e, micros);
        }
      } finally {
        inFlight.decrementAndGet();
      }
    });
  }

  private void answered(Mix.Action a, HttpResponse<String> r, Throwable e, long micros) {
    if (e != null) {
      tally.ended(Tally.Outcome.ERROR, micros, "no answer");
      return;
    }
    int status = r.statusCode();
    if (a.kind() == Mix.Kind.INVALID) {
      if (status >= 400 && status < 500) {
        tally.ended(Tally.Outcome.INVALID, micros, null);
      } else {
        tally.ended(Tally.Outcome.ERROR, micros, status + " to an invalid " + a.invalid().name().toLowerCase());
      }
      return;
    }
    Tally.Outcome o;
    try {
      if (status == 201) {
        Json.Obj order = Json.object(r.body());
        o = "CONFIRMED".equals(order.string("status")) ? Tally.Outcome.CONFIRMED : Tally.Outcome.REJECTED;
        if (o == Tally.Outcome.REJECTED && "insufficient_stock".equals(order.string("reason", ""))) {
          soldOut.add(a.productId());
        }
      } else if (status == 202) {
        o = Tally.Outcome.PENDING;
      } else {
        tally.ended(Tally.Outcome.ERROR, micros, status + " " + errorCode(r.body()));
        return;
      }
    } catch (RuntimeException bad) {
      tally.ended(Tally.Outcome.ERROR, micros, status + " unreadable answer");
      return;
    }
    tally.ended(o, micros, null);
  }

  private void restocked(Mix.Action a, HttpResponse<String> r, Throwable e) {
    if (e != null) {
      tally.restockEnded("no answer");
    } else if (r.statusCode() == 200 || r.statusCode() == 202) {
      soldOut.remove(a.productId());
      tally.restockEnded(null);
    } else {
      tally.restockEnded(r.statusCode() + " " + errorCode(r.body()));
    }
  }

  private static String errorCode(String body) {
    try {
      return Json.object(body).string("error", "(no error code)");
    } catch (RuntimeException e) {
      return "(no JSON error)";
    }
  }

  private Json.Obj get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return Json.object(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(url + " does not answer (" + e.getClass().getSimpleName()
          + "): is the stack running? (./stack status, ./stack start) Another one: --order-url, --inventory-url");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
