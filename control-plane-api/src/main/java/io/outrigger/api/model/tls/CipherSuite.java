package io.outrigger.api.model.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The TLS 1.2 cipher suites {@code tls_params.cipher_suites} may name: ECDHE key exchange with an
 * AEAD cipher only (no CBC, RC4, 3DES, static RSA or export suite). TLS 1.3's suites are all AEAD
 * and always on, as in Envoy.
 */
public enum CipherSuite {
  ECDHE_ECDSA_AES128_GCM_SHA256(
      "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
  ECDHE_ECDSA_CHACHA20_POLY1305(
      "ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
  ECDHE_RSA_AES128_GCM_SHA256(
      "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
  ECDHE_RSA_CHACHA20_POLY1305(
      "ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
  ECDHE_ECDSA_AES256_GCM_SHA384(
      "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
  ECDHE_RSA_AES256_GCM_SHA384(
      "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

  /** TLS 1.3's suites, in preference order (not configurable, as in Envoy). */
  public static final List<String> TLS13_JAVA_NAMES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private final String openSslName;
  private final String javaName;

  CipherSuite(String openSslName, String javaName) {
    this.openSslName = openSslName;
    this.javaName = javaName;
  }

  /** The name Envoy's config uses, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}. */
  public String openSslName() {
    return openSslName;
  }

  /** The IANA / JSSE name, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}. */
  public String javaName() {
    return javaName;
  }

  /** The suite Envoy's config calls {@code name}, if it is one of these. */
  public static Optional<CipherSuite> byOpenSslName(String name) {
    return Arrays.stream(values()).filter(c -> c.openSslName.equals(name)).findFirst();
  }

  /** Every suite, in the default preference order. */
  public static List<CipherSuite> defaults() {
    return List.of(values());
  }
}
