package io.outrigger.certs;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A SPIFFE ID, {@code spiffe://trust-domain/path}: the identity a workload certificate carries as
 * its URI subject alternative name.
 *
 * @param trustDomain the lower-case trust domain, e.g. {@code outrigger.local}
 * @param path the path, starting with {@code /}, e.g. {@code /ns/default/sa/kvstore}; empty for the
 *     trust domain itself
 */
public record SpiffeId(String trustDomain, String path) {
  public SpiffeId {
    requireNonNull(trustDomain, "trustDomain");
    requireNonNull(path, "path");
    if (!trustDomain.matches("[a-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "trust_domain: \"" + trustDomain + "\" (expected: lower-case letters, digits, . _ -)");
    }
    if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/") || path.contains("//"))) {
      throw new IllegalArgumentException(
          "path: \"" + path + "\" (expected: /segment/segment, no empty segment)");
    }
  }

  /**
   * Parses {@code spiffe://domain/path}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SpiffeId parse(String uri) {
    requireNonNull(uri, "uri");
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("spiffe_id: \"" + uri + "\" (expected: a URI)", e);
    }
    if (!"spiffe".equals(u.getScheme())
        || u.getRawAuthority() == null
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || u.getRawUserInfo() != null
        || u.getPort() != -1) {
      throw new IllegalArgumentException(
          "spiffe_id: \"" + uri + "\" (expected: spiffe://trust-domain/path)");
    }
    return new SpiffeId(
        u.getRawAuthority().toLowerCase(Locale.ROOT), u.getRawPath() == null ? "" : u.getRawPath());
  }

  /** The trust domain's own ID, {@code spiffe://domain}, which the CA certificate carries. */
  public static SpiffeId ofTrustDomain(String trustDomain) {
    return new SpiffeId(trustDomain, "");
  }

  /** The URI form. */
  public String uri() {
    return "spiffe://" + trustDomain + path;
  }

  @Override
  public String toString() {
    return uri();
  }
}
