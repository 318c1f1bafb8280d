package io.outrigger.proxy.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bootstrap's {@code overload_manager} in a real sidecar: a heap budget the sidecar is always
 * over sheds every request with 503, and {@code global_downstream_max_connections} closes the
 * connection past the limit at accept.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverloadThroughSidecarTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> sockets = new ArrayList<>();
  private HttpUpstream upstream;
  private SidecarFixture sidecar;

  private void start(String overload) throws Exception {
    upstream = new HttpUpstream("u1");
    sidecar =
        SidecarFixture.start(
            Bootstraps.httpProxy("edge", upstream.port()) + "overload_manager:\n" + overload,
            Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private HttpResponse<String> get() throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + "/x"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String HEAP_MONITOR =
      """
        refresh_interval: 0.05s
        resource_monitors:
        - name: envoy.resource_monitors.fixed_heap
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
            max_heap_size_bytes: %d
        actions:
        - name: envoy.overload_actions.stop_accepting_requests
          triggers:
          - name: envoy.resource_monitors.fixed_heap
            threshold: { value: 0.95 }
      """;

  @Test
  void overItsHeapBudgetTheSidecarShedsRequestsWith503() throws Exception {
    start(HEAP_MONITOR.formatted(1024)); // a 1 KiB budget: always over

    await()
        .until(
            () ->
                sidecar.metric(
                        "envoy_overload_envoy_overload_actions_stop_accepting_requests_active")
                    == 1.0);
    HttpResponse<String> r = get();

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("x-envoy-overloaded")).hasValue("true");
    assertThat(r.body()).contains("envoy overloaded");
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void underItsHeapBudgetTheSidecarServes() throws Exception {
    start(HEAP_MONITOR.formatted(1L << 40));

    await()
        .until(
            () ->
                sidecar.metric("envoy_overload_envoy_resource_monitors_fixed_heap_pressure") >= 0);
    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void pastGlobalDownstreamMaxConnectionsANewConnectionIsClosedAtAccept() throws Exception {
    start(
        """
          resource_monitors:
          - name: envoy.resource_monitors.global_downstream_max_connections
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig
              max_active_downstream_connections: 2
        """);
    int port = sidecar.listener("edge").getPort();
    for (int i = 0; i < 2; i++) {
      Socket s = new Socket("127.0.0.1", port);
      sockets.add(s);
    }
    await().until(() -> sidecar.metric("envoy_overload_downstream_connections") == 2.0);

    Socket third = new Socket("127.0.0.1", port);
    sockets.add(third);
    third.setSoTimeout(5_000);

    assertThat(closed(third)).isTrue();
    sockets.get(0).close();
    await().until(() -> sidecar.metric("envoy_overload_downstream_connections") == 1.0);
    assertThat(get().statusCode()).isEqualTo(200);
  }

  private static boolean closed(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }
}
