package io.hoptrace.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The OpenAPI 3 document at {@code /openapi.yaml} and Swagger UI at {@code /docs}, served from the
 * swagger-ui webjar on the class path (no CDN: it works offline).
 */
public final class ApiDocs {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  private ApiDocs() {}

  /**
   * Reads the OpenAPI document (a class path resource) without blocking, then adds the routes.
   *
   * @param openApiResource e.g. {@code io/hoptrace/order/openapi.yaml}
   */
  public static Future<Void> mount(Vertx vertx, Router router, String openApiResource) {
    Future<String> version = vertx.fileSystem().readFile(WEBJAR_POM)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "the swagger-ui webjar is not on the class path (" + WEBJAR_POM + " missing)", e)))
        .map(ApiDocs::versionOf);
    return version.compose(v -> vertx.fileSystem().readFile(openApiResource).map(spec -> {
      String webjarRoot = WEBJAR + v;
      router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(spec));
      router.get("/docs").handler(ctx -> {
        if (ctx.request().path().endsWith("/")) {
          ctx.next(); // the page itself, below
        } else {
          ctx.redirect("/docs/");
        }
      });
      router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
          .putHeader("content-type", "application/javascript")
          .end(Buffer.buffer(INITIALIZER)));
      router.get("/docs/*").handler(StaticHandler.create(webjarRoot).setCachingEnabled(true));
      return (Void) null;
    }));
  }

  /** The webjar's version, from its Maven metadata (its files live under a versioned folder). */
  static String versionOf(Buffer pomProperties) {
    try {
      Properties p = new Properties();
      p.load(new java.io.StringReader(pomProperties.toString()));
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String INITIALIZER = String.join("\n",
      "window.onload = function() {",
      "  window.ui = SwaggerUIBundle({",
      "    url: '/openapi.yaml',",
      "    dom_id: '#swagger-ui',",
      "    deepLinking: true,",
      "    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],",
      "    plugins: [SwaggerUIBundle.plugins.DownloadUrl],",
      "    layout: 'StandaloneLayout'",
      "  });",
      "};",
      "");
}
