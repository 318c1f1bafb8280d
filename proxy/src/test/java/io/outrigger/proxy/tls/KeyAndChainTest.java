package io.outrigger.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

/** Private keys in every unencrypted PEM form OpenSSL writes, read with the JDK's providers. */
class KeyAndChainTest {
  /** {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256}, a test key. */
  private static final String ENCRYPTED =
      """
      -----BEGIN ENCRYPTED PRIVATE KEY-----
      MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhIVQ+K4PEQOQICCAAw
      DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEB7MwFoi1yxB6WNvAdIHl/oEgZD0
      PvB9dAn1qGR5lZcmND6nG4DgHhLoRTlFgNthbjWDRddkivI3MfWP6JqgCloEb+dX
      hgsiCCv2lK+F8gSJsF9kwKbw2YaDToOitcmory5OH+jIrxd9orCLirHmy7PC7ioT
      XuqXI/pCcqWO5ib5bmRS+4iGGXYWs/5U7ighgcUpDyXquGtS/UFYQql1Q71omkA=
      -----END ENCRYPTED PRIVATE KEY-----
      """;

  @Test
  void readsSec1EcKeysAfterTheirParametersBlockAsOpensslWritesThem() throws Exception {
    KeyPair ec = keyPair("EC", 256);
    String sec1 = traditional(ec.getPrivate());
    assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
    String withParameters =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1;

    PrivateKey read = KeyAndChain.privateKey(withParameters);

    assertThat(read.getAlgorithm()).isEqualTo("EC");
    assertSignsFor(read, ec.getPublic(), "SHA256withECDSA");
  }

  @Test
  void readsPkcs1RsaKeys() throws Exception {
    KeyPair rsa = keyPair("RSA", 2048);
    String pkcs1 = traditional(rsa.getPrivate());
    assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertSignsFor(KeyAndChain.privateKey(pkcs1), rsa.getPublic(), "SHA256withRSA");
  }

  @Test
  void readsPkcs8KeysAndTheChainInOrder() throws Exception {
    KeyPair ec = keyPair("EC", 256);
    X509Certificate leaf = selfSigned(ec, "leaf");
    X509Certificate other = selfSigned(keyPair("EC", 256), "other");

    KeyAndChain read = KeyAndChain.read(pem(leaf) + pem(other), pkcs8(ec.getPrivate()));

    assertThat(read.chain()).containsExactly(leaf, other);
    assertSignsFor(read.key(), leaf.getPublicKey(), "SHA256withECDSA");
  }

  @Test
  void refusesEncryptedKeysAndTextWithoutKeyOrCertificate() throws Exception {
    assertThatThrownBy(() -> KeyAndChain.privateKey(ENCRYPTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> KeyAndChain.privateKey("no key here\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM PRIVATE KEY");
    KeyPair ec = keyPair("EC", 256);
    assertThatThrownBy(() -> KeyAndChain.read("", pkcs8(ec.getPrivate())))
        .isInstanceOf(CertificateException.class);
  }

  private static void assertSignsFor(PrivateKey key, PublicKey pub, String algorithm)
      throws Exception {
    byte[] data = "outrigger".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance(algorithm);
    s.initSign(key);
    s.update(data);
    byte[] signature = s.sign();
    Signature v = Signature.getInstance(algorithm);
    v.initVerify(pub);
    v.update(data);
    assertThat(v.verify(signature)).as("the key read is the pair's private half").isTrue();
  }

  static KeyPair keyPair(String algorithm, int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    g.initialize(bits);
    return g.generateKeyPair();
  }

  /**
   * OpenSSL's traditional form: PKCS#1 for RSA; SEC1 for EC, with the curve inside the structure as
   * {@code openssl ecparam -genkey} writes it (the JDK's PKCS#8 encoding keeps it outside).
   */
  static String traditional(PrivateKey key) throws Exception {
    if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        w.writeObject(key);
      }
      return out.toString();
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
    ECPrivateKey sec1 =
        new ECPrivateKey(
            ec.getParams().getOrder().bitLength(),
            ec.getS(),
            info.getPrivateKeyAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    return out.toString();
  }

  private static String pkcs8(PrivateKey key) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(new JcaPKCS8Generator(key, null).generate());
    }
    return out.toString();
  }

  static String pem(X509Certificate cert) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(cert);
    }
    return out.toString();
  }

  static X509Certificate selfSigned(KeyPair pair, String cn) throws Exception {
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    String signature =
        pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plusSeconds(3600)),
                    name,
                    pair.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
  }
}
