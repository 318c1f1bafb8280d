package io.outrigger.certs;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A PKCS#10 certificate signing request as a CA receives it. */
public final class Csr {
  private Csr() {}

  /**
   * The public key of a PEM CSR whose signature that key verifies (so the caller holds the private
   * key); nothing else of the CSR is used.
   *
   * @throws IllegalArgumentException when the text is no PEM CSR or its signature does not verify
   */
  public static PublicKey verifiedPublicKey(String pem) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports bad base64 with unchecked exceptions.
      throw new IllegalArgumentException("csr: not PEM: " + e.getMessage(), e);
    }
    if (!(parsed instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest request)) {
      throw new IllegalArgumentException(
          "csr: "
              + (parsed == null ? "empty" : parsed.getClass().getSimpleName())
              + " (expected: a PEM CERTIFICATE REQUEST)");
    }
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
      PublicKey key = jca.getPublicKey();
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("csr: signature does not verify");
      }
      return key;
    } catch (java.security.GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("csr: " + e.getMessage(), e);
    }
  }
}
