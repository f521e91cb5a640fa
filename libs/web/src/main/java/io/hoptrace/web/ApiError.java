package io.hoptrace.web;

import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses, as the JSON body {@code {"error": "<code>", "message": "<what is wrong>"}}
 * with an HTTP status. Thrown (or failed with) in handlers; {@link ApiRouter} writes it.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, code, message);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message);
  }

  public static ApiError unavailable(String code, String message) {
    return new ApiError(503, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject body() {
    return new JsonObject().put("error", code).put("message", getMessage());
  }
}
