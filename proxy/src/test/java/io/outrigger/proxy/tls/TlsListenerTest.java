package io.outrigger.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TlsBootstraps;
import io.outrigger.proxy.testkit.TlsKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS listener reached by the JDK's HttpClient over HTTP/1.1 and HTTP/2 (ALPN). */
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
      }
      assertThat(sidecar.metric("ssl_handshake_total{listener=\"ingress\"}"))
          .isGreaterThanOrEqualTo(2);
    }
  }
}
