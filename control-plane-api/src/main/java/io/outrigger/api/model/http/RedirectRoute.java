package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code route.v3.RedirectAction}: answer with a redirect whose {@code Location} is the request URL
 * with the parts below replaced.
 *
 * @param scheme {@code scheme_redirect}, or {@code "https"} for {@code https_redirect}; empty keeps
 *     the request's
 * @param host {@code host_redirect}; empty keeps the request's
 * @param port {@code port_redirect}; 0 (the default) keeps the request's
 * @param pathRedirect replaces the whole path; a query in it replaces the request's
 * @param prefixRewrite replaces the matched prefix of the path; not with {@code pathRedirect}
 * @param responseCode default {@link RedirectResponseCode#MOVED_PERMANENTLY}
 * @param stripQuery drop the request's query; default false
 */
public record RedirectRoute(
    Optional<String> scheme,
    Optional<String> host,
    int port,
    Optional<String> pathRedirect,
    Optional<String> prefixRewrite,
    RedirectResponseCode responseCode,
    boolean stripQuery)
    implements RouteAction {
  public RedirectRoute {
    requireNonNull(scheme, "scheme");
    requireNonNull(host, "host");
    requireNonNull(pathRedirect, "pathRedirect");
    requireNonNull(prefixRewrite, "prefixRewrite");
    requireNonNull(responseCode, "responseCode");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port_redirect: " + port + " (expected: 0..65535)");
    }
    if (pathRedirect.isPresent() && prefixRewrite.isPresent()) {
      throw new IllegalArgumentException(
          "prefix_rewrite: cannot be set together with path_redirect");
    }
    if (pathRedirect.isPresent() && !pathRedirect.get().startsWith("/")) {
      throw new IllegalArgumentException(
          "path_redirect: \"" + pathRedirect.get() + "\" (expected: a path starting with /)");
    }
  }
}
