package io.outrigger.proxy.tls;

import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.TlsCertificateConfig;
import io.outrigger.api.model.tls.ValidationConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The PEM material of one {@link CommonTlsConfig} as read at one moment: certificate chain, key and
 * trusted CAs, with a digest of all of it so that a watcher can tell whether anything changed.
 *
 * @param chainPem the certificate chain, or {@code null} without a certificate
 * @param keyPem the private key, or {@code null} without a certificate
 * @param chain the parsed chain, leaf first; empty without a certificate
 * @param trustedCas the parsed {@code trusted_ca}; empty without a validation context
 * @param digest SHA-256 over everything read
 */
record TlsMaterial(
    String chainPem,
    String keyPem,
    List<X509Certificate> chain,
    List<X509Certificate> trustedCas,
    byte[] digest) {

  /**
   * Reads every source of {@code common}; blocking file I/O, off the event loops.
   *
   * @throws IOException when a file cannot be read
   * @throws CertificateException when a certificate is not PEM X.509
   */
  static TlsMaterial read(CommonTlsConfig common) throws IOException, CertificateException {
    MessageDigest sha = sha256();
    String chainPem = null;
    String keyPem = null;
    List<X509Certificate> chain = List.of();
    if (common.certificate().isPresent()) {
      TlsCertificateConfig c = common.certificate().get();
      chainPem = PemSources.read(c.certificateChain());
      keyPem = PemSources.read(c.privateKey());
      chain = certificates(chainPem, c.certificateChain().describe());
      sha.update(chainPem.getBytes(StandardCharsets.UTF_8));
      sha.update(keyPem.getBytes(StandardCharsets.UTF_8));
    }
    List<X509Certificate> cas = List.of();
    if (common.validation().isPresent()) {
      ValidationConfig v = common.validation().get();
      String caPem = PemSources.read(v.trustedCa());
      cas = certificates(caPem, v.trustedCa().describe());
      sha.update(caPem.getBytes(StandardCharsets.UTF_8));
    }
    return new TlsMaterial(chainPem, keyPem, chain, cas, sha.digest());
  }

  boolean sameAs(TlsMaterial other) {
    return Arrays.equals(digest, other.digest);
  }

  private static List<X509Certificate> certificates(String pem, String where)
      throws CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new CertificateException(where + ": no PEM certificate");
    }
    return List.copyOf(out);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
