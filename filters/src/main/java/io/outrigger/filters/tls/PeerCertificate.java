package io.outrigger.filters.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a downstream's verified client certificate says, as filters read it (Envoy's {@code
 * Ssl::ConnectionInfo} for the peer certificate). Known once the TLS handshake completed; a
 * connection without a verified client certificate has none.
 *
 * @param uriSans the URI SANs, in certificate order (a SPIFFE ID in a mesh)
 * @param dnsSans the DNS SANs, in certificate order
 * @param subject the subject's distinguished name (RFC 2253)
 */
public record PeerCertificate(List<String> uriSans, List<String> dnsSans, String subject) {
  public PeerCertificate {
    uriSans = List.copyOf(requireNonNull(uriSans, "uriSans"));
    dnsSans = List.copyOf(requireNonNull(dnsSans, "dnsSans"));
    requireNonNull(subject, "subject");
  }

  /**
   * The name a log line gives the peer: its first URI SAN, else its first DNS SAN, else its subject
   * (the order in which RBAC's {@code principal_name} looks).
   */
  public String principal() {
    if (!uriSans.isEmpty()) {
      return uriSans.get(0);
    }
    return dnsSans.isEmpty() ? subject : dnsSans.get(0);
  }
}
