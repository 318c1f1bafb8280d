package io.outrigger.proxy.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sidecars in one JVM, a client-side one that retries 5xx and a server-side one in front of an
 * upstream that fails once: one trace holds both sidecars' server spans and a client span per
 * attempt, with correct parents, and the upstream sees a {@code traceparent} of that trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingEndToEndTest {
  static final String SIDECAR =
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
                access_log:
                - name: envoy.access_loggers.file
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: "${LOG}"
                    log_format:
                      text_format_source:
                        inline_string: "%TRACE_ID% %UPSTREAM_REQUEST_ATTEMPT_COUNT%\\n"
                tracing:
                  provider:
                    name: envoy.tracers.opentelemetry
                    typed_config:
                      "@type": type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig
                      service_name: "${SERVICE}"
                      http_service:
                        http_uri: { uri: "http://127.0.0.1:1/v1/traces", cluster: collector, timeout: 1s }
                  custom_tags:
                  - tag: side
                    literal: { value: "${SERVICE}" }
                  - tag: tenant
                    request_header: { name: x-tenant, default_value: none }
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route:
                        cluster: next
                        retry_policy:
                          retry_on: "${RETRY_ON}"
                          num_retries: 2
                          retry_back_off: { base_interval: 0.001s, max_interval: 0.002s }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: next
          connect_timeout: 1s
          load_assignment:
            cluster_name: next
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${NEXT}" }
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("outrigger.attempt");

  private final InMemorySpanExporter clientSideSpans = InMemorySpanExporter.create();
  private final InMemorySpanExporter serverSideSpans = InMemorySpanExporter.create();
  private WireMockServer upstream;
  private SidecarFixture serverSide;
  private SidecarFixture clientSide;

  @TempDir Path logs;

  @BeforeEach
  void start() throws Exception {
    upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    upstream.start();
    upstream.stubFor(
        any(urlPathEqualTo("/orders"))
            .inScenario("once")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("failed"));
    upstream.stubFor(
        any(urlPathEqualTo("/orders"))
            .inScenario("once")
            .whenScenarioStateIs("failed")
            .willReturn(aResponse().withStatus(200).withBody("ok")));
    serverSide =
        SidecarFixture.start(
            SIDECAR,
            Map.of(
                "SERVICE",
                "server-side",
                "NEXT",
                "" + upstream.port(),
                "RETRY_ON",
                "",
                "LOG",
                logs.resolve("server-side.log").toString()),
            sidecarOptions(serverSideSpans));
    clientSide =
        SidecarFixture.start(
            SIDECAR,
            Map.of(
                "SERVICE",
                "client-side",
                "NEXT",
                "" + serverSide.listener("ingress").getPort(),
                "RETRY_ON",
                "5xx",
                "LOG",
                logs.resolve("client-side.log").toString()),
            sidecarOptions(clientSideSpans));
  }

  private static SidecarOptions sidecarOptions(InMemorySpanExporter exporter) {
    return new SidecarOptions(2, Duration.ofMillis(100)).withSpanExporters((c, e) -> exporter);
  }

  @AfterEach
  void stop() {
    if (clientSide != null) {
      clientSide.close();
    }
    if (serverSide != null) {
      serverSide.close();
    }
    upstream.stop();
  }

  @Test
  void retriedRequestIsOneTraceAcrossBothSidecars() throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + clientSide.listener("ingress").getPort() + "/orders"))
                .header("x-tenant", "acme")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);

    await().until(() -> clientSideSpans.getFinishedSpanItems().size() == 3);
    await().until(() -> serverSideSpans.getFinishedSpanItems().size() == 4);
    List<SpanData> a = clientSideSpans.getFinishedSpanItems();
    List<SpanData> b = serverSideSpans.getFinishedSpanItems();

    SpanData root = only(a, SpanKind.SERVER);
    String traceId = root.getTraceId();
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(root.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);
    assertThat(root.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/orders");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("side"))).isEqualTo("client-side");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("tenant"))).isEqualTo("acme");
    assertThat(root.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("client-side");

    List<SpanData> attempts = kind(a, SpanKind.CLIENT);
    assertThat(attempts).hasSize(2);
    assertThat(attempts)
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId()));
    assertThat(attempts.get(0).getAttributes().get(ATTEMPT)).isEqualTo(1L);
    assertThat(
            attempts
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("outrigger.attempt.outcome")))
        .isEqualTo("retried");
    assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attempts.get(1).getAttributes().get(ATTEMPT)).isEqualTo(2L);
    assertThat(
            attempts
                .get(1)
                .getAttributes()
                .get(AttributeKey.stringKey("outrigger.attempt.outcome")))
        .isEqualTo("completed");
    assertThat(attempts.get(1).getAttributes().get(AttributeKey.stringKey("outrigger.cluster")))
        .isEqualTo("next");

    List<SpanData> inbound = kind(b, SpanKind.SERVER);
    assertThat(inbound).hasSize(2);
    for (int i = 0; i < 2; i++) {
      SpanData server = inbound.get(i);
      assertThat(server.getTraceId()).isEqualTo(traceId);
      assertThat(server.getParentSpanId()).isEqualTo(attempts.get(i).getSpanId());
    }
    assertThat(inbound.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    List<SpanData> outbound = kind(b, SpanKind.CLIENT);
    assertThat(outbound).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(outbound.get(i).getParentSpanId()).isEqualTo(inbound.get(i).getSpanId());
    }
    assertThat(a).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
    assertThat(b).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));

    Path accessLog = logs.resolve("client-side.log");
    await().until(() -> Files.exists(accessLog) && !Files.readString(accessLog).isEmpty());
    assertThat(Files.readString(accessLog)).isEqualTo(traceId + " 2\n");

    List<LoggedRequest> seen = upstream.findAll(anyRequestedFor(urlPathEqualTo("/orders")));
    assertThat(seen).hasSize(2);
    for (int i = 0; i < 2; i++) {
      String traceparent = seen.get(i).getHeader("traceparent");
      assertThat(traceparent).startsWith("00-" + traceId + "-" + outbound.get(i).getSpanId() + "-");
      assertThat(sampledFlag(traceparent)).isTrue();
    }
  }

  @Test
  void unsampledIncomingTraceIsPropagatedButNotExported() throws Exception {
    String incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + clientSide.listener("ingress").getPort() + "/orders"))
                .header("traceparent", incoming)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    List<LoggedRequest> seen = upstream.findAll(anyRequestedFor(urlPathEqualTo("/orders")));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1).getHeader("traceparent"))
        .startsWith("00-0af7651916cd43dd8448eb211c80319c-")
        .doesNotContain("b7ad6b7169203331");
    assertThat(sampledFlag(seen.get(1).getHeader("traceparent"))).isFalse();

    // A sampled request after it: once its spans are exported, the unsampled ones would have been.
    assertThat(get("/orders").statusCode()).isEqualTo(200);
    await().until(() -> clientSideSpans.getFinishedSpanItems().size() >= 2);
    assertThat(clientSideSpans.getFinishedSpanItems())
        .hasSize(2)
        .noneSatisfy(s -> assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + clientSide.listener("ingress").getPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Bit 0 of the trace flags (bit 1 is W3C level 2's "random"). */
  private static boolean sampledFlag(String traceparent) {
    return (Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1) == 1;
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> k = kind(spans, kind);
    assertThat(k).hasSize(1);
    return k.get(0);
  }

  /** The spans of one kind in start order. */
  private static List<SpanData> kind(List<SpanData> spans, SpanKind kind) {
    return spans.stream()
        .filter(s -> s.getKind() == kind)
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .toList();
  }
}
