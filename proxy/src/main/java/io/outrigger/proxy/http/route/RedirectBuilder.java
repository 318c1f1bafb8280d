package io.outrigger.proxy.http.route;

import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RedirectRoute;

/**
 * Builds the {@code Location} of a {@link RedirectRoute} from the request, as Envoy does: scheme,
 * host, port and path are the request's unless the redirect replaces them.
 *
 * <p>Port: {@code port_redirect} replaces the request's port; a {@code host_redirect} without a
 * port drops it; when only the scheme changes, a port that is the default of either scheme (80,
 * 443) is dropped so that {@code http://a:80} redirects to {@code https://a}. Query: kept unless
 * {@code strip_query}; a {@code path_redirect} with its own query replaces it.
 */
public final class RedirectBuilder {
  private RedirectBuilder() {}

  /**
   * @param redirect the route's action
   * @param match the route's path match (for {@code prefix_rewrite})
   * @param caseSensitive the route match's case sensitivity
   * @param req the request
   * @return an absolute URL
   */
  public static String location(
      RedirectRoute redirect, PathMatch match, boolean caseSensitive, RouteRequest req) {
    String scheme = redirect.scheme().orElse(req.scheme());
    boolean schemeChanged = !scheme.equalsIgnoreCase(req.scheme());
    String host;
    String port;
    if (redirect.host().isPresent()) {
      host = hostOf(redirect.host().get());
      port = portOf(redirect.host().get());
    } else {
      host = hostOf(req.authority());
      port = portOf(req.authority());
      if (schemeChanged && (port.equals("80") || port.equals("443"))) {
        port = "";
      }
    }
    if (redirect.port() != 0) {
      port = Integer.toString(redirect.port());
    }
    StringBuilder sb = new StringBuilder(64).append(scheme).append("://").append(host);
    if (!port.isEmpty()) {
      sb.append(':').append(port);
    }
    return sb.append(pathAndQuery(redirect, match, caseSensitive, req.path())).toString();
  }

  private static String pathAndQuery(
      RedirectRoute redirect, PathMatch match, boolean caseSensitive, String target) {
    int q = PathRewriter.queryStart(target);
    String path = target.substring(0, q);
    String query = q < target.length() && target.charAt(q) == '?' ? target.substring(q) : "";
    if (redirect.stripQuery()) {
      query = "";
    }
    if (redirect.pathRedirect().isPresent()) {
      String newPath = redirect.pathRedirect().get();
      return newPath.indexOf('?') >= 0 ? newPath : newPath + query;
    }
    if (redirect.prefixRewrite().isPresent()) {
      String matched =
          match instanceof PathMatch.Prefix p
              ? p.prefix()
              : match instanceof PathMatch.Exact e ? e.path() : "";
      if (path.regionMatches(!caseSensitive, 0, matched, 0, matched.length())) {
        path = redirect.prefixRewrite().get() + path.substring(matched.length());
      }
    }
    return path + query;
  }

  /** The host of an authority, without port; IPv6 literals keep their brackets. */
  static String hostOf(String authority) {
    int colon = portColon(authority);
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** The port of an authority as text, empty when it has none. */
  static String portOf(String authority) {
    int colon = portColon(authority);
    return colon < 0 ? "" : authority.substring(colon + 1);
  }

  private static int portColon(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.lastIndexOf(']') > colon) {
      return -1;
    }
    return colon;
  }
}
