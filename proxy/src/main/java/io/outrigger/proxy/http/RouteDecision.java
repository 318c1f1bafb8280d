package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.http.RouteRetry;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** What routing decided for one request. */
public sealed interface RouteDecision
    permits RouteDecision.Forward,
        RouteDecision.Respond,
        RouteDecision.NoRoute,
        RouteDecision.NoCluster {

  /**
   * Proxy to a cluster.
   *
   * @param cluster the cluster name
   * @param timeout the route timeout over all attempts; zero disables
   * @param idleTimeout the per-stream idle timeout of the route; zero means the listener's
   * @param hash the request's hash for hash-based balancers, if the route has a hash policy
   * @param autoHostRewrite whether the host header becomes the upstream host's address
   * @param rewriteRequest applies path and host rewrites and the request header mutations
   * @param mutateResponse applies the response header mutations
   * @param upgradeAllowed whether an upgrade request (WebSocket) may pass on this route
   * @param retry the route's retry policy, hedging and replay buffer
   */
  record Forward(
      String cluster,
      Duration timeout,
      Duration idleTimeout,
      OptionalLong hash,
      boolean autoHostRewrite,
      Consumer<HttpRequest> rewriteRequest,
      Consumer<HttpHeaders> mutateResponse,
      boolean upgradeAllowed,
      RouteRetry retry)
      implements RouteDecision {

    /** A forward without retries, hedging or an attempt count. */
    public Forward(
        String cluster,
        Duration timeout,
        Duration idleTimeout,
        OptionalLong hash,
        boolean autoHostRewrite,
        Consumer<HttpRequest> rewriteRequest,
        Consumer<HttpHeaders> mutateResponse,
        boolean upgradeAllowed) {
      this(
          cluster,
          timeout,
          idleTimeout,
          hash,
          autoHostRewrite,
          rewriteRequest,
          mutateResponse,
          upgradeAllowed,
          RouteRetry.DEFAULT);
    }
  }

  /**
   * Answer locally: a {@code direct_response} or a {@code redirect}.
   *
   * @param location the {@code location} header for a redirect, or {@code null}
   */
  record Respond(int status, String body, String location, Consumer<HttpHeaders> mutateResponse)
      implements RouteDecision {}

  /** No virtual host or route matched: 404. */
  record NoRoute() implements RouteDecision {}

  /** The route named no usable cluster (e.g. a missing {@code cluster_header}): 503. */
  record NoCluster(String reason) implements RouteDecision {}
}
