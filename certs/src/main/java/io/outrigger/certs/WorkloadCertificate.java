package io.outrigger.certs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A workload's key and certificate, issued by a {@link MeshCa}, and the CA certificate that
 * verifies it.
 *
 * <p>On disk: {@code cert.pem}, {@code key.pem} (PKCS#8, owner-only) and {@code ca.pem} — the files
 * a sidecar's {@code tls_certificates} and {@code validation_context.trusted_ca} name.
 */
public record WorkloadCertificate(
    SpiffeId id, X509Certificate certificate, PrivateKey privateKey, X509Certificate ca) {
  public static final String CERT_FILE = "cert.pem";
  public static final String KEY_FILE = "key.pem";

  public WorkloadCertificate {
    requireNonNull(id, "id");
    requireNonNull(certificate, "certificate");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(ca, "ca");
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  public String caPem() {
    return Pem.certificate(ca);
  }

  /**
   * Writes the three files into {@code dir}, creating it. Each file is written to a temporary name
   * and moved into place, so that a sidecar watching them never reads half a file.
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    PemFiles.write(dir.resolve(KEY_FILE), privateKeyPem(), true);
    PemFiles.write(dir.resolve(CERT_FILE), certificatePem(), false);
    PemFiles.write(dir.resolve(MeshCa.CA_CERT_FILE), caPem(), false);
  }
}
