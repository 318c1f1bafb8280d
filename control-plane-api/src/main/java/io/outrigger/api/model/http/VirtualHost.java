package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code route.v3.VirtualHost}: the routes for a set of domains.
 *
 * @param name required; unique in the route configuration
 * @param domains at least one, kept lower-case: an exact host ({@code example.com}, optionally with
 *     {@code :port}), a suffix wildcard ({@code *.example.com}), a prefix wildcard ({@code
 *     example.*}) or {@code *}
 * @param routes tried in order, the first match wins
 * @param requestHeaders request header mutation of this virtual host
 * @param responseHeaders response header mutation of this virtual host
 * @param typedPerFilterConfig per HTTP filter name, that filter's config for the routes of this
 *     virtual host (a route's own entry for the same filter replaces it); empty for none
 */
public record VirtualHost(
    String name,
    List<String> domains,
    List<Route> routes,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    Map<String, HttpFilterConfig> typedPerFilterConfig) {
  public VirtualHost {
    typedPerFilterConfig = Map.copyOf(requireNonNull(typedPerFilterConfig, "typedPerFilterConfig"));
    requireNonNull(name, "name");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
    routes = List.copyOf(requireNonNull(routes, "routes"));
    domains = requireNonNull(domains, "domains").stream().map(VirtualHost::domain).toList();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a virtual host name)");
    }
    if (domains.isEmpty()) {
      throw new IllegalArgumentException(
          "domains: empty (expected: at least one domain, or \"*\")");
    }
  }

  /** A virtual host without per-filter configs. */
  public VirtualHost(
      String name,
      List<String> domains,
      List<Route> routes,
      HeaderMutation requestHeaders,
      HeaderMutation responseHeaders) {
    this(name, domains, routes, requestHeaders, responseHeaders, Map.of());
  }

  private static String domain(String domain) {
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("domains: empty domain (expected: a host or \"*\")");
    }
    int star = domain.indexOf('*');
    boolean ok =
        star < 0
            || domain.equals("*")
            || (star == 0 && domain.length() > 1 && domain.indexOf('*', 1) < 0)
            || (star == domain.length() - 1 && domain.length() > 1);
    if (!ok) {
      throw new IllegalArgumentException(
          "domains: \""
              + domain
              + "\" (expected: \"*\" alone, or one \"*\" at the start or at the end)");
    }
    return domain.toLowerCase(Locale.ROOT);
  }
}
