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
 * <p>A request's peer is the filter's {@code peer} when it names one, else its authority's host
 * without port, lower-cased; the rule naming that peer decides what happens to it; a request to a
 * peer without rule passes.
 *
 * @param name the filter name as configured (for a per-route config: the map key)
 * @param peer the peer every request through this filter goes to, for a connection manager that
 *     serves one destination (a filter chain chosen by original destination, as with interception,
 *     where the application's {@code Host} says nothing the mesh relies on); empty: the request's
 *     authority names it. Read from the filter-level config only: a per-route config replaces the
 *     rules, never the peer
 * @param rules at most one per peer; empty means everything passes
 */
public record PartitionFilterConfig(String name, Optional<String> peer, List<PartitionRule> rules)
    implements HttpFilterConfig {
  public static final String FILTER_NAME = "outrigger.filters.partition";

  /** The {@code type_url} inside the TypedStruct. */
  public static final String TYPE_URL =
      "type.googleapis.com/outrigger.filters.partition.v1.Partition";

  public PartitionFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(peer, "peer");
    rules = PartitionRules.checked(rules);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
  }

  /** A filter whose requests' authority names their peer. */
  public PartitionFilterConfig(String name, List<PartitionRule> rules) {
    this(name, Optional.empty(), rules);
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
