package io.outrigger.proxy.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * A path of the admin server, the methods it takes, a line of help for the index page, and the
 * endpoint that answers it.
 */
public record AdminRoute(
    String path, Set<HttpMethod> methods, String help, AdminEndpoint endpoint) {
  public AdminRoute {
    requireNonNull(path, "path");
    methods = Set.copyOf(methods);
    requireNonNull(help, "help");
    requireNonNull(endpoint, "endpoint");
  }

  public static AdminRoute get(String path, String help, AdminEndpoint endpoint) {
    return new AdminRoute(path, Set.of(HttpMethod.GET), help, endpoint);
  }

  public static AdminRoute post(String path, String help, AdminEndpoint endpoint) {
    return new AdminRoute(path, Set.of(HttpMethod.POST), help, endpoint);
  }

  public static AdminRoute getOrPost(String path, String help, AdminEndpoint endpoint) {
    return new AdminRoute(path, Set.of(HttpMethod.GET, HttpMethod.POST), help, endpoint);
  }
}
