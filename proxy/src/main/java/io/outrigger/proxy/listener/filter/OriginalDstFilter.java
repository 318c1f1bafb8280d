package io.outrigger.proxy.listener.filter;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.stats.ListenerFilterStats;
import java.net.InetSocketAddress;

/**
 * {@code envoy.filters.listener.original_dst}: restores the destination an iptables {@code
 * REDIRECT} replaced, so that filter-chain matching, {@code use_original_dst} and {@code
 * ORIGINAL_DST} clusters see where the client meant to go.
 *
 * <p>A connection whose original destination is the listener's own address was not redirected
 * (conntrack knows every connection, NAT or not): nothing is restored, as in Envoy. One whose
 * original destination cannot be read at all (no conntrack entry, or a JVM that cannot read the
 * socket's options, see {@code RawSocketOptions}) is closed and counted in {@code
 * original_dst.read_error}; Envoy would let it through unrestored, but a sidecar that cannot tell
 * where a redirected connection was going must not guess.
 */
public final class OriginalDstFilter implements ListenerFilter {
  private final OriginalDestinationReader reader;
  private final ListenerFilterStats stats;

  public OriginalDstFilter(OriginalDestinationReader reader, ListenerFilterStats stats) {
    this.reader = requireNonNull(reader, "reader");
    this.stats = requireNonNull(stats, "stats");
  }

  @Override
  public Status onAccept(Channel ch, ConnectionFacts facts) {
    InetSocketAddress original = reader.read(ch);
    if (original == null) {
      stats.originalDstReadError.increment();
      return Status.CLOSE;
    }
    if (original.equals(facts.localAddress())) {
      stats.originalDstNotRedirected.increment();
      return Status.CONTINUE;
    }
    facts.originalDestination(original);
    stats.originalDstRestored.increment();
    return Status.CONTINUE;
  }
}
