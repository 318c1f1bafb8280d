package io.outrigger.proxy.http.router;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.LbContext;
import java.util.HashSet;
import java.util.Set;

/**
 * What each attempt of one request sends where: the host (the balancer's pick, chosen again while
 * the {@code previous_hosts} predicate rejects it) and the request headers (the original for a
 * request that is sent once, a copy for each attempt of one that may be retried, with the attempt's
 * {@code host} rewrite and {@code x-envoy-attempt-count}).
 *
 * <p>Used on the stream's event loop only.
 */
final class AttemptRequests {
  private static final String ATTEMPT_COUNT = "x-envoy-attempt-count";

  private final Cluster cluster;
  private final RouteDecision.Forward route;
  private final HttpRequest request;
  private final LbContext lb;
  private final Set<Host> triedHosts;
  private final int hostSelectionAttempts;
  private boolean originalUsed;

  /**
   * @param previousHosts whether retries avoid the hosts already tried
   * @param hostSelectionAttempts how often to choose again when the predicate rejects a host
   * @param originalDestination where an {@code ORIGINAL_DST} cluster sends the request; {@code
   *     null} for other clusters
   */
  AttemptRequests(
      Cluster cluster,
      RouteDecision.Forward route,
      HttpRequest request,
      boolean previousHosts,
      int hostSelectionAttempts,
      java.net.InetSocketAddress originalDestination) {
    this.cluster = cluster;
    this.route = route;
    this.request = request;
    if (originalDestination != null) {
      this.lb = LbContext.ofOriginalDestination(originalDestination);
    } else {
      this.lb =
          route.hash().isPresent() ? LbContext.ofHash(route.hash().getAsLong()) : LbContext.NONE;
    }
    this.triedHosts = previousHosts ? new HashSet<>() : null;
    this.hostSelectionAttempts = hostSelectionAttempts;
  }

  /** The host for the next attempt, or null when the cluster has none to offer. */
  Host chooseHost() {
    Host host = cluster.chooseHost(lb);
    if (triedHosts == null || host == null) {
      return host;
    }
    for (int i = 0; i < hostSelectionAttempts && triedHosts.contains(host); i++) {
      Host other = cluster.chooseHost(lb);
      if (other == null) {
        break;
      }
      host = other;
    }
    triedHosts.add(host);
    return host;
  }

  /**
   * The request headers for attempt {@code number} to {@code host}.
   *
   * @param mayRetry whether another attempt may follow, so the original must stay untouched
   */
  HttpRequest requestFor(Host host, int number, boolean mayRetry) {
    HttpRequest r;
    if (mayRetry || originalUsed) {
      r =
          request instanceof FullHttpRequest full
              ? full.retainedDuplicate()
              : new DefaultHttpRequest(
                  request.protocolVersion(),
                  request.method(),
                  request.uri(),
                  request.headers().copy());
    } else {
      r = request;
      originalUsed = true;
    }
    if (route.autoHostRewrite()) {
      r.headers().set(HttpHeaderNames.HOST, host.addressString());
    }
    if (route.retry().includeAttemptCount()) {
      r.headers().set(ATTEMPT_COUNT, number);
    }
    return r;
  }

  /** The request ended: release the original unless an attempt took it over. */
  void release() {
    if (!originalUsed) {
      originalUsed = true;
      ReferenceCountUtil.release(request); // only a whole (HTTP/2) request is reference-counted
    }
  }
}
