package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Route and cluster features end to end, from a bootstrap: cluster_header, redirect, hash policy
 * over ring hash, auto_host_rewrite, max_requests_per_connection, use_remote_address and Expect:
 * 100-continue.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpFeaturesEndToEndTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: edge
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: edge
                use_remote_address: true
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: /old }
                      redirect: { https_redirect: true, path_redirect: /new }
                    - match: { prefix: /pick }
                      route: { cluster_header: x-cluster }
                    - match: { prefix: /sticky }
                      route:
                        cluster: ring
                        hash_policy:
                        - header: { header_name: x-user }
                    - match: { prefix: /limited }
                      route: { cluster: limited, auto_host_rewrite: true }
                    - match: { prefix: / }
                      route: { cluster: one }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: one
          connect_timeout: 1s
          load_assignment:
            cluster_name: one
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${P1}
        - name: ring
          connect_timeout: 1s
          lb_policy: RING_HASH
          load_assignment:
            cluster_name: ring
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${P1}
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${P2}
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${P3}
        - name: limited
          connect_timeout: 1s
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              common_http_protocol_options:
                max_requests_per_connection: 2
              explicit_http_config:
                http_protocol_options: {}
          load_assignment:
            cluster_name: limited
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${P2}
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private HttpUpstream u1;
  private HttpUpstream u2;
  private HttpUpstream u3;
  private SidecarFixture proxy;
  private int port;

  @BeforeEach
  void start() throws Exception {
    u1 = new HttpUpstream("u1");
    u2 = new HttpUpstream("u2");
    u3 = new HttpUpstream("u3");
    proxy =
        SidecarFixture.start(
            BOOTSTRAP,
            Map.of(
                "P1", String.valueOf(u1.port()),
                "P2", String.valueOf(u2.port()),
                "P3", String.valueOf(u3.port())));
    port = proxy.listener("edge").getPort();
  }

  @AfterEach
  void stop() {
    proxy.close();
    u1.close();
    u2.close();
    u3.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void redirectsToHttpsWithANewPath() throws Exception {
    HttpResponse<String> r = get("/old/thing?q=1");
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(r.headers().firstValue("location"))
        .hasValue("https://127.0.0.1:" + port + "/new?q=1");
  }

  @Test
  void clusterHeaderPicksTheClusterAndAMissingOneIs503() throws Exception {
    assertThat(get("/pick", "x-cluster", "limited").body()).isEqualTo("hello from u2");
    assertThat(get("/pick", "x-cluster", "nope").statusCode()).isEqualTo(503);
    assertThat(get("/pick").statusCode()).isEqualTo(503);
  }

  @Test
  void theSameUserAlwaysReachesTheSameHost() throws Exception {
    Set<String> seenForAlice = new HashSet<>();
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      seenForAlice.add(get("/sticky", "x-user", "alice").body());
    }
    for (int i = 0; i < 60; i++) {
      all.add(get("/sticky", "x-user", "user-" + i).body());
    }
    assertThat(seenForAlice).hasSize(1);
    assertThat(all).hasSizeGreaterThan(1);
  }

  @Test
  void retiresConnectionsAfterMaxRequestsAndRewritesTheHost() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(get("/limited").statusCode()).isEqualTo(200);
    }
    assertThat(proxy.metric("envoy_cluster_upstream_cx_total{envoy_cluster_name=\"limited\"}"))
        .isEqualTo(3);
    assertThat(u2.seen().get(0).header("host")).isEqualTo("127.0.0.1:" + u2.port());
  }

  @Test
  void useRemoteAddressAppendsTheClientToXForwardedFor() throws Exception {
    get("/x", "x-forwarded-for", "10.1.2.3");
    assertThat(u1.seen().get(0).header("x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.1");
    assertThat(u1.seen().get(0).header("x-forwarded-proto")).isEqualTo("http");
  }

  @Test
  void answersExpectContinueBeforeTheBodyIsSent() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(
          ("POST /echo-sha HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] first = new byte[25];
      int n = in.readNBytes(first, 0, first.length);
      assertThat(new String(first, 0, n, StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 100 Continue");
      out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
      String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(rest).contains("HTTP/1.1 200").endsWith(" 5");
      assertThat(u1.seen().get(0).header("expect")).isNull();
    }
  }
}
