package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code outrigger.filters.network.partition}: the partition filter for a listener whose
 * connections all lead to one peer node (a {@code tcp_proxy} listener, typically), configured by an
 * {@code xds.type.v3.TypedStruct} whose {@code type_url} is {@link #TYPE_URL}. Not terminal: a
 * {@code tcp_proxy} or {@code http_connection_manager} follows it.
 *
 * <p>It acts on new connections, and on connections it let through before: when a later
 * configuration's rule forbids the peer, an open connection is cut as the rule says (a partition
 * must cut long-lived streams too). {@code delay} applies to new connections only.
 *
 * @param name the filter name as configured
 * @param peer the node this listener's connections lead to, lower-cased; not empty
 * @param rules the rules; the one whose {@code peer} is {@link #peer} applies; at most one per peer
 */
public record PartitionNetworkFilterConfig(String name, String peer, List<PartitionRule> rules)
    implements NetworkFilterConfig {
  public static final String FILTER_NAME = "outrigger.filters.network.partition";
  public static final String TYPE_URL =
      "type.googleapis.com/outrigger.filters.network.partition.v1.Partition";

  public PartitionNetworkFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(peer, "peer");
    rules = PartitionRules.checked(rules);
    peer = peer.toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
    if (peer.isEmpty()) {
      throw new IllegalArgumentException(
          "peer: empty (expected: the node name connections lead to)");
    }
  }

  /** The rule for this listener's peer; empty when traffic passes. */
  public Optional<PartitionRule> rule() {
    return PartitionRules.forPeer(rules, peer);
  }
}
