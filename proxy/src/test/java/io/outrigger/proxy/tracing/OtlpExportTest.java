package io.outrigger.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sidecar's real OTLP exporters against local collector stubs: OTLP/HTTP protobuf to a JDK HTTP
 * server that takes {@code POST /v1/traces}, OTLP/gRPC to a grpc-java server, and a collector that
 * is down, which must not fail traffic and is counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpExportTest {
  private static final String SIDECAR =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: ingress
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                tracing:
                  provider:
                    name: envoy.tracers.opentelemetry
                    typed_config:
                      "@type": type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig
                      service_name: collector-test
                      EXPORT
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: app }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: app
          connect_timeout: 1s
          load_assignment:
            cluster_name: app
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${APP}" }
        - name: collector
          connect_timeout: 1s
          load_assignment:
            cluster_name: collector
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${COLLECTOR}" }
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private HttpUpstream app;
  private SidecarFixture sidecar;

  @BeforeEach
  void startApp() throws Exception {
    app = new HttpUpstream("app");
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    app.close();
  }

  @Test
  void otlpHttpCollectorReceivesSpans() throws Exception {
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    collector.createContext(
        "/v1/traces",
        ex -> {
          try (ex) {
            contentTypes.add(
                ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("content-type"));
            received.add(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(200, -1);
          }
        });
    collector.start();
    try {
      // The uri names another port: the export goes to the collector cluster's endpoint.
      start(
          "http_service: { http_uri: { uri: \"http://127.0.0.1:9/v1/traces\", cluster: collector,"
              + " timeout: 2s } }",
          collector.getAddress().getPort());
      assertThat(get("/hello").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
      assertThat(contentTypes.get(0)).isEqualTo("POST application/x-protobuf");
      String body = new String(received.get(0), StandardCharsets.ISO_8859_1);
      assertThat(body).contains("collector-test").contains("/hello").contains("outrigger.attempt");
      await()
          .until(
              () ->
                  sidecar.metric(
                          "envoy_tracing_opentelemetry_spans_exported{service_name=\"collector-test\"}")
                      == 2.0);
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void otlpGrpcCollectorReceivesSpans() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
            .addMethod(
                OtlpGrpcSpanExporter.EXPORT,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      received.add(request);
                      response.onNext(new byte[0]);
                      response.onCompleted();
                    }))
            .build();
    Server collector =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
    try {
      start("grpc_service: { envoy_grpc: { cluster_name: collector } }", collector.getPort());
      assertThat(get("/grpc-export").statusCode()).isEqualTo(200);
      // The first export also opens the exporter's channel; on a busy machine that can outlast
      // the export's 1 s deadline and its spans are dropped (it failed CI once so). Each retry
      // sends another request, whose span goes out on the channel by then open.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> !received.isEmpty() || get("/grpc-export").statusCode() < 0);
      assertThat(new String(received.get(0), StandardCharsets.ISO_8859_1))
          .contains("collector-test")
          .contains("/grpc-export");
    } finally {
      collector.shutdownNow();
    }
  }

  @Test
  void deadCollectorFailsNoRequestAndIsCounted() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort(); // closed again: connections to it are refused
    }
    start(
        "http_service: { http_uri: { uri: \"http://127.0.0.1:"
            + dead
            + "/v1/traces\", cluster:"
            + " collector, timeout: 1s } }",
        dead);
    for (int i = 0; i < 50; i++) {
      assertThat(get("/while-collector-down").statusCode()).isEqualTo(200);
    }
    await()
        .until(
            () ->
                sidecar.metric(
                        "envoy_tracing_opentelemetry_spans_failed{service_name=\"collector-test\"}")
                    == 100.0);
    assertThat(
            sidecar.metric(
                "envoy_tracing_opentelemetry_spans_exported{service_name=\"collector-test\"}"))
        .isZero();
    assertThat(
            sidecar.metric(
                "envoy_tracing_opentelemetry_spans_dropped{service_name=\"collector-test\"}"))
        .isZero();
  }

  private void start(String export, int collectorPort) throws Exception {
    sidecar =
        SidecarFixture.start(
            SIDECAR.replace("EXPORT", export), // YAML structure, not a value: not a ${VAR}
            Map.of("APP", "" + app.port(), "COLLECTOR", "" + collectorPort));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("ingress").getPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
