package io.hoptrace.faults.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Sends one bad input over HTTP/1.1 and judges the answer (a hang is a failure: 60 s at most). */
public final class HttpFuzzer {
  private static final java.util.Set<String> RESTRICTED = java.util.Set.of("content-length", "host", "connection", "expect", "upgrade");
  private HttpClient http = newClient();
  private final Verdicts verdicts;
  private final Acceptable acceptable;

  /** Which answers are fine for bad input at some targets: the status, and the ApiError code of the body ("" when none). */
  @FunctionalInterface
  public interface Acceptable {
    boolean test(int status, String errorCode);
  }

  /** @param acceptable which answers are a fine answer to bad input at these targets */
  public HttpFuzzer(Verdicts verdicts, Acceptable acceptable) {
    this.verdicts = verdicts;
    this.acceptable = acceptable;
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public void send(String target, int index, String method, String url, Case c) {
    String answer;
    boolean ok;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
          .method(method, c.body().length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(c.body()));
      for (Map.Entry<String, String> h : c.headers().entrySet()) {
        if (!RESTRICTED.contains(h.getKey())) {
          b.header(h.getKey(), h.getValue());
        }
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      String code = r.statusCode() >= 500 ? Verdicts.errorCode(r.body()) : "";
      answer = r.statusCode() + (code.isEmpty() ? "" : " " + code);
      ok = acceptable.test(r.statusCode(), code);
      if (r.statusCode() == 414 || r.statusCode() == 431) {
        // Vert.x answers a request line or headers too long as HTTP/1.0 and closes the connection;
        // Java's client would send the next request into that closed connection: start afresh
        http = newClient();
      }
    } catch (java.net.http.HttpTimeoutException e) {
      answer = "no answer (timed out after 60 s)";
      ok = false;
    } catch (java.io.IOException e) {
      answer = "no answer (" + e + ")";
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = "no answer (interrupted)";
      ok = false;
    }
    verdicts.record(target, index, c, answer, ok);
  }
}
