package io.hoptrace.web;

import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses, as the JSON body {@code {"error": "<code>", "message": "<what is wrong>"}}
 * (+ {@code "parameter"} when one query parameter is at fault) with an HTTP status. Thrown (or failed
 * with) in handlers; {@link ApiRouter} writes it, adding the {@code traceId}.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String parameter;

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  private ApiError(int status, String code, String message, String parameter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.parameter = parameter;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** 400 {@code invalid_parameter}: a query or path parameter that is unknown, repeated or malformed. */
  public static ApiError invalidParameter(String parameter, String message) {
    return new ApiError(400, "invalid_parameter", message, parameter);
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

  /** The parameter at fault, or null. */
  public String parameter() {
    return parameter;
  }

  public JsonObject body() {
    JsonObject body = new JsonObject().put("error", code).put("message", getMessage());
    if (parameter != null) {
      body.put("parameter", parameter);
    }
    return body;
  }
}
