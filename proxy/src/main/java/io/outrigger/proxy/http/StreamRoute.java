package io.outrigger.proxy.http;

import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.http.router.Router;
import io.outrigger.proxy.upstream.Cluster;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The route of an {@link HttpStream}: resolved once and shared by its filters and its router, then
 * followed (a {@link Router} for a cluster, a direct response, or a local reply when nothing
 * matched); and the filters' watches on the per-route config of newer routes.
 *
 * <p>Stateless: the stream holds the decision and the watches, so nothing is made per request. Runs
 * on the stream's event loop.
 */
final class StreamRoute {
  private StreamRoute() {}

  /**
   * The route, resolved once, on first use: by a filter asking for its per-route config or the
   * route's cluster, else by {@link #follow}. Filters and router then agree on one decision (one
   * weighted-cluster pick); a filter that changes routing headers afterwards does not re-route.
   */
  static RouteDecision decision(HttpStream s) {
    if (s.routeDecision == null) {
      s.routeDecision = s.hcm.routes().resolve(s.request, s.scheme(), s.remoteIp());
    }
    return s.routeDecision;
  }

  /** The filters let the request pass: it goes where its route says. */
  static void follow(HttpStream s) {
    RouteDecision decision = decision(s);
    if (decision instanceof RouteDecision.Forward forward) {
      forward(s, forward);
    } else if (decision instanceof RouteDecision.Respond respond) {
      LocalReplyWriter.respond(s, respond);
    } else if (decision instanceof RouteDecision.NoCluster nc) {
      s.sendLocalReply(503, nc.reason(), "cluster_not_found", ResponseFlag.NC);
    } else {
      s.sendLocalReply(404, "", "route_not_found", ResponseFlag.NR);
    }
  }

  private static void forward(HttpStream s, RouteDecision.Forward forward) {
    Cluster cluster = s.hcm.clusters().get(forward.cluster());
    if (cluster == null) {
      s.sendLocalReply(
          503, "cluster not found: " + forward.cluster(), "cluster_not_found", ResponseFlag.NC);
      return;
    }
    if (s.upgradeType != null && !forward.upgradeAllowed()) {
      s.sendLocalReply(403, "upgrade not allowed", "upgrade_failed", null);
      return;
    }
    forward.rewriteRequest().accept(s.request);
    s.timeouts.routeIdleTimeout(forward.idleTimeout());
    s.record.upstreamCluster = cluster.name();
    s.upstream =
        new Router(
            s,
            s.io.eventLoop(),
            s.hcm.pools().apply(s.io.eventLoop()),
            cluster,
            forward,
            s.request,
            s.upgradeType != null,
            s.hcm.random());
    s.upstream.start();
  }

  /** See {@link io.outrigger.filters.http.HttpFilterCallbacks#watchPerRouteConfig}. */
  static <T> Runnable watchPerRouteConfig(
      HttpStream s, String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    if (s.done) {
      return () -> {};
    }
    if (s.routeWatches == null) {
      // The stream keeps its own route; a watcher hears what the newest routes say of its request.
      s.routeWatches =
          new RouteWatches(
              s.hcm.routes(),
              s.io.eventLoop(),
              () -> s.done ? null : s.hcm.routes().resolve(s.request, s.scheme(), s.remoteIp()));
    }
    return s.routeWatches.add(filterName, type, watcher);
  }
}
