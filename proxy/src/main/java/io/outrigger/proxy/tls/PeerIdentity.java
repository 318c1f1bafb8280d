package io.outrigger.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
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
 */
public record PeerIdentity(String uriSan, String subject, String hash, String localUriSan) {
  /** Set on a downstream connection's channel once a client certificate was verified. */
  public static final AttributeKey<PeerIdentity> KEY = AttributeKey.valueOf("outrigger.peer");

  public PeerIdentity {
    requireNonNull(subject, "subject");
    requireNonNull(hash, "hash");
  }

  /**
   * The identity in {@code cert}, seen by a proxy that presented {@code local} (may be {@code
   * null}).
   */
  public static PeerIdentity of(X509Certificate cert, X509Certificate local) {
    List<String> uris = uriSans(cert);
    List<String> localUris = local == null ? List.of() : uriSans(local);
    return new PeerIdentity(
        uris.isEmpty() ? null : uris.get(0),
        cert.getSubjectX500Principal().getName(),
        sha256(cert),
        localUris.isEmpty() ? null : localUris.get(0));
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
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (n.size() >= 2
              && Integer.valueOf(6).equals(n.get(0))
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
