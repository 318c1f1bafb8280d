package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Envoy's {@code TlsParameters}.
 *
 * @param minimumVersion {@code tls_minimum_protocol_version}; default TLS 1.2
 * @param maximumVersion {@code tls_maximum_protocol_version}; default TLS 1.3
 * @param cipherSuites the TLS 1.2 suites in preference order; default every {@link CipherSuite}
 */
public record TlsParamsConfig(
    TlsVersion minimumVersion, TlsVersion maximumVersion, List<CipherSuite> cipherSuites) {
  public static final TlsParamsConfig DEFAULT =
      new TlsParamsConfig(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3, CipherSuite.defaults());

  public TlsParamsConfig {
    requireNonNull(minimumVersion, "minimumVersion");
    requireNonNull(maximumVersion, "maximumVersion");
    cipherSuites = List.copyOf(requireNonNull(cipherSuites, "cipherSuites"));
    if (minimumVersion.compareTo(maximumVersion) > 0) {
      throw new IllegalArgumentException(
          "tls_maximum_protocol_version: "
              + maximumVersion
              + " (expected: >= tls_minimum_protocol_version "
              + minimumVersion
              + ")");
    }
    if (cipherSuites.isEmpty()) {
      throw new IllegalArgumentException("cipher_suites: empty (expected: at least one suite)");
    }
  }

  /** The enabled protocol versions as JSSE names, lowest first. */
  public List<String> protocols() {
    return java.util.Arrays.stream(TlsVersion.values())
        .filter(v -> v.compareTo(minimumVersion) >= 0 && v.compareTo(maximumVersion) <= 0)
        .map(TlsVersion::javaName)
        .toList();
  }
}
