package io.hoptrace.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use an HTTP API: anyone (the default), or whoever sends the bearer token
 * ({@code Authorization: Bearer <token>}) or the basic credentials ({@code Authorization: Basic
 * base64(user:password)}); either is enough when both are configured. Credentials are compared in
 * constant time (as SHA-256 digests, so neither the content nor the length leaks). A refusal is 401
 * with the project's JSON error and a {@code WWW-Authenticate} challenge: {@code Basic} when basic
 * credentials are configured, so that a browser asks for them and then sends them with every request
 * of the page.
 *
 * @param token the bearer token, if one is accepted
 * @param basic {@code user:password}, if basic authentication is accepted
 * @param realm names the protected space in the browser's prompt
 */
public record HttpAuth(Optional<String> token, Optional<String> basic, String realm) {

  public HttpAuth {
    basic.ifPresent(b -> {
      if (b.indexOf(':') < 1) {
        throw new IllegalArgumentException("basic credentials must be user:password");
      }
    });
  }

  /** Nobody is asked for anything. */
  public static HttpAuth open() {
    return new HttpAuth(Optional.empty(), Optional.empty(), "");
  }

  public boolean enabled() {
    return token.isPresent() || basic.isPresent();
  }

  /** Whether an {@code Authorization} header value (or null) is let in. */
  public boolean allows(String authorization) {
    if (!enabled()) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    String value = authorization.trim();
    boolean ok = false;
    if (token.isPresent() && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ok = same(value.substring(7).trim(), token.get());
    }
    if (basic.isPresent() && value.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      ok = same(decoded, basic.get());
    }
    return ok;
  }

  /**
   * A handler that lets a request through when {@link #allows} it or its path is one of {@code open}
   * (health), and answers 401 {@code unauthorized} otherwise. Mount it before the routes.
   */
  public Handler<RoutingContext> handler(Set<String> open) {
    return ctx -> {
      if (!enabled() || open.contains(ctx.normalizedPath()) || allows(ctx.request().getHeader("Authorization"))) {
        ctx.next();
        return;
      }
      if (basic.isPresent()) {
        ctx.response().headers().add("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
      }
      if (token.isPresent()) {
        ctx.response().headers().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
      }
      ApiRouter.send(ctx, new ApiError(401, "unauthorized", ctx.request().getHeader("Authorization") == null
          ? "credentials required: send " + accepted()
          : "wrong credentials: send " + accepted()), () -> null);
    };
  }

  private String accepted() {
    if (token.isPresent() && basic.isPresent()) {
      return "Authorization: Bearer <token> or Basic <user:password>";
    }
    return token.isPresent() ? "Authorization: Bearer <token>" : "Authorization: Basic <user:password>";
  }

  /** Equal, in time independent of where (or whether) they differ. */
  public static boolean same(String given, String expected) {
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
