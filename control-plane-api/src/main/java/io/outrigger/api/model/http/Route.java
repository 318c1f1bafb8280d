package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * {@code route.v3.Route}.
 *
 * @param name may be empty
 * @param match when the route applies
 * @param action what it does
 * @param requestHeaders request header mutation of this route
 * @param responseHeaders response header mutation of this route
 * @param typedPerFilterConfig per HTTP filter name, that filter's config for this route; it
 *     replaces the virtual host's entry for the same filter; empty for none
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    Map<String, HttpFilterConfig> typedPerFilterConfig) {
  public Route {
    typedPerFilterConfig = Map.copyOf(requireNonNull(typedPerFilterConfig, "typedPerFilterConfig"));
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
  }

  /** A route without per-filter configs. */
  public Route(
      String name,
      RouteMatch match,
      RouteAction action,
      HeaderMutation requestHeaders,
      HeaderMutation responseHeaders) {
    this(name, match, action, requestHeaders, responseHeaders, Map.of());
  }

  /** A route without a name or header mutations. */
  public static Route of(RouteMatch match, RouteAction action) {
    return new Route("", match, action, HeaderMutation.NONE, HeaderMutation.NONE);
  }
}
