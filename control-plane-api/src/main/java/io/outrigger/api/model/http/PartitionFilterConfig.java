package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRules;
import java.util.List;
import java.util.Optional;

/**
 * {@code outrigger.filters.partition}: Outrigger's partition filter, configured by an {@code
 * xds.type.v3.TypedStruct} (or {@code udpa.type.v1.TypedStruct}) whose {@code type_url} is {@link
 * #TYPE_URL}, at the filter level or as a route's or virtual host's {@code typed_per_filter_config}
 * (which then replaces the filter-level rules for that route, whole).
 *
 * <p>A request's peer is its authority's host without port, lower-cased; the rule naming that peer
 * decides what happens to it; a request to a peer without rule passes.
 *
 * @param name the filter name as configured (for a per-route config: the map key)
 * @param rules at most one per peer; empty means everything passes
 */
public record PartitionFilterConfig(String name, List<PartitionRule> rules)
    implements HttpFilterConfig {
  public static final String FILTER_NAME = "outrigger.filters.partition";

  /** The {@code type_url} inside the TypedStruct. */
  public static final String TYPE_URL =
      "type.googleapis.com/outrigger.filters.partition.v1.Partition";

  public PartitionFilterConfig {
    requireNonNull(name, "name");
    rules = PartitionRules.checked(rules);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
  }

  /** The rule for {@code peer} (any case); empty when its traffic passes. */
  public Optional<PartitionRule> rule(String peer) {
    return PartitionRules.forPeer(rules, peer);
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
