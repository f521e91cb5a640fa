package io.hoptrace.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The few ClickHouse HTTP calls the benchmarks make: queries, and RowBinary exports and inserts for the baseline. */
final class ClickHouseHttp {
  private final String url;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  ClickHouseHttp(String url) {
    this.url = url;
  }

  String query(String sql) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("ClickHouse answered " + r.statusCode() + " to " + sql + ": " + r.body());
      }
      return r.body().trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A query's answer as bytes, e.g. {@code ... FORMAT RowBinary}. */
  byte[] queryBytes(String sql) {
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(120))
          .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("ClickHouse answered " + r.statusCode() + " to " + sql + ": " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  long count(String sql) {
    return Long.parseLong(query(sql));
  }

  /** Inserts RowBinary bytes with {@code INSERT INTO <table> (<columns>) FORMAT RowBinary}. */
  void insertRowBinary(String table, String columns, byte[] rows) {
    String q = URLEncoder.encode("INSERT INTO " + table + " (" + columns + ") FORMAT RowBinary", StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/?query=" + q)).timeout(Duration.ofSeconds(120))
          .POST(HttpRequest.BodyPublishers.ofByteArray(rows)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("baseline insert failed: " + r.body());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits (up to {@code max}) until ClickHouse runs no merges, so one measurement does not pay for the last one's parts. */
  void awaitNoMerges(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline && count("SELECT count() FROM system.merges") > 0) {
      sleep(200);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
