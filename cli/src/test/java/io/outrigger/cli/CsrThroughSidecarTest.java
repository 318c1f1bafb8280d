package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.outrigger.certs.MeshCa;
import io.outrigger.cli.mesh.MeshFiles;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.AccessOptions;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSR path end to end in one JVM: a control plane with a CA and tokens, serving ADS over TLS; a
 * sidecar with the bootstrap of `mesh up` (the xds cluster's UpstreamTlsContext, its token in
 * initial_metadata) and {@code --csr-secret default}. Its TLS listener serves a certificate for the
 * token's identity over a key the control plane never saw, renewed with a new key at half its life;
 * once the token is revoked, renewals fail and are counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CsrThroughSidecarTest {
  /** Short, so that a renewal (at half the life left) comes within the test. */
  private static final Duration TTL = Duration.ofSeconds(6);

  private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

  @TempDir Path dir;
  private final String token = TokenFile.newToken(new SplittableRandom(3));
  private HttpServer local;
  private ControlPlane cp;
  private Sidecar sidecar;
  private Path tokens;

  @BeforeEach
  void start() throws Exception {
    local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    local.start();
    MeshCa.create("outrigger.local", Duration.ofDays(30), Clock.systemUTC(), new SecureRandom())
        .write(dir.resolve("ca"));
    Path web = Files.createDirectories(dir.resolve("resources/web"));
    Files.writeString(
        web.resolve("web.yaml"), SdsThroughSidecarTest.webResources(local.getAddress().getPort()));
    tokens =
        Files.writeString(
            dir.resolve("tokens"),
            TokenFile.nodeLine(token, new WorkloadIdentity("default", "web")) + "\n");
    cp =
        ControlPlane.start(
            ControlPlaneOptions.defaults(dir.resolve("resources"))
                .withAddresses(ANY, ANY)
                .withCa(dir.resolve("ca"), TTL)
                .withAccess(new AccessOptions(Optional.of(tokens), true, List.of())));
    sidecar =
        Sidecar.start(
            BootstrapLoader.load(
                MeshFiles.sidecarBootstrap(
                    "web", 0, cp.xdsAddress().getPort(), token, dir.resolve("ca/ca.pem")),
                "web.yaml",
                Map.of()),
            new SidecarOptions(1, Duration.ofMillis(100)).withCsrSecret("default"));
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

  /** The certificate the sidecar's TLS listener serves now. */
  private X509Certificate served() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new SdsThroughSidecarTest.AcceptAny()}, new SecureRandom());
    InetSocketAddress at = sidecar.listenerAddress("inbound");
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", at.getPort())) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void servesItsOwnKeySignedForItsTokenAndRenewsWithANewKeyUntilRevoked() throws Exception {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> sidecar.listenerAddress("inbound") != null && served() != null);
    X509Certificate first = served();
    assertThat(first.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://outrigger.local/ns/default/sa/web"));
    // The control plane made no key for web-1: the certificate came by CSR.
    assertThat(cp.secrets().orElseThrow().certificate("web")).isEmpty();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !served().getSerialNumber().equals(first.getSerialNumber()));
    PublicKey renewedKey = served().getPublicKey();
    assertThat(renewedKey).isNotEqualTo(first.getPublicKey());

    Files.writeString(tokens, "# web revoked\n");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> cp.refusals().count("xds", "unknown_token") >= 1);
  }
}
