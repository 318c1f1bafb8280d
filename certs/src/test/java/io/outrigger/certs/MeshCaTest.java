package io.outrigger.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshCaTest {
  private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SecureRandom random = new SecureRandom();

  @Test
  void issuesAWorkloadCertificateThatTheCaVerifiesWithTheSpiffeIdAsUriSan() throws Exception {
    MeshCa ca = MeshCa.create("outrigger.local", MeshCa.DEFAULT_CA_VALIDITY, clock, random);
    WorkloadCertificate w =
        ca.issue(
            SpiffeId.parse("spiffe://outrigger.local/ns/default/sa/kvstore"), Duration.ofHours(24));

    assertThat(SanNames.uris(w.certificate()))
        .containsExactly("spiffe://outrigger.local/ns/default/sa/kvstore");
    assertThat(w.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(w.privateKey()).isInstanceOf(ECPrivateKey.class);
    assertThat(w.ca().getBasicConstraints()).isEqualTo(0);
    assertThat(w.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(w.certificate().getExtendedKeyUsage())
        .contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(w.certificate())),
            params);
  }

  @Test
  void refusesASpiffeIdOutsideTheTrustDomain() {
    MeshCa ca = MeshCa.create("outrigger.local", MeshCa.DEFAULT_CA_VALIDITY, clock, random);
    assertThatThrownBy(
            () -> ca.issue(SpiffeId.parse("spiffe://evil.example/sa/x"), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the CA's trust domain");
    assertThatThrownBy(() -> SpiffeId.parse("https://outrigger.local/sa/x"))
        .hasMessageContaining("expected: spiffe://");
  }

  @Test
  void writesAndLoadsTheCaAndWorkloadFilesAsPem(@TempDir Path dir) throws Exception {
    MeshCa ca = MeshCa.create("outrigger.local", Duration.ofDays(10), clock, random);
    ca.write(dir.resolve("ca"));
    MeshCa loaded = MeshCa.load(dir.resolve("ca"), clock, random);
    assertThat(loaded.trustDomain()).isEqualTo("outrigger.local");
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca").resolve(MeshCa.CA_KEY_FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // Capped at the CA's own expiry.
    WorkloadCertificate w =
        loaded.issue(SpiffeId.parse("spiffe://outrigger.local/a"), Duration.ofDays(30));
    assertThat(w.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    w.write(dir.resolve("a"));
    assertThat(Files.readString(dir.resolve("a/key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readCertificate(Files.readString(dir.resolve("a/cert.pem"))))
        .isEqualTo(w.certificate());
    assertThat(Pem.readPrivateKey(Files.readString(dir.resolve("a/key.pem"))))
        .isEqualTo(w.privateKey());
    assertThat(Pem.readCertificate(Files.readString(dir.resolve("a/ca.pem"))))
        .isEqualTo(ca.certificate());
  }
}
