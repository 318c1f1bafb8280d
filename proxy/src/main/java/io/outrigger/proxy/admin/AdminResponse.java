package io.outrigger.proxy.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What an admin endpoint answers.
 *
 * @param status the HTTP status
 * @param contentType the media type of {@code body}
 * @param body the body text, UTF-8
 * @param afterSend run once the response has been written (used by {@code /quitquitquit} to stop
 *     after answering); never null
 */
public record AdminResponse(
    HttpResponseStatus status, String contentType, String body, Runnable afterSend) {
  public static final String TEXT = "text/plain; charset=UTF-8";
  public static final String JSON = "application/json";
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  public AdminResponse {
    requireNonNull(status, "status");
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
    requireNonNull(afterSend, "afterSend");
  }

  public static AdminResponse text(HttpResponseStatus status, String body) {
    return new AdminResponse(status, TEXT, body, () -> {});
  }

  public static AdminResponse ok(String body) {
    return text(HttpResponseStatus.OK, body);
  }

  public static AdminResponse json(String body) {
    return new AdminResponse(HttpResponseStatus.OK, JSON, body, () -> {});
  }

  public AdminResponse then(Runnable action) {
    return new AdminResponse(status, contentType, body, action);
  }
}
