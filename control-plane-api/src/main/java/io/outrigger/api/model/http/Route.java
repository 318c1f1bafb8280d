package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code route.v3.Route}.
 *
 * @param name may be empty
 * @param match when the route applies
 * @param action what it does
 * @param requestHeaders request header mutation of this route
 * @param responseHeaders response header mutation of this route
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders) {
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
  }

  /** A route without a name or header mutations. */
  public static Route of(RouteMatch match, RouteAction action) {
    return new Route("", match, action, HeaderMutation.NONE, HeaderMutation.NONE);
  }
}
