package io.outrigger.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.outrigger.filters.tls.PeerCertificate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The verified identity of a downstream peer: what its client certificate says, computed once when
 * the handshake completes and kept on the connection's channel ({@link #KEY}).
 *
 * @param uriSan the first URI SAN (a SPIFFE ID in a mesh), or {@code null} when there is none
 * @param subject the subject's distinguished name (RFC 2253), as Envoy's XFCC {@code Subject}
 * @param hash the SHA-256 of the certificate's DER encoding, lower-case hex, as Envoy's XFCC {@code
 *     Hash}
 * @param localUriSan the URI SAN of the certificate this proxy presented on the connection (XFCC
 *     {@code By}), or {@code null}
 * @param certificate every URI and DNS SAN and the subject, as filters (RBAC) read them
 */
public record PeerIdentity(
    String uriSan, String subject, String hash, String localUriSan, PeerCertificate certificate) {
  /** Set on a downstream connection's channel once a client certificate was verified. */
  public static final AttributeKey<PeerIdentity> KEY = AttributeKey.valueOf("outrigger.peer");

  public PeerIdentity {
    requireNonNull(subject, "subject");
    requireNonNull(hash, "hash");
    requireNonNull(certificate, "certificate");
  }

  /**
   * The identity in {@code cert}, seen by a proxy that presented {@code local} (may be {@code
   * null}).
   */
  public static PeerIdentity of(X509Certificate cert, X509Certificate local) {
    List<String> uris = uriSans(cert);
    List<String> localUris = local == null ? List.of() : uriSans(local);
    String subject = cert.getSubjectX500Principal().getName();
    return new PeerIdentity(
        uris.isEmpty() ? null : uris.get(0),
        subject,
        sha256(cert),
        localUris.isEmpty() ? null : localUris.get(0),
        new PeerCertificate(uris, sans(cert, DNS_NAME), subject));
  }

  /**
   * The identity of the peer of {@code ch}, or of its parent connection for an HTTP/2 stream;
   * {@code null} when the peer presented no verified certificate.
   */
  public static PeerIdentity of(Channel ch) {
    for (Channel c = ch; c != null; c = c.parent()) {
      PeerIdentity id = c.attr(KEY).get();
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  /** The URI SANs of {@code cert}, in order; empty when none or unparseable. */
  static List<String> uriSans(X509Certificate cert) {
    return sans(cert, URI);
  }

  /** GeneralName tags (RFC 5280) of the SANs read here. */
  private static final int DNS_NAME = 2;

  private static final int URI = 6;

  /** The SANs of kind {@code tag}, in order; empty when none or unparseable. */
  private static List<String> sans(X509Certificate cert, int tag) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (n.size() >= 2
              && Integer.valueOf(tag).equals(n.get(0))
              && n.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return out;
  }

  private static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
