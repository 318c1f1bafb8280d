package io.outrigger.proxy.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Two sidecars in one JVM with the {@code envoy.tracers.zipkin} provider, a stub Zipkin collector
 * (WireMock) and an upstream: the collector receives Zipkin v2 JSON that decodes with Zipkin's own
 * decoder into one trace across both sidecars, each named by its {@code node.cluster}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZipkinEndToEndTest {
  /**
   * {@link TracingEndToEndTest}'s sidecar with the Zipkin provider in place of the OpenTelemetry
   * one, a node named after the service and a cluster for the collector.
   */
  private static final String PROVIDER =
      String.join(
          "\n",
          "name: envoy.tracers.zipkin",
          "              typed_config:",
          "                \"@type\": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig",
          "                collector_cluster: zipkin",
          "                collector_endpoint: /api/v2/spans",
          "                collector_endpoint_version: HTTP_JSON",
          "                shared_span_context: false",
          "                trace_id_128bit: ${BITS128}",
          "");

  /**
   * {@link TracingEndToEndTest}'s sidecar with the Zipkin provider in place of the OpenTelemetry
   * one, a node named after the service and a cluster for the collector.
   */
  private static final String SIDECAR =
      "node: { id: \"${SERVICE}\", cluster: \"${SERVICE}\" }\n"
          + TracingEndToEndTest.SIDECAR.replaceFirst(
              "(?s)name: envoy\\.tracers\\.opentelemetry.*?timeout: 1s \\}\n",
              java.util.regex.Matcher.quoteReplacement(PROVIDER))
          + "  - name: zipkin\n"
          + "    load_assignment:\n"
          + "      cluster_name: zipkin\n"
          + "      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address:"
          + " { address: 127.0.0.1, port_value: \"${ZIPKIN}\" } } } }] }]\n";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private WireMockServer upstream;
  private WireMockServer collector;
  private final List<SidecarFixture> sidecars = new ArrayList<>();

  @BeforeEach
  void start() {
    upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    upstream.start();
    upstream.stubFor(any(urlPathEqualTo("/orders")).willReturn(aResponse().withBody("ok")));
    collector = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    collector.start();
    collector.stubFor(post("/api/v2/spans").willReturn(aResponse().withStatus(202)));
  }

  @AfterEach
  void stop() {
    sidecars.forEach(SidecarFixture::close);
    upstream.stop();
    collector.stop();
  }

  /** client → client-side sidecar → server-side sidecar → upstream; returns the entry port. */
  private int twoSidecars(boolean traceId128Bit) throws Exception {
    SidecarFixture serverSide = sidecar("server-side", upstream.port(), traceId128Bit);
    SidecarFixture clientSide =
        sidecar("client-side", serverSide.listener("ingress").getPort(), traceId128Bit);
    return clientSide.listener("ingress").getPort();
  }

  private SidecarFixture sidecar(String service, int next, boolean traceId128Bit) throws Exception {
    SidecarFixture s =
        SidecarFixture.start(
            SIDECAR,
            Map.of(
                "SERVICE",
                service,
                "NEXT",
                "" + next,
                "ZIPKIN",
                "" + collector.port(),
                "BITS128",
                "" + traceId128Bit,
                "RETRY_ON",
                "",
                "LOG",
                "/dev/null"),
            new SidecarOptions(1, Duration.ofMillis(100)));
    sidecars.add(s);
    return s;
  }

  private List<Span> collected() {
    List<Span> spans = new ArrayList<>();
    collector
        .findAll(postRequestedFor(urlPathEqualTo("/api/v2/spans")))
        .forEach(r -> spans.addAll(SpanBytesDecoder.JSON_V2.decodeList(r.getBody())));
    return spans;
  }

  private static Span only(List<Span> spans, String service, Span.Kind kind) {
    List<Span> found =
        spans.stream()
            .filter(s -> service.equals(s.localServiceName()) && s.kind() == kind)
            .toList();
    assertThat(found).as(service + " " + kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void theBootstrapNamesTheZipkinProviderInsteadOfTheOpenTelemetryOne() {
    assertThat(SIDECAR).contains("ZipkinConfig").doesNotContain("OpenTelemetryConfig");
  }

  @Test
  void oneTraceAcrossTwoSidecarsReachesTheCollectorAsZipkinJson() throws Exception {
    int port = twoSidecars(false);

    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(15)).until(() -> collected().size() == 4);
    List<Span> spans = collected();
    Span root = only(spans, "client-side", Span.Kind.SERVER);
    Span attempt = only(spans, "client-side", Span.Kind.CLIENT);
    Span inbound = only(spans, "server-side", Span.Kind.SERVER);
    Span outbound = only(spans, "server-side", Span.Kind.CLIENT);

    assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(root.traceId()));
    assertThat(root.traceId()).hasSize(16); // trace_id_128bit false: 64-bit trace ids
    assertThat(root.parentId()).isNull();
    assertThat(attempt.parentId()).isEqualTo(root.id());
    assertThat(inbound.parentId()).isEqualTo(attempt.id());
    assertThat(outbound.parentId()).isEqualTo(inbound.id());
    assertThat(inbound.id()).isNotEqualTo(attempt.id()); // no shared span context
    // The same attributes as over OTLP, as tags.
    assertThat(root.tags())
        .containsEntry("http.request.method", "GET")
        .containsEntry("url.path", "/orders")
        .containsEntry("http.response.status_code", "200");
    assertThat(attempt.tags()).containsEntry("outrigger.cluster", "next");
    assertThat(outbound.remoteEndpoint()).isNotNull();
    assertThat(outbound.remoteEndpoint().port()).isEqualTo(upstream.port());
    assertThat(root.durationAsLong()).isPositive();
  }

  @Test
  void traceId128BitMakesLongTraceIds() throws Exception {
    int port = twoSidecars(true);

    CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).build(),
        HttpResponse.BodyHandlers.ofString());

    await().atMost(Duration.ofSeconds(15)).until(() -> collected().size() == 4);
    assertThat(collected()).allSatisfy(s -> assertThat(s.traceId()).hasSize(32));
  }
}
