package io.hoptrace.collector.query.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explorer's pages, scripts and styles, read from the jar once at start-up and served from
 * memory with an ETag: no CDN, no file-system cache, a handful of small files. A page is the one
 * {@code layout.html} (head, header, navigation) around its own {@code pages/<name>} content, put
 * together here once, so the header is written in one place.
 */
public final class WebAssets {
  static final String ROOT = "/io/hoptrace/collector/query/web/";
  /** A page: its file name, its title (before " · hoptrace") and its script. */
  record Page(String name, String title, String script) {}

  static final List<Page> PAGES = List.of(
      new Page("index.html", "Search traces", "search.js"),
      new Page("trace.html", "Trace", "trace.js"),
      new Page("map.html", "Service map", "map.js"),
      new Page("alerts.html", "Alerts", "alerts.js"));
  static final List<String> FILES = List.of("app.css", "common.js", "search.js", "trace.js", "map.js", "alerts.js");

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  private record Asset(Buffer body, String contentType, String etag) {}

  public WebAssets() {
    String layout = new String(read("layout.html"), StandardCharsets.UTF_8);
    for (Page page : PAGES) {
      add(page.name(), compose(layout, page, new String(read("pages/" + page.name()), StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
    }
    for (String name : FILES) {
      add(name, read(name));
    }
  }

  /** The layout with the page's title, script and content in place of its {@code {{...}}} markers. */
  static String compose(String layout, Page page, String main) {
    for (String marker : List.of("{{title}}", "{{script}}", "{{main}}")) {
      if (layout.indexOf(marker) < 0 || layout.indexOf(marker) != layout.lastIndexOf(marker)) {
        throw new IllegalStateException("layout.html must hold " + marker + " exactly once");
      }
    }
    return layout.replace("{{title}}", page.title()).replace("{{script}}", page.script()).replace("{{main}}", main);
  }

  private void add(String name, byte[] bytes) {
    assets.put(name, new Asset(Buffer.buffer(bytes), contentType(name), "\"" + sha(bytes) + "\""));
  }

  private static byte[] read(String name) {
    try (InputStream in = WebAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException(ROOT + name + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A handler that always answers with one file (the pages: /, /trace/{id}, /map, /alerts). */
  public io.vertx.core.Handler<RoutingContext> page(String name) {
    return ctx -> serve(ctx, name);
  }

  /** {@code /static/<name>}: scripts and styles. */
  public void serveStatic(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !assets.containsKey(name) || name.endsWith(".html")) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found");
      return;
    }
    serve(ctx, name);
  }

  private void serve(RoutingContext ctx, String name) {
    Asset a = assets.get(name);
    if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).putHeader("ETag", a.etag()).end();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", a.contentType())
        .putHeader("ETag", a.etag())
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        // everything comes from this server: say so, so a page can never load a script from elsewhere
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
        .end(a.body());
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/javascript; charset=utf-8";
  }

  private static String sha(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
