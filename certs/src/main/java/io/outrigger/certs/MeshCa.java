package io.outrigger.certs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The mesh's certificate authority: an EC P-256 key and a self-signed CA certificate for one SPIFFE
 * trust domain, which issues workload certificates whose only identity is a URI SAN in that domain.
 *
 * <p>On disk a CA is a folder with {@code ca.pem} (the certificate, which sidecars trust) and
 * {@code ca-key.pem} (its PKCS#8 key, readable by the owner only). Not thread-safe for writing;
 * issuing may be called from any thread.
 */
public final class MeshCa {
  /** The CA certificate's file in a CA folder, and in every issued folder. */
  public static final String CA_CERT_FILE = "ca.pem";

  /** The CA key's file in a CA folder. */
  public static final String CA_KEY_FILE = "ca-key.pem";

  /** The validity of a new CA: ten years. */
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

  /** The validity of a workload certificate unless asked otherwise: 24 hours. */
  public static final Duration DEFAULT_WORKLOAD_TTL = Duration.ofHours(24);

  /**
   * Workload certificates start this much in the past, so that a peer's slow clock accepts them.
   */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final String SIGNATURE = "SHA256withECDSA";

  private final String trustDomain;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;
  private final SecureRandom random;

  private MeshCa(
      String trustDomain,
      X509Certificate certificate,
      PrivateKey key,
      Clock clock,
      SecureRandom random) {
    this.trustDomain = trustDomain;
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
    this.random = random;
  }

  /**
   * A new CA for {@code trustDomain}, valid from now for {@code validity}.
   *
   * @throws IllegalArgumentException for a trust domain that is not a SPIFFE trust domain
   */
  public static MeshCa create(
      String trustDomain, Duration validity, Clock clock, SecureRandom random) {
    SpiffeId domain = SpiffeId.ofTrustDomain(requireNonNull(trustDomain, "trustDomain"));
    KeyPair pair = newKeyPair(random);
    Instant now = clock.instant();
    X500Name subject = new X500Name("O=Outrigger, CN=Outrigger mesh CA " + trustDomain);
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(random),
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      b.addExtension(Extension.subjectAlternativeName, false, uriSan(domain));
      X509Certificate cert = sign(b, pair.getPrivate());
      return new MeshCa(domain.trustDomain(), cert, pair.getPrivate(), clock, random);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The CA saved in {@code dir} by {@link #write}.
   *
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when the files are not a CA this class wrote
   */
  public static MeshCa load(Path dir, Clock clock, SecureRandom random) throws IOException {
    X509Certificate cert = Pem.readCertificate(Files.readString(dir.resolve(CA_CERT_FILE)));
    PrivateKey key = Pem.readPrivateKey(Files.readString(dir.resolve(CA_KEY_FILE)));
    SpiffeId domain =
        SanNames.uris(cert).stream()
            .map(SpiffeId::parse)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        dir.resolve(CA_CERT_FILE)
                            + ": no spiffe:// URI SAN naming a trust domain"));
    return new MeshCa(domain.trustDomain(), cert, key, clock, random);
  }

  /** Writes {@code ca.pem} and {@code ca-key.pem} (owner-only) into {@code dir}, creating it. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    PemFiles.write(dir.resolve(CA_CERT_FILE), Pem.certificate(certificate), false);
    PemFiles.write(dir.resolve(CA_KEY_FILE), Pem.privateKey(key), true);
  }

  /**
   * Issues a workload key and certificate for {@code id}, valid from now (less five minutes of
   * clock skew) for {@code ttl}, never past the CA's own expiry.
   *
   * @throws IllegalArgumentException when {@code id} is outside this CA's trust domain, or names
   *     the trust domain itself
   */
  public WorkloadCertificate issue(SpiffeId id, Duration ttl) {
    return issue(id, ttl, java.util.List.of());
  }

  /**
   * As {@link #issue(SpiffeId, Duration)}, with extra DNS names or IP addresses as SANs beside the
   * SPIFFE ID, for clients that check host names (browsers, curl, the JDK's HttpClient).
   *
   * @param hostNames host names ({@code localhost}) or IP literals ({@code 127.0.0.1})
   */
  public WorkloadCertificate issue(SpiffeId id, Duration ttl, java.util.List<String> hostNames) {
    requireNonNull(id, "id");
    requireNonNull(hostNames, "hostNames");
    KeyPair pair = newKeyPair(random);
    return new WorkloadCertificate(
        id, signFor(id, pair.getPublic(), ttl, hostNames), pair.getPrivate(), certificate);
  }

  /**
   * Signs a certificate for {@code id} over a public key the workload made itself (from its CSR):
   * the private key never leaves the workload. The certificate carries only {@code id}, whatever
   * the CSR asked for.
   *
   * @throws IllegalArgumentException as {@link #issue(SpiffeId, Duration)}
   */
  public X509Certificate sign(PublicKey publicKey, SpiffeId id, Duration ttl) {
    requireNonNull(publicKey, "publicKey");
    requireNonNull(id, "id");
    return signFor(id, publicKey, ttl, java.util.List.of());
  }

  private X509Certificate signFor(
      SpiffeId id, PublicKey publicKey, Duration ttl, java.util.List<String> hostNames) {
    if (!id.trustDomain().equals(trustDomain)) {
      throw new IllegalArgumentException(
          "spiffe_id: "
              + id
              + " is outside the CA's trust domain (expected: spiffe://"
              + trustDomain
              + "/...)");
    }
    if (id.path().isEmpty()) {
      throw new IllegalArgumentException(
          "spiffe_id: " + id + " names the trust domain (expected: a workload path)");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    Instant now = clock.instant();
    Instant notAfter = min(now.plus(ttl), certificate.getNotAfter().toInstant());
    try {
      return sign(workloadBuilder(id, hostNames, publicKey, now, notAfter), key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue for " + id + ": " + e.getMessage(), e);
    }
  }

  private X509v3CertificateBuilder workloadBuilder(
      SpiffeId id,
      java.util.List<String> hostNames,
      PublicKey publicKey,
      Instant now,
      Instant notAfter)
      throws IOException, GeneralSecurityException {
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            certificate,
            serial(random),
            Date.from(now.minus(BACKDATE)),
            Date.from(notAfter),
            new X500Name("O=" + trustDomain),
            publicKey);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    b.addExtension(
        Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
    // SPIFFE X509-SVID: exactly one URI SAN; host names may sit beside it.
    java.util.List<GeneralName> names = new java.util.ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()));
    for (String h : hostNames) {
      boolean ip = h.matches("[0-9.]+") || h.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
    }
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(GeneralName[]::new)));
    return b;
  }

  /** The trust domain this CA signs for, e.g. {@code outrigger.local}. */
  public String trustDomain() {
    return trustDomain;
  }

  /** The CA certificate, which peers trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  private static GeneralNames uriSan(SpiffeId id) {
    return new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()));
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, CertIOException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    // 159 bits: positive, unique in practice, within RFC 5280's 20 octets.
    return new BigInteger(159, random).add(BigInteger.ONE);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
