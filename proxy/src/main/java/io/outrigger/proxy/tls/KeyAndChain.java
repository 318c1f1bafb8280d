package io.outrigger.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A private key and its certificate chain, read from PEM by Outrigger before Netty sees them.
 *
 * <p>Why not hand Netty the PEM text: for a key that is not PKCS#8 (OpenSSL's traditional {@code
 * RSA PRIVATE KEY} and {@code EC PRIVATE KEY}, which {@code openssl genrsa -traditional} and {@code
 * openssl ecparam -genkey} write) Netty creates BouncyCastle's JCA provider, which loads its
 * algorithm classes by names built at run time. Here every form is converted by the JDK's own
 * providers instead, so the runnable jar need not carry that provider's classes
 * (docs/benchmarks.md, session 14), and a key file that starts with an {@code EC PARAMETERS} block
 * is read as OpenSSL reads it.
 *
 * @param key the private key
 * @param chain the certificates, leaf first, as the PEM text lists them
 */
public record KeyAndChain(PrivateKey key, X509Certificate[] chain) {
  /**
   * The type of the key store in which Netty puts a key and its chain to make the context's key
   * manager ({@code SslContextBuilder.keyStoreType}): {@value}. The store lives only in memory.
   *
   * <p>Netty's default is the JVM's, PKCS#12, which encrypts the key as it goes in and decrypts it
   * as the key manager reads it, each with PBKDF2-HMAC-SHA256 at 10,000 iterations under an empty
   * password: about 100 ms of CPU per context on the client compiler (measured), for each listener,
   * cluster and control-plane channel with a certificate, at start and at each rotation. It was a
   * fifth of a mesh sidecar's sampled start-up CPU. JKS protects the entry with one SHA-1
   * keystream, about 1 ms, and no protection is lost: the key sits in the same heap unencrypted.
   */
  public static final String KEY_STORE_TYPE = "JKS";

  /**
   * @throws IllegalArgumentException when the key is missing, encrypted or malformed
   * @throws CertificateException when the chain holds no certificate or a malformed one
   */
  public static KeyAndChain read(String chainPem, String keyPem) throws CertificateException {
    X509Certificate[] chain =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))
            .toArray(X509Certificate[]::new);
    if (chain.length == 0) {
      throw new CertificateException("the certificate chain holds no PEM CERTIFICATE");
    }
    return new KeyAndChain(privateKey(keyPem), chain);
  }

  /**
   * The first private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}), or a traditional OpenSSL
   * key ({@code RSA PRIVATE KEY}: PKCS#1, {@code EC PRIVATE KEY}: SEC1, {@code DSA PRIVATE KEY}).
   * Blocks before it are skipped.
   */
  static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter jdkProviders = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return jdkProviders.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return jdkProviders.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IllegalArgumentException(
              "the private key is encrypted (expected: an unencrypted PEM PRIVATE KEY)");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("bad private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PEM PRIVATE KEY found");
  }
}
