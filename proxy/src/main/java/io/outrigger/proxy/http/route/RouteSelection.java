package io.outrigger.proxy.http.route;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.VirtualHost;
import java.util.OptionalLong;

/**
 * The result of {@link RouteTable#select}: the route a request takes.
 *
 * @param virtualHost the virtual host chosen by the authority
 * @param route the first route of that host whose match matched; its {@link Route#action()} says
 *     whether to forward, redirect or answer directly
 * @param clusterName for a {@link ClusterRoute}: the chosen cluster; null when {@code
 *     cluster_header} named none (the caller answers 503, as Envoy does with cluster_not_found);
 *     null for the other actions
 * @param clusterNotFoundReason why {@code clusterName} is null for a cluster route, else null
 * @param hash the request hash from the route's {@code hash_policy}; empty when the route has none
 *     or none produced a value
 * @param pathRewriter the route's path and host rewrites
 * @param headerMutator the route's, its virtual host's and the route configuration's header
 *     mutations in Envoy's order
 * @param requestRewrite the path and host rewrites and the request header mutations, as one
 *     function made with the route table
 */
public record RouteSelection(
    VirtualHost virtualHost,
    Route route,
    String clusterName,
    String clusterNotFoundReason,
    OptionalLong hash,
    PathRewriter pathRewriter,
    HeaderMutator headerMutator,
    RequestRewrite requestRewrite) {
  public RouteSelection {
    requireNonNull(virtualHost, "virtualHost");
    requireNonNull(route, "route");
    requireNonNull(hash, "hash");
    requireNonNull(pathRewriter, "pathRewriter");
    requireNonNull(headerMutator, "headerMutator");
    requireNonNull(requestRewrite, "requestRewrite");
  }

  /** Whether the route forwards upstream but no cluster could be chosen (answer 503). */
  public boolean clusterNotFound() {
    return route.action() instanceof ClusterRoute && clusterName == null;
  }
}
