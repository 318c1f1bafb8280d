package io.outrigger.proxy.upstream;

import java.net.InetSocketAddress;

/**
 * What a load balancer may know about the connection or request it picks a host for.
 *
 * <p>Built by the caller on the event loop, per pick; hash-based balancers (ring hash, Maglev) read
 * {@link #hashKey()}, the others ignore it.
 */
public interface LbContext {
  /** A context with no hash: hash-based balancers fall back to a random pick. */
  LbContext NONE = new LbContext() {};

  /**
   * Whether {@link #hashKey()} carries a hash computed from the route's {@code hash_policy}; when
   * false, hash-based balancers pick at random.
   */
  default boolean hasHash() {
    return false;
  }

  /** The request's hash; meaningful only when {@link #hasHash()}. */
  default long hashKey() {
    return 0;
  }

  /**
   * Where the connection was going before iptables redirected it (or where the request's {@code
   * x-envoy-original-dst-host} says): the host an {@code ORIGINAL_DST} cluster picks; {@code null}
   * when unknown.
   */
  default InetSocketAddress originalDestination() {
    return null;
  }

  /** A context carrying an original destination, for {@code ORIGINAL_DST} clusters. */
  static LbContext ofOriginalDestination(InetSocketAddress destination) {
    return destination == null
        ? NONE
        : new LbContext() {
          @Override
          public InetSocketAddress originalDestination() {
            return destination;
          }
        };
  }

  /** A context carrying {@code hash}. */
  static LbContext ofHash(long hash) {
    return new LbContext() {
      @Override
      public boolean hasHash() {
        return true;
      }

      @Override
      public long hashKey() {
        return hash;
      }
    };
  }
}
