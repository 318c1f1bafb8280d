package io.outrigger.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads subject alternative names from a certificate. */
public final class SanNames {
  private static final int URI = 6;

  private SanNames() {}

  /** The certificate's URI SANs in order; empty when it has none or they cannot be parsed. */
  public static List<String> uris(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (n.size() >= 2
              && Integer.valueOf(URI).equals(n.get(0))
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
}
