package io.outrigger.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding and decoding of certificates and PKCS#8 private keys, through BouncyCastle. */
public final class Pem {
  private Pem() {}

  /** {@code -----BEGIN CERTIFICATE-----} text of {@code cert}. */
  public static String certificate(X509Certificate cert) {
    return write(cert);
  }

  /** {@code -----BEGIN PRIVATE KEY-----} (unencrypted PKCS#8) text of {@code key}. */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first certificate in {@code pem}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static X509Certificate readCertificate(String pem) {
    Object o = readObject(pem);
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException("expected a PEM CERTIFICATE, found " + describe(o));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("bad certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in {@code pem}: PKCS#8 or a traditional EC/RSA key pair.
   *
   * @throws IllegalArgumentException when there is none (an encrypted key is refused)
   */
  public static PrivateKey readPrivateKey(String pem) {
    Object o = readObject(pem);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("bad private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "expected an unencrypted PEM PRIVATE KEY, found " + describe(o));
  }

  private static Object readObject(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("not PEM: " + e.getMessage(), e);
    }
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : o.getClass().getSimpleName();
  }

  private static String write(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
