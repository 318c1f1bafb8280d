package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Envoy's {@code FilterChainMatch}, for the fields Outrigger supports.
 *
 * @param serverNames {@code server_names}: SNI names, exact ({@code api.example.com}) or a leading
 *     wildcard ({@code *.example.com}, which matches one or more labels); lower case; empty matches
 *     any connection
 * @param transportProtocol {@code transport_protocol}: {@code tls} or {@code raw_buffer}; empty
 *     matches either
 */
public record FilterChainMatchConfig(
    List<String> serverNames, Optional<TransportProtocol> transportProtocol) {
  /** A match that every connection satisfies. */
  public static final FilterChainMatchConfig ANY =
      new FilterChainMatchConfig(List.of(), Optional.empty());

  /** {@code transport_protocol} values. */
  public enum TransportProtocol {
    TLS("tls"),
    RAW_BUFFER("raw_buffer");

    private final String configName;

    TransportProtocol(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  public FilterChainMatchConfig {
    serverNames =
        requireNonNull(serverNames, "serverNames").stream()
            .map(s -> s.toLowerCase(Locale.ROOT))
            .toList();
    requireNonNull(transportProtocol, "transportProtocol");
    for (String n : serverNames) {
      String rest = n.startsWith("*.") ? n.substring(2) : n;
      if (rest.isEmpty() || rest.contains("*")) {
        throw new IllegalArgumentException(
            "server_names: \"" + n + "\" (expected: a host name or *.domain)");
      }
    }
  }

  /** Whether this match names anything at all. */
  public boolean isAny() {
    return serverNames.isEmpty() && transportProtocol.isEmpty();
  }
}
