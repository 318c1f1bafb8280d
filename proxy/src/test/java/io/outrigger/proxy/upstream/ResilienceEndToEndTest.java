package io.outrigger.proxy.upstream;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Active health checks and outlier detection through a whole sidecar, seen from the admin. */
class ResilienceEndToEndTest {

  private static JsonObject hostStatus(SidecarFixture proxy, int port) throws Exception {
    JsonArray hosts =
        JsonParser.parseString(proxy.admin("GET", "/clusters?format=json").body())
            .getAsJsonObject()
            .getAsJsonArray("cluster_statuses")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("host_statuses");
    for (var h : hosts) {
      JsonObject host = h.getAsJsonObject();
      if (host.getAsJsonObject("address")
              .getAsJsonObject("socket_address")
              .get("port_value")
              .getAsInt()
          == port) {
        return host.getAsJsonObject("health_status");
      }
    }
    throw new AssertionError("no host with port " + port);
  }

  private static boolean flag(JsonObject health, String name) {
    return health.has(name) && health.get(name).getAsBoolean();
  }

  /** One HTTP/1.0 request through the tcp_proxy listener; the answer's body, or "" on failure. */
  private static String get(InetSocketAddress listener) {
    try (Socket s = new Socket(listener.getAddress(), listener.getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    } catch (IOException e) {
      return "";
    }
  }

  /** Writes one byte through the listener; whether it came back. */
  private static boolean echoes(InetSocketAddress listener) {
    try (Socket s = new Socket(listener.getAddress(), listener.getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write('x');
      InputStream in = s.getInputStream();
      return in.read() == 'x';
    } catch (IOException e) {
      return false;
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void healthChecksKeepAFailingHostOutUntilItPassesAgain() throws Exception {
    try (HttpUpstream good = new HttpUpstream("good");
        HttpUpstream bad = new HttpUpstream("bad")) {
      bad.healthStatus(503);
      String yaml =
          tcpProxy(
              "",
              """
              health_checks:
              - timeout: 1s
                interval: 0.2s
                no_traffic_interval: 0.2s
                unhealthy_threshold: 1
                healthy_threshold: 1
                http_health_check: { path: /healthz }
              """,
              endpoint(good.port()),
              endpoint(bad.port()));
      try (SidecarFixture proxy = SidecarFixture.start(yaml, Map.of())) {
        // Start-up waited for the first round of checks: the verdicts are already in.
        String text = proxy.admin("GET", "/clusters").body();
        assertThat(text)
            .contains("service::127.0.0.1:" + bad.port() + "::health_flags::/failed_active_hc")
            .contains("service::127.0.0.1:" + good.port() + "::health_flags::healthy");
        assertThat(flag(hostStatus(proxy, bad.port()), "failed_active_health_check")).isTrue();
        assertThat(flag(hostStatus(proxy, good.port()), "failed_active_health_check")).isFalse();
        assertThat(
                proxy.metric("envoy_cluster_health_check_healthy{envoy_cluster_name=\"service\"}"))
            .isEqualTo(1);
        assertThat(
                proxy.metric("envoy_cluster_health_check_failure{envoy_cluster_name=\"service\"}"))
            .isPositive();
        assertThat(good.seen().get(0).header("host")).isEqualTo("service");

        InetSocketAddress listener = proxy.listener("ingress");
        for (int i = 0; i < 4; i++) {
          assertThat(get(listener)).isEqualTo("hello from good");
        }

        bad.healthStatus(200);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(proxy.admin("GET", "/clusters").body())
                        .contains("service::127.0.0.1:" + bad.port() + "::health_flags::healthy"));
        assertThat(
                proxy.metric("envoy_cluster_health_check_healthy{envoy_cluster_name=\"service\"}"))
            .isEqualTo(2);
      }
    }
  }

  @Test
  void outlierDetectionEjectsAHostThatRefusesConnections() throws Exception {
    int dead = closedPort();
    try (TcpUpstream live = TcpUpstream.start(TcpUpstream.ECHO)) {
      String yaml =
          tcpProxy(
              "",
              """
              outlier_detection:
                consecutive_5xx: 2
                max_ejection_percent: 50
                interval: 1s
                base_ejection_time: 60s
              """,
              endpoint(live.port()),
              endpoint(dead));
      try (SidecarFixture proxy = SidecarFixture.start(yaml, Map.of())) {
        InetSocketAddress listener = proxy.listener("ingress");

        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  echoes(listener);
                  assertThat(flag(hostStatus(proxy, dead), "failed_outlier_check")).isTrue();
                });

        assertThat(proxy.admin("GET", "/clusters").body())
            .contains("service::127.0.0.1:" + dead + "::health_flags::/failed_outlier_check");
        assertThat(flag(hostStatus(proxy, live.port()), "failed_outlier_check")).isFalse();
        assertThat(
                proxy.metric(
                    "envoy_cluster_outlier_detection_ejections_active{envoy_cluster_name=\"service\"}"))
            .isEqualTo(1);
        assertThat(
                proxy.metric(
                    "envoy_cluster_outlier_detection_ejections_enforced_consecutive_5xx{envoy_cluster_name=\"service\"}"))
            .isEqualTo(1);
        for (int i = 0; i < 5; i++) {
          assertThat(echoes(listener)).as("connection %d goes to the live host", i).isTrue();
        }
      }
    }
  }
}
