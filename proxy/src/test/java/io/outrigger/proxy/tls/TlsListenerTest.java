package io.outrigger.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsBootstraps;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners with real clients: the JDK's HttpClient and curl over HTTP/1.1 and HTTP/2 (ALPN),
 * SNI choosing the chain, TLS and plaintext on one port, and certificate rotation.
 */
class TlsListenerTest {
  @TempDir Path dir;
  private HttpUpstream upstream;
  private TlsKit kit;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("up");
    kit = TlsKit.create("test.local", dir);
    kit.issue("ingress");
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  @Test
  void servesHttp1AndHttp2OverAlpnWithTheConfiguredCertificate() throws Exception {
    String chain =
        TlsBootstraps.httpChain(
            "tls", kit.downstreamSocket("ingress", "", "alpn_protocols: [h2, http/1.1]"), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", chain), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      for (HttpClient.Version version : HttpClient.Version.values()) {
        HttpClient client =
            HttpClient.newBuilder()
                .sslContext(kit.clientContext(null))
                .version(version)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/hello"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from up");
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.headers().firstValue("x-chain")).hasValue("tls");
        assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(upstream.seen().get(upstream.seen().size() - 1).header("x-forwarded-proto"))
            .isEqualTo("https");
      }
      assertThat(sidecar.listenerMetric("ssl_handshake", "ingress")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void curlReachesTheListenerWithHttp1AndHttp2() throws Exception {
    assumeTrue(curlAvailable(), "curl is not installed");
    String chain =
        TlsBootstraps.httpChain(
            "tls", kit.downstreamSocket("ingress", "", "alpn_protocols: [h2, http/1.1]"), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", chain), Map.of())) {
      String url = "https://127.0.0.1:" + sidecar.listener("ingress").getPort() + "/curl";
      assertThat(curl("--http1.1", url)).isEqualTo("hello from up 1.1");
      assertThat(curl("--http2", url)).isEqualTo("hello from up 2");
    }
  }

  @Test
  void sniPicksTheChainWithTheExactNameThenTheWildcardThenTheDefault() throws Exception {
    kit.issue("a");
    kit.issue("wild");
    kit.issue("default");
    String exact =
        TlsBootstraps.httpChain(
            "exact",
            "filter_chain_match: { server_names: [a.example.com] }\n"
                + kit.downstreamSocket("a", "", ""),
            "");
    String wild =
        TlsBootstraps.httpChain(
            "wild",
            "filter_chain_match: { server_names: [\"*.example.com\"] }\n"
                + kit.downstreamSocket("wild", "", ""),
            "");
    String fallback =
        TlsBootstraps.httpChain("default", kit.downstreamSocket("default", "", ""), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(
            TlsBootstraps.sidecar(upstream.port(), "", exact, wild, fallback), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      assertThat(servedIdentity(port, "a.example.com")).isEqualTo("spiffe://test.local/a");
      assertThat(servedIdentity(port, "b.example.com")).isEqualTo("spiffe://test.local/wild");
      assertThat(servedIdentity(port, "x.y.example.com")).isEqualTo("spiffe://test.local/wild");
      assertThat(servedIdentity(port, "other.test")).isEqualTo("spiffe://test.local/default");
      assertThat(servedIdentity(port, null)).isEqualTo("spiffe://test.local/default");
    }
  }

  @Test
  void tlsAndPlaintextShareOnePortThroughTransportProtocol() throws Exception {
    String tls =
        TlsBootstraps.httpChain(
            "tls",
            "filter_chain_match: { transport_protocol: tls }\n"
                + kit.downstreamSocket("ingress", "", "alpn_protocols: [h2, http/1.1]"),
            "");
    String plain =
        TlsBootstraps.httpChain(
            "plain", "filter_chain_match: { transport_protocol: raw_buffer }", "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", tls, plain), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(kit.clientContext(null))
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      for (String scheme : new String[] {"https", "http"}) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-chain"))
            .hasValue(scheme.equals("https") ? "tls" : "plain");
      }
    }
  }

  @Test
  void replacedCertificateFilesServeNewConnectionsWhileOpenOnesContinue() throws Exception {
    X509Certificate first = (X509Certificate) kit.issue("ingress").certificate();
    String chain = TlsBootstraps.httpChain("tls", kit.downstreamSocket("ingress", "", ""), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", chain), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      try (SSLSocket open = connect(port, null)) {
        assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first);
        assertThat(get(open)).isEqualTo("hello from up");

        X509Certificate second = kit.issue("ingress").certificate();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  try (SSLSocket fresh = connect(port, null)) {
                    assertThat(fresh.getSession().getPeerCertificates()[0]).isEqualTo(second);
                  }
                });
        assertThat(get(open)).isEqualTo("hello from up");
        assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first);
      }
      String certFile = kit.folder("ingress").resolve("cert.pem").toString();
      assertThat(
              sidecar.metric("envoy_ssl_certificate_rotations{certificate=\"" + certFile + "\"}"))
          .isEqualTo(1);
      assertThat(
              sidecar.metric("envoy_ssl_certificate_expiry_days{certificate=\"" + certFile + "\"}"))
          .isBetween(0.9, 1.01);
    }
  }

  @Test
  void resumesTls12SessionsOnANewConnection() throws Exception {
    String chain = TlsBootstraps.httpChain("tls", kit.downstreamSocket("ingress", "", ""), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", chain), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      javax.net.ssl.SSLContext client = kit.clientContext(null);
      byte[] first;
      try (SSLSocket s = tls12(client, port)) {
        first = s.getSession().getId();
      }
      try (SSLSocket s = tls12(client, port)) {
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(s.getSession().getId()).isNotEmpty().isEqualTo(first);
      }
    }
  }

  @Test
  void aClientThatClosesOrResetsBeforeItsHandshakeIsClosedAtOnceAndCountedAsClosed()
      throws Exception {
    String chain = TlsBootstraps.httpChain("tls", kit.downstreamSocket("ingress", "", ""), "");
    try (SidecarFixture sidecar =
        SidecarFixture.start(TlsBootstraps.sidecar(upstream.port(), "", chain), Map.of())) {
      int port = sidecar.listener("ingress").getPort();
      // A TCP health check: connect, send nothing, close (FIN); then one that resets (RST).
      try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
        Awaitility.await().until(() -> active(sidecar) == 1.0);
      }
      java.net.Socket reset = new java.net.Socket("127.0.0.1", port);
      Awaitility.await().until(() -> active(sidecar) == 1.0);
      reset.setSoLinger(true, 0);
      reset.close();

      // Well before the 10 s handshake timeout, both are gone and counted as closed, not other.
      Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                assertThat(active(sidecar)).isZero();
                assertThat(sidecar.listenerMetric("ssl_handshake_error_closed", "ingress"))
                    .isEqualTo(2.0);
              });
      assertThat(sidecar.listenerMetric("ssl_handshake_error_other", "ingress")).isZero();
      assertThat(servedIdentity(port, null)).isEqualTo("spiffe://test.local/ingress");
    }
  }

  private static double active(SidecarFixture sidecar) throws Exception {
    return sidecar.listenerMetric("downstream_cx_active", "ingress");
  }

  private static SSLSocket tls12(javax.net.ssl.SSLContext client, int port) throws IOException {
    // Resumption is keyed by host and port: the same context and address find the session.
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(5000);
    s.setEnabledProtocols(new String[] {"TLSv1.2"});
    s.startHandshake();
    return s;
  }

  /** The URI SAN of the certificate the listener presents for {@code sni} (none when null). */
  private String servedIdentity(int port, String sni) throws Exception {
    try (SSLSocket s = connect(port, sni)) {
      X509Certificate cert = (X509Certificate) s.getSession().getPeerCertificates()[0];
      return PeerIdentity.uriSans(cert).get(0);
    }
  }

  private SSLSocket connect(int port, String sni) throws Exception {
    SSLSocket s =
        (SSLSocket) kit.clientContext(null).getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(5000);
    SSLParameters params = s.getSSLParameters();
    params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    s.setSSLParameters(params);
    s.startHandshake();
    return s;
  }

  /** One HTTP/1.1 exchange on an open connection; returns the body. */
  private static String get(SSLSocket s) throws IOException {
    s.getOutputStream()
        .write("GET /again HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head.toString());
    assertThat(m.find()).as(head.toString()).isTrue();
    return new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
  }

  private static boolean curlAvailable() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private String curl(String version, String url) throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-sS",
                version,
                "--cacert",
                kit.caFile().toString(),
                "--max-time",
                "5",
                "-w",
                " %{http_version}",
                url)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.trim();
  }
}
