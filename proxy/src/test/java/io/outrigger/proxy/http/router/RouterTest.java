package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.ResourceLimitsConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tracing.StreamSpan;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.RoundRobinLoadBalancer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The router against a scripted stream: no sockets, no event loop, no connection pool. Only paths
 * that end before an upstream connection is asked for can run here; the rest are covered through
 * the proxy ({@code RetryThroughProxyTest}, {@code ResourceLimitsThroughProxyTest}).
 */
class RouterTest {
  private final ProxyStats stats = new ProxyStats();
  private final Cluster emptyCluster = cluster("backend");
  private final RouteDecision.Forward route =
      new RouteDecision.Forward(
          "backend",
          Duration.ofSeconds(15),
          Duration.ZERO,
          OptionalLong.empty(),
          false,
          request -> {},
          headers -> {},
          false);
  private final ScriptedStream stream = new ScriptedStream();

  @Test
  void answers503NoHealthyUpstreamWhenTheClusterHasNoHost() {
    Router router = router();

    router.start();

    assertThat(stream.localReplies).isEqualTo(1);
    assertThat(stream.replyStatus).isEqualTo(503);
    assertThat(stream.replyBody).isEqualTo("no healthy upstream");
    assertThat(stream.replyDetails).isEqualTo("no_healthy_upstream");
    assertThat(stream.replyFlag).isEqualTo(ResponseFlag.UH);
    assertThat(stream.hostsChosen).isZero();
    assertThat(router.attemptCount()).isZero();
    assertThat(
            stats
                .registry()
                .get("upstream_cx_none_healthy")
                .tag("cluster", "backend")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void takesTheEarlyBodyAndLetsGoOfItAndTheRouteTimeoutWhenItAnswersLocally() {
    ByteBuf piece = Unpooled.copiedBuffer("early", StandardCharsets.UTF_8);
    stream.pending.add(new DefaultHttpContent(piece));
    stream.requestComplete = true;
    Router router = router();

    router.start();

    assertThat(stream.pending).isEmpty();
    assertThat(piece.refCnt()).isZero();
    assertThat(stream.routeTimeoutNanos).isEqualTo(TimeUnit.SECONDS.toNanos(15));
    assertThat(stream.routeTimeoutCleared).isTrue();
    assertThat(stream.replyStatus).isEqualTo(503);
  }

  @Test
  void aCancelAfterTheLocalReplyAsksNothingMoreOfTheStream() {
    Router router = router();
    router.start();

    router.cancel();
    router.onRouteTimeout();

    assertThat(stream.localReplies).isEqualTo(1);
    assertThat(stream.resets).isZero();
  }

  private Router router() {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    // No event loop and no pools: a cluster without hosts never gets as far as either.
    return new Router(
        stream, null, null, emptyCluster, route, request, false, new SplittableRandom(7));
  }

  private Cluster cluster(String name) {
    ClusterConfig config =
        new ClusterConfig(
            name,
            DiscoveryType.STATIC,
            Duration.ofSeconds(1),
            LbConfig.RoundRobin.INSTANCE,
            List.of(),
            DnsLookupFamily.AUTO,
            Duration.ofSeconds(5),
            1024,
            UpstreamHttpOptions.DEFAULT,
            ResourceLimitsConfig.DEFAULT,
            Optional.empty(),
            List.of(),
            50.0);
    return new Cluster(config, stats.cluster(name), new RoundRobinLoadBalancer(0));
  }

  /** Records what the router asks of its stream; answers as a live, writable downstream would. */
  private static final class ScriptedStream implements RouterCallbacks {
    final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    boolean requestComplete;
    int localReplies;
    int replyStatus;
    String replyBody;
    String replyDetails;
    ResponseFlag replyFlag;
    int resets;
    int hostsChosen;
    long routeTimeoutNanos = -1;
    boolean routeTimeoutCleared;

    @Override
    public boolean requestHasBody() {
      return false;
    }

    @Override
    public boolean requestComplete() {
      return requestComplete;
    }

    @Override
    public HttpContent pollPendingBody() {
      return pending.poll();
    }

    @Override
    public InetSocketAddress downstreamOriginalDestination() {
      return null;
    }

    @Override
    public StreamSpan span() {
      return StreamSpan.NONE;
    }

    @Override
    public void maybeReadDownstream() {}

    @Override
    public void requestDownstreamRead() {}

    @Override
    public boolean downstreamWritable() {
      return true;
    }

    @Override
    public void upstreamHostChosen(String upstreamHostAddress) {
      hostsChosen++;
    }

    @Override
    public void encodeHeaders(HttpResponse response, String upstreamHostAddress) {
      throw new AssertionError("no upstream answered");
    }

    @Override
    public void encodeContent(HttpContent content) {
      throw new AssertionError("no upstream answered");
    }

    @Override
    public void flushDownstream() {}

    @Override
    public void switchToTunnel() {
      throw new AssertionError("no upstream answered");
    }

    @Override
    public void encodeTunnelBytes(ByteBuf data) {
      throw new AssertionError("no upstream answered");
    }

    @Override
    public void sendLocalReply(int status, String body, String details, ResponseFlag flag) {
      localReplies++;
      replyStatus = status;
      replyBody = body;
      replyDetails = details;
      replyFlag = flag;
    }

    @Override
    public void sendOverloaded(String reason) {
      sendLocalReply(503, reason, "upstream_overflow", ResponseFlag.UO);
    }

    @Override
    public void resetDownstream(ResponseFlag flag, String details) {
      resets++;
    }

    @Override
    public void armRouteTimeout(long nanos) {
      routeTimeoutNanos = nanos;
    }

    @Override
    public void clearRouteTimeout() {
      routeTimeoutCleared = true;
    }
  }
}
