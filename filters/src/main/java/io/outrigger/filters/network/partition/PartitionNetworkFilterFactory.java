package io.outrigger.filters.network.partition;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterFactory;
import io.outrigger.filters.stats.FilterMeters;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Builds {@code outrigger.filters.network.partition} filters for one listener configuration. The
 * rule for the listener's peer is looked up once here, and published on the sidecar's {@link
 * PartitionBoard} when the configuration takes connections ({@link #activated}), so that
 * connections opened under an earlier configuration obey it too; {@code
 * partition_connections{listener, action, peer}} counts the connections it acted on.
 */
public final class PartitionNetworkFilterFactory implements NetworkFilterFactory {
  private final String name;
  private final Optional<PartitionRule> rule;
  private final RandomGenerator random;
  private final PartitionBoard board;
  private final PartitionBoard.Key key;
  private final Map<PartitionRule.Action, Counter> counters =
      new EnumMap<>(PartitionRule.Action.class);

  /**
   * @param board the sidecar's board; null: connections already open never hear of later rules
   */
  public PartitionNetworkFilterFactory(
      PartitionNetworkFilterConfig config,
      String listener,
      FilterMeters meters,
      RandomGenerator random,
      PartitionBoard board) {
    requireNonNull(config, "config");
    this.name = config.name();
    this.rule = config.rule();
    this.random = requireNonNull(random, "random");
    this.board = board;
    this.key = new PartitionBoard.Key(listener, config.name(), config.peer());
    for (PartitionRule.Action a : PartitionRule.Action.values()) {
      counters.put(
          a,
          meters.counter(
              "partition_connections",
              "Connections a partition rule acted on",
              "listener",
              listener,
              "action",
              a.configName(),
              "peer",
              config.peer()));
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** A configuration refused or replaced before it took connections never cuts any. */
  @Override
  public void activated() {
    if (board != null) {
      board.publish(key, rule);
    }
  }

  @Override
  public NetworkFilter create() {
    return new PartitionNetworkFilter(rule, random, counters, board, key);
  }
}
