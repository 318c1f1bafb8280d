package io.outrigger.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.outrigger.certs.MeshCa;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDS end to end in one JVM: a control plane started with a mesh CA ({@code --ca}) serves node
 * web-1's sidecar the Secret {@code default} for the identity {@code
 * spiffe://mesh.local/ns/default/sa/web}; its listener terminates TLS with it; when the control
 * plane's clock passes half the TTL a new certificate is pushed, new connections see it and a
 * connection opened before keeps working.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdsThroughSidecarTest {
  private static final Duration TTL = Duration.ofHours(24);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private HttpServer local;
  private ControlPlane cp;
  private Sidecar sidecar;

  /** A clock the test moves; read by the control plane's certificate issuing and rotation. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void start() throws Exception {
    local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    local.setExecutor(Executors.newFixedThreadPool(2));
    local.createContext(
        "/",
        ex -> {
          byte[] body = "from web".getBytes(US_ASCII);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    local.start();
    MeshCa.create("mesh.local", Duration.ofDays(30), Clock.systemUTC(), new SecureRandom())
        .write(dir.resolve("ca"));
    Path web = Files.createDirectories(dir.resolve("resources/web"));
    Files.writeString(web.resolve("web.yaml"), webResources(local.getAddress().getPort()));
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    cp =
        ControlPlane.start(
            new ControlPlaneOptions(
                    dir.resolve("resources"),
                    any,
                    any,
                    Duration.ofMillis(50),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    clock,
                    Map.of())
                .withCa(dir.resolve("ca"), TTL));
    sidecar =
        Sidecar.start(
            BootstrapLoader.load(
                AdsBootstrap.yaml("web-1", "web", 0, cp.xdsAddress().getPort()),
                "web-1.yaml",
                Map.of()),
            new SidecarOptions(1, Duration.ofMillis(100)));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> sidecar.listenerAddress("inbound") != null);
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (cp != null) {
      cp.close();
    }
    local.stop(0);
  }

  static String webResources(int localPort) {
    return """
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: local
          connect_timeout: 1s
          load_assignment:
            cluster_name: local
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
          name: inbound
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                common_tls_context:
                  tls_certificate_sds_secret_configs:
                  - name: default
                    sds_config: { ads: {} }
            filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: inbound
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: local }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(localPort);
  }

  /**
   * A TLS connection that accepts any server certificate: the test reads the certificate itself
   * (and the control plane's clock runs ahead of the JDK's, so a validity check would refuse it).
   */
  private SSLSocket connect() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
    InetSocketAddress at = sidecar.listenerAddress("inbound");
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", at.getPort());
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private static X509Certificate peer(SSLSocket s) throws Exception {
    return (X509Certificate) s.getSession().getPeerCertificates()[0];
  }

  private static String get(SSLSocket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write("GET /x HTTP/1.1\r\nhost: web\r\n\r\n".getBytes(US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
    String status = in.readLine();
    int length = 0;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(body, read, length - read);
    }
    return status + " " + new String(body);
  }

  private BigInteger issuedSerial() {
    return cp.secrets()
        .orElseThrow()
        .certificate("web-1")
        .orElseThrow()
        .certificate()
        .getSerialNumber();
  }

  @Test
  void servesTheIssuedIdentityAndRotatesItAtHalfTheTtl() throws Exception {
    try (SSLSocket before = connect()) {
      X509Certificate first = peer(before);
      assertThat(first.getSubjectAlternativeNames())
          .contains(List.of(6, "spiffe://mesh.local/ns/default/sa/web"));
      assertThat(first.getSerialNumber()).isEqualTo(issuedSerial());
      assertThat(get(before)).isEqualTo("HTTP/1.1 200 OK from web");

      clock.advance(TTL.dividedBy(2).plusMinutes(1));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !issuedSerial().equals(first.getSerialNumber()));
      BigInteger second = issuedSerial();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                try (SSLSocket s = connect()) {
                  return peer(s).getSerialNumber().equals(second);
                }
              });
      try (SSLSocket after = connect()) {
        assertThat(peer(after).getSubjectAlternativeNames())
            .contains(List.of(6, "spiffe://mesh.local/ns/default/sa/web"));
        assertThat(get(after)).isEqualTo("HTTP/1.1 200 OK from web");
      }
      assertThat(peer(before).getSerialNumber()).isEqualTo(first.getSerialNumber());
      assertThat(get(before)).isEqualTo("HTTP/1.1 200 OK from web");
    }
  }

  @Test
  void configDumpShowsTheSecretWithItsKeyRedacted() throws Exception {
    connect().close();
    String dump =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:"
                                + sidecar.adminAddress().orElseThrow().getPort()
                                + "/config_dump"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();

    assertThat(dump).contains("dynamic_active_secrets").contains("\"default\"");
    assertThat(dump).doesNotContain("PRIVATE KEY");
  }

  /** Trusts any server: the test checks the certificate it gets itself. */
  static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
