package io.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.api.model.HealthCheckConfig.StatusRange;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.TcpUpstream;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.health.HealthProbe.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP and TCP probes against real sockets on 127.0.0.1. */
class HealthProbesTest {
  private static final Transport TRANSPORT = Transport.detect();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static EventLoopGroup group;
  private static EventLoop loop;
  private HttpUpstream http;

  @BeforeAll
  static void startLoop() {
    group = TRANSPORT.newEventLoopGroup(1, "test-hc");
    loop = group.next();
  }

  @AfterAll
  static void stopLoop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopUpstream() {
    if (http != null) {
      http.close();
    }
  }

  private static Host host(int port) {
    return new Host(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "127.0.0.1", 1);
  }

  private static Result run(HealthProbe probe, Host host) {
    CompletableFuture<Result> result = new CompletableFuture<>();
    CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
    loop.execute(
        () ->
            probe.probe(
                host,
                r -> {
                  onLoop.complete(loop.inEventLoop());
                  result.complete(r);
                }));
    await().atMost(Duration.ofSeconds(5)).until(result::isDone);
    assertThat(onLoop.join()).as("result delivered on the checker's loop").isTrue();
    return result.join();
  }

  private HttpHealthProbe httpProbe(HealthCheckConfig.HttpCheck check) {
    return new HttpHealthProbe(check, h -> "backend.local", loop, TRANSPORT, TIMEOUT);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void httpProbePassesOnAnExpectedStatusAndSendsHostAndUserAgent() throws Exception {
    http = new HttpUpstream("a");

    assertThat(run(httpProbe(HealthCheckConfig.HttpCheck.get("/healthz")), host(http.port())))
        .isEqualTo(Result.PASS);

    HttpUpstream.Seen seen = http.seen().get(0);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.uri()).isEqualTo("/healthz");
    assertThat(seen.header("host")).isEqualTo("backend.local");
    assertThat(seen.header("user-agent")).isEqualTo("Envoy/HC");
  }

  @Test
  void httpProbeFailsOnAnUnexpectedStatusAndCountsARetriableOne() throws Exception {
    http = new HttpUpstream("a");
    http.healthStatus(503);
    HealthCheckConfig.HttpCheck plain = HealthCheckConfig.HttpCheck.get("/healthz");
    HealthCheckConfig.HttpCheck retriable =
        new HealthCheckConfig.HttpCheck(
            "", "/healthz", "GET", List.of(), List.of(new StatusRange(503, 504)));

    assertThat(run(httpProbe(plain), host(http.port()))).isEqualTo(Result.FAIL);
    assertThat(run(httpProbe(retriable), host(http.port()))).isEqualTo(Result.RETRIABLE_FAIL);
  }

  @Test
  void httpProbeHonoursExpectedStatusRangesAndMethod() throws Exception {
    http = new HttpUpstream("a");
    http.healthStatus(204);
    HealthCheckConfig.HttpCheck check =
        new HealthCheckConfig.HttpCheck(
            "", "/healthz", "HEAD", List.of(new StatusRange(200, 300)), List.of());

    assertThat(run(httpProbe(check), host(http.port()))).isEqualTo(Result.PASS);
    assertThat(http.seen().get(0).method()).isEqualTo("HEAD");
  }

  @Test
  void httpProbeIsANetworkFailureWhenRefusedOrReset() throws Exception {
    assertThat(run(httpProbe(HealthCheckConfig.HttpCheck.get("/h")), host(closedPort())))
        .isEqualTo(Result.NETWORK_FAIL);
    try (TcpUpstream reset = TcpUpstream.start(TcpUpstream.RESET)) {
      assertThat(run(httpProbe(HealthCheckConfig.HttpCheck.get("/h")), host(reset.port())))
          .isEqualTo(Result.NETWORK_FAIL);
    }
  }

  @Test
  void tcpProbePassesWhenAConnectionOpensAndFailsWhenRefused() throws Exception {
    TcpHealthProbe probe = new TcpHealthProbe(loop, TRANSPORT, TIMEOUT);
    try (TcpUpstream up = TcpUpstream.start(TcpUpstream.ECHO)) {
      assertThat(run(probe, host(up.port()))).isEqualTo(Result.PASS);
      await().atMost(Duration.ofSeconds(5)).until(() -> up.accepted() == 1);
    }
    assertThat(run(probe, host(closedPort()))).isEqualTo(Result.NETWORK_FAIL);
  }

  @Test
  void aCancelledProbeClosesItsConnectionAndReportsNothing() throws Exception {
    try (TcpUpstream silent =
        TcpUpstream.start(
            (s, u) -> {
              while (s.getInputStream().read() >= 0) {
                // reads the request and never answers, until the probe closes
              }
            })) {
      HttpHealthProbe probe = httpProbe(HealthCheckConfig.HttpCheck.get("/h"));
      CompletableFuture<Result> result = new CompletableFuture<>();
      CompletableFuture<io.outrigger.proxy.upstream.Scheduler.Cancellable> handle =
          new CompletableFuture<>();
      loop.execute(() -> handle.complete(probe.probe(host(silent.port()), result::complete)));
      await().atMost(Duration.ofSeconds(5)).until(() -> silent.accepted() == 1);

      loop.submit(() -> handle.join().cancel()).sync();
      loop.submit(() -> {}).sync();

      assertThat(result).isNotDone();
    }
  }
}
