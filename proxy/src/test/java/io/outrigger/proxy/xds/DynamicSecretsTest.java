package io.outrigger.proxy.xds;

import static io.outrigger.proxy.testkit.XdsProtos.inlineListener;
import static io.outrigger.proxy.testkit.XdsProtos.staticCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.model.tls.TlsCertificateConfig;
import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.proxy.listener.ActiveListener;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.TlsKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets over SDS, driven into {@link DynamicConfig} as the discovery client would: a listener
 * warms until its secret arrives, a pushed secret rotates the certificate for new connections while
 * open ones continue, a bad secret is refused whole and the old one stays.
 */
class DynamicSecretsTest {
  @TempDir Path dir;
  private HttpUpstream upstream;
  private TlsKit kit;
  private DynamicFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("up");
    kit = TlsKit.create("test.local", dir);
    fx = new DynamicFixture();
  }

  @AfterEach
  void tearDown() {
    fx.close();
    upstream.close();
  }

  /** Listener {@code in} terminating TLS with Secret {@code default} over ADS. */
  private static Listener sdsListener() {
    Listener plain = inlineListener("in", 0, "up");
    DownstreamTlsContext tls =
        DownstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificateSdsSecretConfigs(
                        SdsSecretConfig.newBuilder()
                            .setName("default")
                            .setSdsConfig(
                                ConfigSource.newBuilder()
                                    .setAds(AggregatedConfigSource.getDefaultInstance()))))
            .build();
    Listener.Builder b = plain.toBuilder();
    b.getFilterChainsBuilder(0)
        .setTransportSocket(
            TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(tls)));
    return b.build();
  }

  static Secret secret(String name, String chainPem, String keyPem) {
    return Secret.newBuilder()
        .setName(name)
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString(chainPem))
                .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem)))
        .build();
  }

  private static Secret secret(WorkloadCertificate w) {
    return secret("default", w.certificatePem(), w.privateKeyPem());
  }

  private boolean bound(String name) {
    return fx.listeners.listeners().stream().map(ActiveListener::name).anyMatch(name::equals);
  }

  /** An open TLS connection that sends one keep-alive request per call. */
  private SSLSocket connect() throws Exception {
    SSLSocket s =
        (SSLSocket)
            kit.clientContext(null).getSocketFactory().createSocket("127.0.0.1", fx.port("in"));
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private static String get(SSLSocket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write("GET /x HTTP/1.1\r\nhost: in\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    int length = 0;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
    return status;
  }

  private static X509Certificate peer(SSLSocket s) throws Exception {
    return (X509Certificate) s.getSession().getPeerCertificates()[0];
  }

  @Test
  void listenerWarmsUntilItsSecretArrivesThenServesIt() throws Exception {
    WorkloadCertificate first = kit.issue("ingress");
    assertThat(fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("up", upstream.port()).build()))
        .isEmpty();
    assertThat(fx.push(XdsResourceType.LISTENER, "l1", sdsListener())).isEmpty();

    assertThat(fx.wanted.get(XdsResourceType.SECRET)).isEqualTo(Set.of("default"));
    assertThat(bound("in")).isFalse();

    assertThat(fx.push(XdsResourceType.SECRET, "s1", secret(first))).isEmpty();

    await().atMost(Duration.ofSeconds(5)).until(() -> bound("in"));
    try (SSLSocket s = connect()) {
      assertThat(peer(s)).isEqualTo(first.certificate());
      assertThat(get(s)).isEqualTo("HTTP/1.1 200 OK");
    }
    String dumped = fx.config.status(XdsResourceType.SECRET).resources().get("default").toString();
    assertThat(dumped).doesNotContain("PRIVATE KEY").contains("[redacted]");
  }

  @Test
  void aLocallyMadeSecretIsNotAskedForAndSdsCannotReplaceIt() throws Exception {
    fx.close();
    fx = new DynamicFixture(Duration.ofSeconds(10), Set.of("default"));
    WorkloadCertificate own = kit.issue("ingress");
    fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("up", upstream.port()).build());
    fx.push(XdsResourceType.LISTENER, "l1", sdsListener());

    assertThat(fx.wanted.getOrDefault(XdsResourceType.SECRET, Set.of())).isEmpty();
    assertThat(bound("in")).isFalse();

    fx.tls
        .secrets()
        .installLocal(
            SecretConfig.certificate(
                "default",
                new TlsCertificateConfig(
                    DataSourceConfig.inline(own.certificatePem()),
                    DataSourceConfig.inline(own.privateKeyPem()))));
    await().atMost(Duration.ofSeconds(5)).until(() -> bound("in"));
    assertThat(fx.push(XdsResourceType.SECRET, "s1", secret(kit.issue("other")))).isEmpty();

    try (SSLSocket s = connect()) {
      assertThat(peer(s)).isEqualTo(own.certificate());
    }
    assertThatThrownBy(
            () ->
                fx.tls
                    .secrets()
                    .installLocal(
                        SecretConfig.certificate(
                            "ROOTCA",
                            new TlsCertificateConfig(
                                DataSourceConfig.inline(own.certificatePem()),
                                DataSourceConfig.inline(own.privateKeyPem())))))
        .hasMessageContaining("secret \"ROOTCA\" is not made locally");
  }

  @Test
  void aPushedSecretRotatesNewConnectionsWhileOpenOnesContinue() throws Exception {
    WorkloadCertificate first = kit.issue("ingress");
    fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("up", upstream.port()).build());
    fx.push(XdsResourceType.LISTENER, "l1", sdsListener());
    fx.push(XdsResourceType.SECRET, "s1", secret(first));
    await().atMost(Duration.ofSeconds(5)).until(() -> bound("in"));

    try (SSLSocket before = connect()) {
      assertThat(get(before)).isEqualTo("HTTP/1.1 200 OK");
      WorkloadCertificate second = kit.issue("ingress");

      assertThat(fx.push(XdsResourceType.SECRET, "s2", secret(second))).isEmpty();

      try (SSLSocket after = connect()) {
        assertThat(peer(after)).isEqualTo(second.certificate());
        assertThat(get(after)).isEqualTo("HTTP/1.1 200 OK");
      }
      assertThat(peer(before)).isEqualTo(first.certificate());
      assertThat(get(before)).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(
            fx.stats
                .registry()
                .get("ssl_certificate_rotations")
                .tag("certificate", "sds:default")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aSecretWithGarbagePemIsRefusedAndTheOldOneStays() throws Exception {
    WorkloadCertificate first = kit.issue("ingress");
    fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("up", upstream.port()).build());
    fx.push(XdsResourceType.LISTENER, "l1", sdsListener());
    fx.push(XdsResourceType.SECRET, "s1", secret(first));
    await().atMost(Duration.ofSeconds(5)).until(() -> bound("in"));

    var refused =
        fx.push(
            XdsResourceType.SECRET,
            "s2",
            secret("default", "-----BEGIN CERTIFICATE-----\ngarbage\n", "not a key"));

    assertThat(refused).hasValueSatisfying(m -> assertThat(m).contains("secret default"));
    assertThat(fx.config.status(XdsResourceType.SECRET).version()).isEqualTo("s1");
    try (SSLSocket s = connect()) {
      assertThat(peer(s)).isEqualTo(first.certificate());
    }
  }

  @Test
  void afterTheWarmingTimeoutAListenerWithoutItsSecretServesAndFailsHandshakes() throws Exception {
    fx.close();
    fx = new DynamicFixture(Duration.ofMillis(200));
    fx.push(XdsResourceType.CLUSTER, "c1", staticCluster("up", upstream.port()).build());
    fx.push(XdsResourceType.LISTENER, "l1", sdsListener());

    await().atMost(Duration.ofSeconds(5)).until(() -> bound("in"));

    org.assertj.core.api.Assertions.assertThatThrownBy(this::connect)
        .isInstanceOf(IOException.class);
    assertThat(
            fx.stats
                .registry()
                .get("downstream_context_secrets_not_ready")
                .tag("listener", "in")
                .counter()
                .count())
        .isEqualTo(1.0);
  }
}
