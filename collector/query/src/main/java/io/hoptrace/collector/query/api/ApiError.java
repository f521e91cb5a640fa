package io.hoptrace.collector.query.api;

import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses, with the HTTP status, the parameter at fault (if one) and a message
 * that says what was wrong and what is accepted. Rendered as JSON by {@link ApiResponses}.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String parameter;

  private ApiError(int status, String parameter, String message) {
    super(message, null, false, false);
    this.status = status;
    this.parameter = parameter;
  }

  public static ApiError badRequest(String parameter, String message) {
    return new ApiError(400, parameter, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, null, message);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("error", status == 404 ? "not found" : "bad request")
        .put("message", getMessage());
    if (parameter != null) {
      json.put("parameter", parameter);
    }
    return json;
  }
}
