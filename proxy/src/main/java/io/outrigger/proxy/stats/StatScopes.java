package io.outrigger.proxy.stats;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of Envoy's dotted statistic names that Outrigger's meters do not carry: a listener's
 * address ({@code listener.127.0.0.1_10000.}). The meters are labelled by listener name; this map
 * turns that name into Envoy's scope. (The connection managers' and {@code tcp_proxy}s' scopes,
 * {@code http.<stat_prefix>.} and {@code tcp.<stat_prefix>.}, are their meters' {@code stat_prefix}
 * label.)
 *
 * <p>Written when a listener is bound (any thread), read when statistics are rendered. A listener
 * not (yet) known keeps its name as the scope.
 */
public final class StatScopes {
  private final Map<String, String> listenerAddresses = new ConcurrentHashMap<>();

  /** Listener {@code name} is bound to {@code address}. */
  public void listenerBound(String name, InetSocketAddress address) {
    listenerAddresses.put(name, envoyAddress(address));
  }

  /** {@code 127.0.0.1_10000} or {@code [__]_15006}, as Envoy's listener scope; else the name. */
  public String listenerAddress(String listener) {
    return listenerAddresses.getOrDefault(listener, listener);
  }

  /**
   * Envoy's listener scope for {@code address}: its {@code asString()} ({@code 127.0.0.1:10000},
   * {@code [::]:15006}: the IPv6 address as {@code inet_ntop} writes it, in brackets, with {@code
   * %<scope id>} when it has one) with every {@code :} made {@code _}, as Envoy's stat names are
   * sanitized: {@code 127.0.0.1_10000}, {@code [__]_15006}, {@code [fe80__1%2]_80}.
   */
  static String envoyAddress(InetSocketAddress address) {
    String host;
    if (address.getAddress() instanceof Inet6Address v6) {
      host =
          "["
              + Ipv6Text.of(v6.getAddress())
              + (v6.getScopeId() != 0 ? "%" + v6.getScopeId() : "")
              + "]";
    } else {
      host = address.getAddress().getHostAddress();
    }
    return (host + ":" + address.getPort()).replace(':', '_');
  }
}
