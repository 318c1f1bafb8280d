package io.outrigger.proxy.upstream;

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
