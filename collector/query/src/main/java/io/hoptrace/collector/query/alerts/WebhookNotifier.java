package io.hoptrace.collector.query.alerts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs alert notifications (JSON) to a rule's webhook, with a few retries: a receiver that is down
 * for a moment still hears about the alert; one that stays down is logged and given up on.
 */
public final class WebhookNotifier {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

  private final Vertx vertx;
  private final WebClient client;
  private final int attempts;
  private final Duration firstBackoff;

  public WebhookNotifier(Vertx vertx, int attempts, Duration firstBackoff) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3_000).setUserAgent("hoptrace-alerts"));
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
  }

  /** Succeeds once the receiver answered 2xx; fails after the last attempt. */
  public Future<Void> send(String url, JsonObject notification) {
    return attempt(url, notification, 1, firstBackoff);
  }

  private Future<Void> attempt(String url, JsonObject body, int n, Duration backoff) {
    return client.postAbs(url).timeout(5_000).sendJsonObject(body)
        .compose(r -> r.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("the receiver answered HTTP " + r.statusCode()))
        .recover(e -> {
          if (n >= attempts) {
            return Future.failedFuture(new IllegalStateException("webhook " + url + " failed " + n + " times, last: " + e.getMessage(), e));
          }
          log.debug("webhook {} attempt {} failed ({}), retrying in {}", url, n, e.getMessage(), backoff);
          Promise<Void> later = Promise.promise();
          vertx.setTimer(backoff.toMillis(), id -> attempt(url, body, n + 1, backoff.multipliedBy(2)).onComplete(later));
          return later.future();
        });
  }

  public void close() {
    client.close();
  }
}
