package io.outrigger.proxy.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsBootstraps;
import io.outrigger.proxy.testkit.TlsKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envoy.filters.http.rbac} between two sidecars over mTLS: the back sidecar lets {@code
 * spiffe://outrigger.local/ns/default/sa/frontend} GET {@code /kv/} and nothing else; the front
 * sidecar presents that identity. Another identity, or the frontend writing, gets a 403 that is
 * counted and logged with its matched policy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpRbacTest {
  static final String FRONTEND = "spiffe://outrigger.local/ns/default/sa/frontend";

  @TempDir Path dir;
  private HttpUpstream upstream;
  private TlsKit kit;
  private SidecarFixture back;
  private SidecarFixture front;

  /** The back sidecar's chain: mTLS required, RBAC before the router, an access log. */
  private String backChain() {
    return """
        - name: mtls
        %s
          filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: inbound
              codec_type: AUTO
              access_log:
              - name: envoy.access_loggers.file
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                  path: "%s"
                  log_format:
                    text_format_source:
                      inline_string: "%%RESPONSE_CODE%% %%RESPONSE_CODE_DETAILS%% %%DOWNSTREAM_PEER_URI_SAN%%\\n"
              route_config:
                name: routes
                virtual_hosts:
                - name: all
                  domains: ["*"]
                  routes:
                  - match: { prefix: /open/ }
                    route: { cluster: service }
                    typed_per_filter_config:
                      envoy.filters.http.rbac:
                        "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute
                  - match: { prefix: / }
                    route: { cluster: service }
              http_filters:
              - name: envoy.filters.http.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                  rules:
                    action: ALLOW
                    policies:
                      frontend-reads-kv:
                        permissions:
                        - and_rules:
                            rules:
                            - header: { name: ":method", string_match: { exact: GET } }
                            - url_path: { path: { prefix: /kv/ } }
                        principals:
                        - authenticated:
                            principal_name: { exact: "%s" }
                  shadow_rules:
                    action: DENY
                    policies:
                      no-other:
                        permissions: [ { any: true } ]
                        principals:
                        - not_id: { authenticated: { principal_name: { exact: "%s" } } }
                  shadow_rules_stat_prefix: trial_
              - name: envoy.filters.http.router
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(
            io.outrigger.proxy.testkit.Bootstraps.indent(
                kit.downstreamSocket(
                    "back",
                    "require_client_certificate: true",
                    """
                    alpn_protocols: [h2, http/1.1]
                    validation_context:
                      trusted_ca: { filename: "%s" }
                    """
                        .formatted(kit.caFile())),
                2),
            dir.resolve("access.log"),
            FRONTEND,
            FRONTEND);
  }

  /** A front sidecar: plaintext in, mTLS out with {@code name}'s certificate. */
  private SidecarFixture frontAs(String name) throws Exception {
    String upstreamTls =
        """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
            common_tls_context:
              alpn_protocols: [h2]
              tls_certificates:
              - certificate_chain: { filename: "%s" }
                private_key: { filename: "%s" }
              validation_context:
                trusted_ca: { filename: "%s" }
        """
            .formatted(
                kit.folder(name).resolve("cert.pem"),
                kit.folder(name).resolve("key.pem"),
                kit.caFile());
    return SidecarFixture.start(
        TlsBootstraps.sidecar(
            back.listener("ingress").getPort(),
            upstreamTls,
            TlsBootstraps.httpChain("plain", "", "")),
        Map.of());
  }

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("kv");
    kit = TlsKit.create("outrigger.local", dir.resolve("mesh"));
    kit.issue("back");
    kit.issue("ns/default/sa/frontend");
    kit.issue("ns/default/sa/reporting");
    back = SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", backChain()), Map.of());
    front = frontAs("ns/default/sa/frontend");
  }

  @AfterEach
  void tearDown() {
    if (front != null) {
      front.close();
    }
    if (back != null) {
      back.close();
    }
    upstream.close();
  }

  private static HttpResponse<String> send(SidecarFixture via, String method, String path)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + via.listener("ingress").getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Envoy's {@code http.inbound.rbac.<rules_stat_prefix><stat>}. */
  private static String counter(String stat, String rulesStatPrefix) {
    return "envoy_http_rbac_"
        + rulesStatPrefix
        + stat
        + "{envoy_http_conn_manager_prefix=\"inbound\"}";
  }

  @Test
  void frontendMayReadKvAndNothingElse() throws Exception {
    HttpResponse<String> read = send(front, "GET", "/kv/a");
    HttpResponse<String> write = send(front, "PUT", "/kv/a");

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("hello from kv");
    assertThat(write.statusCode()).isEqualTo(403);
    assertThat(write.body())
        .isEqualTo("RBAC: access denied\n"); // local replies end with a newline, as Envoy's
    assertThat(back.metric(counter("allowed", ""))).isEqualTo(1);
    assertThat(back.metric(counter("denied", ""))).isEqualTo(1);
    assertThat(back.metric(counter("shadow_allowed", "trial_"))).isEqualTo(2);
    assertThat(upstream.seen()).hasSize(1);
  }

  @Test
  void anotherIdentityIsRefusedCountedAndLogged() throws Exception {
    try (SidecarFixture reporting = frontAs("ns/default/sa/reporting")) {
      HttpResponse<String> r = send(reporting, "GET", "/kv/a");

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body())
          .isEqualTo("RBAC: access denied\n"); // local replies end with a newline, as Envoy's
      assertThat(back.metric(counter("denied", ""))).isEqualTo(1);
      assertThat(back.metric(counter("shadow_denied", "trial_"))).isEqualTo(1);
      assertThat(upstream.seen()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(dir.resolve("access.log")))
                      .isEqualTo(
                          "403 rbac_access_denied_matched_policy[none]"
                              + " spiffe://outrigger.local/ns/default/sa/reporting\n"));
    }
  }

  @Test
  void aRouteWithAnEmptyPerRouteConfigIsNotEnforced() throws Exception {
    try (SidecarFixture reporting = frontAs("ns/default/sa/reporting")) {
      HttpResponse<String> r = send(reporting, "DELETE", "/open/x");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(back.metric(counter("denied", ""))).isZero();
    }
  }
}
