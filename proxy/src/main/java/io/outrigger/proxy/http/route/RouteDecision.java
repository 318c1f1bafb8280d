package io.outrigger.proxy.http.route;

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
   * The matched route's per-filter configs ({@code typed_per_filter_config}); {@link
   * RouteFilterConfigs#NONE} when no route matched.
   */
  default RouteFilterConfigs perFilterConfigs() {
    return RouteFilterConfigs.NONE;
  }

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
   * @param perFilterConfigs the route's per-filter configs
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
      RouteRetry retry,
      RouteFilterConfigs perFilterConfigs)
      implements RouteDecision {

    /** A forward without retries, hedging, an attempt count or per-filter configs. */
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
          RouteRetry.DEFAULT,
          RouteFilterConfigs.NONE);
    }
  }

  /**
   * Answer locally: a {@code direct_response} or a {@code redirect}.
   *
   * @param body the bytes to send, exactly; empty for none (not copied: never change them)
   * @param location the {@code location} header for a redirect, or {@code null}
   * @param perFilterConfigs the route's per-filter configs
   */
  record Respond(
      int status,
      byte[] body,
      String location,
      Consumer<HttpHeaders> mutateResponse,
      RouteFilterConfigs perFilterConfigs)
      implements RouteDecision {

    /** An answer without per-filter configs. */
    public Respond(int status, byte[] body, String location, Consumer<HttpHeaders> mutateResponse) {
      this(status, body, location, mutateResponse, RouteFilterConfigs.NONE);
    }
  }

  /** No virtual host or route matched: 404. */
  record NoRoute() implements RouteDecision {}

  /** The route named no usable cluster (e.g. a missing {@code cluster_header}): 503. */
  record NoCluster(String reason) implements RouteDecision {}
}
