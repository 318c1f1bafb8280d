package io.outrigger.proxy.testkit;

import io.outrigger.certs.MeshCa;
import io.outrigger.certs.SpiffeId;
import io.outrigger.certs.WorkloadCertificate;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made at test time with the mesh CA (no key is committed): a CA per
 * trust domain, workload certificates written as {@code cert.pem}, {@code key.pem}, {@code ca.pem}
 * in a folder, and JDK {@link SSLContext}s that trust a CA and present a workload certificate.
 */
public final class TlsKit {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MeshCa ca;
  private final Path dir;

  private TlsKit(MeshCa ca, Path dir) {
    this.ca = ca;
    this.dir = dir;
  }

  /** A new CA for {@code trustDomain}; files go under {@code dir}. */
  public static TlsKit create(String trustDomain, Path dir) throws Exception {
    MeshCa ca = MeshCa.create(trustDomain, Duration.ofDays(30), Clock.systemUTC(), RANDOM);
    ca.write(dir.resolve("ca"));
    return new TlsKit(ca, dir);
  }

  public MeshCa ca() {
    return ca;
  }

  /** The CA certificate's file. */
  public Path caFile() {
    return dir.resolve("ca").resolve(MeshCa.CA_CERT_FILE);
  }

  /**
   * Issues {@code spiffe://domain/name} (with SANs {@code localhost} and {@code 127.0.0.1}) into
   * {@code dir/name}, replacing what is there.
   */
  public WorkloadCertificate issue(String name) throws Exception {
    WorkloadCertificate w =
        ca.issue(
            SpiffeId.parse("spiffe://" + ca.trustDomain() + "/" + name),
            Duration.ofHours(24),
            List.of("localhost", "127.0.0.1"));
    w.write(dir.resolve(name));
    return w;
  }

  /** The folder {@link #issue} writes {@code name}'s files into. */
  public Path folder(String name) {
    return dir.resolve(name);
  }

  /** A client context that trusts this CA and, when {@code client} is given, presents it. */
  public SSLContext clientContext(WorkloadCertificate client) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "me",
          client.privateKey(),
          new char[0],
          new java.security.cert.Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
    return ctx;
  }

  /**
   * A {@code transport_socket} for a filter chain, YAML indented for a chain item's fields.
   *
   * @param name the workload folder whose cert.pem and key.pem the listener presents
   * @param extra extra DownstreamTlsContext lines (unindented), e.g. require_client_certificate
   * @param commonExtra extra CommonTlsContext lines (unindented), e.g. alpn_protocols
   */
  public String downstreamSocket(String name, String extra, String commonExtra) {
    Path f = folder(name);
    return """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
        %s
            common_tls_context:
              tls_certificates:
              - certificate_chain: { filename: "%s" }
                private_key: { filename: "%s" }
        %s
        """
        .formatted(
            Bootstraps.indent(extra, 4),
            f.resolve("cert.pem"),
            f.resolve("key.pem"),
            Bootstraps.indent(commonExtra, 6));
  }
}
