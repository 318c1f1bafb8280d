package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.rbac.CidrRange;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Envoy's {@code FilterChainMatch}, for the fields Outrigger supports. A connection takes the chain
 * whose match it satisfies most specifically, criterion by criterion in Envoy's order: destination
 * port, destination IP, server name, transport protocol, application protocols, source IP, source
 * port. Every field's default (empty) matches any connection, below any value that matches.
 *
 * @param destinationPort {@code destination_port}: the original destination's port when {@code
 *     original_dst} restored one, else the listener's local port; empty matches any
 * @param prefixRanges {@code prefix_ranges}: CIDRs of the destination IP (the same destination);
 *     the longest matching prefix wins; empty matches any
 * @param serverNames {@code server_names}: SNI names, exact ({@code api.example.com}) or a leading
 *     wildcard ({@code *.example.com}, which matches one or more labels); lower case; empty matches
 *     any connection
 * @param transportProtocol {@code transport_protocol}: {@code tls} or {@code raw_buffer}; empty
 *     matches either
 * @param applicationProtocols {@code application_protocols}: ALPN names from the TLS inspector or
 *     {@code http/1.0}, {@code http/1.1}, {@code h2c} from the HTTP inspector; empty matches any
 * @param sourcePrefixRanges {@code source_prefix_ranges}: CIDRs of the peer's IP; empty matches any
 * @param sourcePorts {@code source_ports}: the peer's port; empty matches any
 */
public record FilterChainMatchConfig(
    OptionalInt destinationPort,
    List<CidrRange> prefixRanges,
    List<String> serverNames,
    Optional<TransportProtocol> transportProtocol,
    List<String> applicationProtocols,
    List<CidrRange> sourcePrefixRanges,
    List<Integer> sourcePorts) {
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
    requireNonNull(destinationPort, "destinationPort");
    prefixRanges = List.copyOf(requireNonNull(prefixRanges, "prefixRanges"));
    serverNames =
        requireNonNull(serverNames, "serverNames").stream()
            .map(s -> s.toLowerCase(Locale.ROOT))
            .toList();
    requireNonNull(transportProtocol, "transportProtocol");
    applicationProtocols =
        List.copyOf(requireNonNull(applicationProtocols, "applicationProtocols"));
    sourcePrefixRanges = List.copyOf(requireNonNull(sourcePrefixRanges, "sourcePrefixRanges"));
    sourcePorts = List.copyOf(requireNonNull(sourcePorts, "sourcePorts"));
    if (destinationPort.isPresent()
        && (destinationPort.getAsInt() < 1 || destinationPort.getAsInt() > 65535)) {
      throw new IllegalArgumentException(
          "destination_port: " + destinationPort.getAsInt() + " (expected: 1..65535)");
    }
    for (int p : sourcePorts) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("source_ports: " + p + " (expected: 1..65535)");
      }
    }
    for (String a : applicationProtocols) {
      if (a.isEmpty()) {
        throw new IllegalArgumentException("application_protocols: an empty name");
      }
    }
    for (String n : serverNames) {
      String rest = n.startsWith("*.") ? n.substring(2) : n;
      if (rest.isEmpty() || rest.contains("*")) {
        throw new IllegalArgumentException(
            "server_names: \"" + n + "\" (expected: a host name or *.domain)");
      }
    }
  }

  /** A match on server names and transport protocol only: the form it had before the others. */
  public FilterChainMatchConfig(
      List<String> serverNames, Optional<TransportProtocol> transportProtocol) {
    this(
        OptionalInt.empty(),
        List.of(),
        serverNames,
        transportProtocol,
        List.of(),
        List.of(),
        List.of());
  }

  /** Whether this match names anything at all. */
  public boolean isAny() {
    return this.equals(ANY);
  }

  /**
   * Whether choosing by this match needs the connection's first bytes (a TLS ClientHello or an HTTP
   * request line): it names server names, a transport protocol or application protocols.
   */
  public boolean needsInspection() {
    return !serverNames.isEmpty()
        || transportProtocol.isPresent()
        || !applicationProtocols.isEmpty();
  }
}
