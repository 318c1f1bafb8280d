package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No single control plane: a sidecar whose {@code xds} cluster lists two control planes follows the
 * first, and when it dies, fails over to the second within its back-off, taking the second's
 * configuration; the admin's {@code control_plane_endpoint} says which one answers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlPlaneFailoverTest {
  @TempDir Path dir;
  private ControlPlane first;
  private ControlPlane second;
  private Sidecar sidecar;

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    for (ControlPlane cp : new ControlPlane[] {first, second}) {
      if (cp != null) {
        cp.close();
      }
    }
  }

  private ControlPlane start(String name, String listener) throws Exception {
    Path resources = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        resources.resolve("listener.yaml"),
        """
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: %s
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.tcp_proxy
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: %s
                cluster: nowhere
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: nowhere
          connect_timeout: 1s
          load_assignment: { cluster_name: nowhere }
        """
            .formatted(listener, listener));
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    return ControlPlane.start(
        new ControlPlaneOptions(
            resources,
            any,
            any,
            Duration.ofMillis(50),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Clock.systemUTC(),
            Map.of()));
  }

  @Test
  void whenTheFirstControlPlaneDiesTheSidecarFollowsTheSecond() throws Exception {
    first = start("first", "from_first");
    second = start("second", "from_second");
    String one = AdsBootstrap.yaml("sidecar-1", "n1", 0, first.xdsAddress().getPort());
    // The same endpoint line again, for the second control plane, after the first.
    String line =
        one.lines()
            .filter(l -> l.contains("port_value: " + first.xdsAddress().getPort()))
            .findFirst()
            .orElseThrow();
    String bootstrap =
        one.replace(
            line,
            line
                + "\n"
                + line.replace(
                    "port_value: " + first.xdsAddress().getPort(),
                    "port_value: " + second.xdsAddress().getPort()));
    assertThat(bootstrap).contains("port_value: " + second.xdsAddress().getPort());
    sidecar =
        Sidecar.start(
            BootstrapLoader.load(bootstrap, "sidecar.yaml", Map.of()),
            new SidecarOptions(1, Duration.ofMillis(100)));
    await().atMost(Duration.ofSeconds(10)).until(() -> hasListener("from_first"));
    int firstPort = first.xdsAddress().getPort();
    assertThat(endpointGauge(firstPort)).isEqualTo(1.0);

    long killed = System.nanoTime();
    first.close();
    first = null;

    await().atMost(Duration.ofSeconds(20)).until(() -> hasListener("from_second"));
    long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    System.out.printf("failover to the second control plane: %d ms%n", failoverMillis);
    await().until(() -> !hasListener("from_first"));
    assertThat(endpointGauge(second.xdsAddress().getPort())).isEqualTo(1.0);
    assertThat(endpointGauge(firstPort)).isZero();
  }

  private boolean hasListener(String name) {
    try {
      return sidecar.listenerAddress(name) != null;
    } catch (IllegalArgumentException none) {
      return false;
    }
  }

  /** {@code envoy_control_plane_endpoint} for the endpoint on {@code port}. */
  private double endpointGauge(int port) throws Exception {
    for (String line : prometheus().split("\n")) {
      if (line.startsWith("envoy_control_plane_endpoint{") && line.contains(":" + port + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private String prometheus() throws Exception {
    int admin = sidecar.adminAddress().orElseThrow().getPort();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/stats/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
