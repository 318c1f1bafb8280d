package io.outrigger.proxy.listener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The listeners by address, for the {@code use_original_dst} hand-off: Envoy's rule, the listener
 * on exactly the original destination, else the one on the wildcard address ({@code 0.0.0.0} for
 * IPv4, {@code ::} for IPv6) with its port. Listeners with {@code bind_to_port: false} are here
 * too: they exist to receive these hand-offs.
 *
 * <p>Threading: {@link #publish} runs on the configuration thread; {@link #find} on event loops,
 * reading one volatile immutable map.
 */
final class ListenerAddresses implements ListenerChains.HandOff {
  private volatile Map<InetSocketAddress, Supplier<ListenerChains>> byAddress = Map.of();

  /**
   * Replaces the lookup.
   *
   * @param listeners each listener's address (its bound port for port 0) and its current version
   */
  void publish(Map<InetSocketAddress, Supplier<ListenerChains>> listeners) {
    byAddress = Map.copyOf(new HashMap<>(listeners));
  }

  @Override
  public ListenerChains find(InetSocketAddress destination) {
    Map<InetSocketAddress, Supplier<ListenerChains>> map = byAddress;
    Supplier<ListenerChains> found = map.get(destination);
    if (found == null) {
      boolean v6 = destination.getAddress().getAddress().length == 16;
      found = map.get(new InetSocketAddress(wildcard(v6), destination.getPort()));
    }
    return found == null ? null : found.get();
  }

  private static InetAddress wildcard(boolean v6) {
    try {
      return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
