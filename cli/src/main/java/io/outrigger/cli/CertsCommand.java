package io.outrigger.cli;

import io.outrigger.certs.MeshCa;
import io.outrigger.certs.SpiffeId;
import io.outrigger.certs.WorkloadCertificate;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outrigger certs}: a small mesh CA. {@code init} creates a CA for a SPIFFE trust domain;
 * {@code issue} gives a workload a key and a certificate whose URI SAN is its SPIFFE ID, as the
 * files a sidecar's {@code tls_certificates} and {@code trusted_ca} name.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Creates a mesh CA, workload certificates for mTLS, and control-plane tokens.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsToken.class})
final class CertsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code outrigger certs init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a CA: an EC P-256 key and a self-signed certificate for one trust domain.",
        "Writes DIR/ca.pem (give it to every sidecar as trusted_ca) and DIR/ca-key.pem (keep it"
            + " private)."
      })
  static final class Init implements Callable<Integer> {
    @Option(
        names = "--trust-domain",
        required = true,
        paramLabel = "DOMAIN",
        description = "The SPIFFE trust domain, e.g. outrigger.local.")
    String trustDomain;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
    Path out;

    @Option(
        names = "--validity",
        paramLabel = "DURATION",
        description = "How long the CA is valid (default: ${DEFAULT-VALUE}, ten years).")
    Duration validity = MeshCa.DEFAULT_CA_VALIDITY;

    @Option(names = "--force", description = "Overwrite a CA already in DIR.")
    boolean force;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      if (Files.exists(out.resolve(MeshCa.CA_KEY_FILE)) && !force) {
        err.println("certs init: " + out.resolve(MeshCa.CA_KEY_FILE) + " exists (use --force)");
        return Outrigger.EXIT_CONFIG;
      }
      MeshCa ca;
      try {
        ca = MeshCa.create(trustDomain, validity, Clock.systemUTC(), new SecureRandom());
      } catch (IllegalArgumentException e) {
        err.println("certs init: " + e.getMessage());
        return Outrigger.EXIT_CONFIG;
      }
      ca.write(out);
      spec.commandLine()
          .getOut()
          .printf(
              "CA for spiffe://%s written to %s (expires %s)%n",
              ca.trustDomain(), out, ca.certificate().getNotAfter().toInstant());
      return 0;
    }
  }

  /** {@code outrigger certs issue}. */
  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Issues a workload key and certificate signed by the CA, with the SPIFFE ID as URI SAN.",
        "Writes DIR/cert.pem, DIR/key.pem (PKCS#8) and DIR/ca.pem."
      })
  static final class Issue implements Callable<Integer> {
    @Option(
        names = "--ca",
        required = true,
        paramLabel = "DIR",
        description = "The CA folder written by certs init.")
    Path caDir;

    @Option(
        names = "--spiffe-id",
        required = true,
        paramLabel = "URI",
        description = "spiffe://DOMAIN/PATH, in the CA's trust domain.")
    String spiffeId;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
    Path out;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the certificate is valid (default: ${DEFAULT-VALUE}).")
    Duration ttl = MeshCa.DEFAULT_WORKLOAD_TTL;

    @Option(
        names = "--host",
        paramLabel = "NAME",
        description =
            "A DNS name or IP address to add as SAN, for clients that check host names"
                + " (repeatable).")
    List<String> hosts = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      WorkloadCertificate issued;
      try {
        MeshCa ca = MeshCa.load(caDir, Clock.systemUTC(), new SecureRandom());
        issued = ca.issue(SpiffeId.parse(spiffeId), ttl, hosts);
      } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
        err.println("certs issue: " + e.getMessage());
        return Outrigger.EXIT_CONFIG;
      }
      issued.write(out);
      spec.commandLine()
          .getOut()
          .printf(
              "%s written to %s (expires %s)%n",
              issued.id(), out, issued.certificate().getNotAfter().toInstant());
      return 0;
    }
  }
}
