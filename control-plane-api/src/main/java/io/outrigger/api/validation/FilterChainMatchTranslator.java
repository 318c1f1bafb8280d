package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Translates a filter chain's {@code filter_chain_match} into {@link FilterChainMatchConfig}. */
final class FilterChainMatchTranslator {
  private FilterChainMatchTranslator() {}

  /**
   * @param path where the match sits, e.g. {@code listeners[0].filter_chains[1].filter_chain_match}
   */
  static FilterChainMatchConfig translate(FilterChainMatch proto, String path)
      throws ConfigException {
    Optional<TransportProtocol> transport =
        switch (proto.getTransportProtocol()) {
          case "" -> Optional.empty();
          case "tls" -> Optional.of(TransportProtocol.TLS);
          case "raw_buffer" -> Optional.of(TransportProtocol.RAW_BUFFER);
          default ->
              throw ConfigException.at(
                  Paths.field(path, "transport_protocol"),
                  "\"" + proto.getTransportProtocol() + "\" (expected: tls or raw_buffer)");
        };
    OptionalInt port =
        proto.hasDestinationPort()
            ? OptionalInt.of(proto.getDestinationPort().getValue())
            : OptionalInt.empty();
    try {
      return new FilterChainMatchConfig(
          port,
          cidrs(proto.getPrefixRangesList(), path, "prefix_ranges"),
          proto.getServerNamesList(),
          transport,
          proto.getApplicationProtocolsList(),
          cidrs(proto.getSourcePrefixRangesList(), path, "source_prefix_ranges"),
          proto.getSourcePortsList());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static List<io.outrigger.api.model.rbac.CidrRange> cidrs(
      List<CidrRange> protos, String path, String field) throws ConfigException {
    List<io.outrigger.api.model.rbac.CidrRange> out = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      out.add(RbacTranslator.cidr(protos.get(i), Paths.item(path, field, i)));
    }
    return out;
  }
}
