package io.outrigger.filters.network;

import io.outrigger.api.model.ConnectionLimitFilterConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.filters.network.connectionlimit.ConnectionLimitFilterFactory;
import io.outrigger.filters.network.partition.PartitionBoard;
import io.outrigger.filters.network.partition.PartitionNetworkFilterFactory;
import io.outrigger.filters.network.rbac.RbacNetworkFilterFactory;
import io.outrigger.filters.stats.FilterMeters;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Turns each configured non-terminal network filter into its factory, once per listener config. */
public final class NetworkFilterFactories {
  private NetworkFilterFactories() {}

  /**
   * @param listener the listener's name, the label of the filters' statistics
   * @param random draws fractions; safe to use from every event loop at once
   * @return the filter's factory; empty for a terminal filter ({@code tcp_proxy}, {@code
   *     http_connection_manager}), which the proxy builds itself
   */
  public static Optional<NetworkFilterFactory> create(
      NetworkFilterConfig config, String listener, FilterMeters meters, RandomGenerator random) {
    return create(config, listener, meters, random, null);
  }

  /**
   * As {@link #create(NetworkFilterConfig, String, FilterMeters, RandomGenerator)}, with the
   * sidecar's partition board, through which a partition rule reaches connections already open.
   */
  public static Optional<NetworkFilterFactory> create(
      NetworkFilterConfig config,
      String listener,
      FilterMeters meters,
      RandomGenerator random,
      PartitionBoard partitions) {
    if (config instanceof PartitionNetworkFilterConfig partition) {
      return Optional.of(
          new PartitionNetworkFilterFactory(partition, listener, meters, random, partitions));
    }
    if (config instanceof ConnectionLimitFilterConfig limit) {
      return Optional.of(new ConnectionLimitFilterFactory(limit, meters));
    }
    if (config instanceof RbacNetworkFilterConfig rbac) {
      return Optional.of(new RbacNetworkFilterFactory(rbac, listener, meters, System::nanoTime));
    }
    return Optional.empty();
  }
}
