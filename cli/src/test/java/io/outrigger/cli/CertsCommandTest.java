package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.certs.Pem;
import io.outrigger.certs.SanNames;
import io.outrigger.controlplane.auth.Grant;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertsCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Outrigger.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void initThenIssueWritesAWorkloadCertificateSignedByTheCa(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca");
    Path kv = dir.resolve("kvstore");
    assertThat(run("certs", "init", "--trust-domain", "outrigger.local", "--out", ca.toString()))
        .as(err.toString())
        .isZero();
    assertThat(
            run(
                "certs",
                "issue",
                "--ca",
                ca.toString(),
                "--spiffe-id",
                "spiffe://outrigger.local/ns/default/sa/kvstore",
                "--ttl",
                "2h",
                "--out",
                kv.toString()))
        .as(err.toString())
        .isZero();

    X509Certificate caCert = Pem.readCertificate(Files.readString(ca.resolve("ca.pem")));
    X509Certificate cert = Pem.readCertificate(Files.readString(kv.resolve("cert.pem")));
    cert.verify(caCert.getPublicKey());
    assertThat(SanNames.uris(cert))
        .containsExactly("spiffe://outrigger.local/ns/default/sa/kvstore");
    assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant()))
        .isBetween(Duration.ofMinutes(110), Duration.ofHours(2));
    assertThat(Files.readString(kv.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readCertificate(Files.readString(kv.resolve("ca.pem")))).isEqualTo(caCert);
    assertThat(out.toString()).contains("spiffe://outrigger.local/ns/default/sa/kvstore written");
  }

  @Test
  void refusesASpiffeIdOutsideTheTrustDomain(@TempDir Path dir) {
    Path ca = dir.resolve("ca");
    assertThat(run("certs", "init", "--trust-domain", "outrigger.local", "--out", ca.toString()))
        .isZero();
    assertThat(
            run(
                "certs",
                "issue",
                "--ca",
                ca.toString(),
                "--spiffe-id",
                "spiffe://elsewhere.example/sa/x",
                "--out",
                dir.resolve("x").toString()))
        .isEqualTo(Outrigger.EXIT_CONFIG);
    assertThat(err.toString()).contains("outside the CA's trust domain");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void initRefusesToOverwriteACa(@TempDir Path dir) {
    String out = dir.resolve("ca").toString();
    assertThat(run("certs", "init", "--trust-domain", "a.local", "--out", out)).isZero();
    assertThat(run("certs", "init", "--trust-domain", "a.local", "--out", out))
        .isEqualTo(Outrigger.EXIT_CONFIG);
    assertThat(err.toString()).contains("exists (use --force)");
  }

  @Test
  void tokenGrantsItsHashInTheTokenFileAndWritesTheTokenOwnerOnly(@TempDir Path dir)
      throws Exception {
    Path tokens = dir.resolve("control-plane.tokens");
    Path n1 = dir.resolve("n1.token");
    assertThat(
            run(
                "certs",
                "token",
                "--tokens",
                tokens.toString(),
                "--node",
                "default/n1",
                "--out",
                n1.toString()))
        .as(err.toString())
        .isZero();
    assertThat(run("certs", "token", "--tokens", tokens.toString(), "--api", "status,faults"))
        .as(err.toString())
        .isZero();
    String apiToken = out.toString().lines().reduce((a, b) -> b).orElseThrow();

    var grants = TokenFile.parse(Files.readString(tokens), tokens.toString());
    String n1Token = Files.readString(n1).strip();
    assertThat(grants.get(TokenFile.hash(n1Token)))
        .isInstanceOfSatisfying(
            Grant.NodeGrant.class,
            g -> assertThat(g.identity()).isEqualTo(new WorkloadIdentity("default", "n1")));
    assertThat(grants.get(TokenFile.hash(apiToken)))
        .isEqualTo(
            new Grant.ApiGrant(
                TokenFile.hash(apiToken), java.util.Set.of(Scope.STATUS, Scope.FAULTS)));
    assertThat(Files.readString(tokens)).doesNotContain(n1Token).doesNotContain(apiToken);
    for (Path p : java.util.List.of(tokens, n1)) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(p)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void tokenRefusesAnUnknownScopeAndABadIdentityWithoutWritingAnything(@TempDir Path dir) {
    Path tokens = dir.resolve("t");
    assertThat(run("certs", "token", "--tokens", tokens.toString(), "--api", "status,admin"))
        .isEqualTo(2);
    assertThat(run("certs", "token", "--tokens", tokens.toString(), "--node", "n1")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--api: scope \"admin\" (expected: status, faults or resources)")
        .contains("--node: \"n1\" (expected: NAMESPACE/SERVICE_ACCOUNT)");
    assertThat(tokens).doesNotExist();
  }
}
