package io.outrigger.proxy.stats;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts of Envoy's dotted statistic names that Outrigger's meters do not carry: a listener's
 * address ({@code listener.127.0.0.1_10000.}), its connection manager's {@code stat_prefix} ({@code
 * http.ingress_http.}) and its {@code tcp_proxy}'s ({@code tcp.db.}). The meters are labelled by
 * listener name; these maps turn that name into Envoy's scope.
 *
 * <p>Written when a listener is bound or its connection manager built (any thread), read when
 * statistics are rendered. A listener not (yet) known keeps its name as the scope.
 */
public final class StatScopes {
  private final Map<String, String> listenerAddresses = new ConcurrentHashMap<>();
  private final Map<String, String> httpPrefixes = new ConcurrentHashMap<>();
  private final Map<String, String> tcpPrefixes = new ConcurrentHashMap<>();

  /** Listener {@code name} is bound to {@code address}. */
  public void listenerBound(String name, InetSocketAddress address) {
    listenerAddresses.put(name, envoyAddress(address));
  }

  /** Listener {@code name}'s HTTP connection manager has {@code statPrefix}. */
  public void httpPrefix(String listener, String statPrefix) {
    httpPrefixes.put(listener, statPrefix);
  }

  /** Listener {@code name}'s {@code tcp_proxy} has {@code statPrefix}. */
  public void tcpPrefix(String listener, String statPrefix) {
    tcpPrefixes.put(listener, statPrefix);
  }

  /** {@code 127.0.0.1_10000} or {@code [__]_15006}, as Envoy's listener scope; else the name. */
  public String listenerAddress(String listener) {
    return listenerAddresses.getOrDefault(listener, listener);
  }

  /** The connection manager's {@code stat_prefix}; the listener's name when not known. */
  public String httpPrefix(String listener) {
    return httpPrefixes.getOrDefault(listener, listener);
  }

  /** Whether the listener has a connection manager. */
  public boolean hasHttp(String listener) {
    return httpPrefixes.containsKey(listener);
  }

  /** The {@code tcp_proxy}'s {@code stat_prefix}, or null. */
  public String tcpPrefix(String listener) {
    return tcpPrefixes.get(listener);
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
