package io.outrigger.api.model;

import java.time.Duration;

/**
 * The load-balancing policy of a cluster with its settings: Envoy's {@code lb_policy} together with
 * the matching {@code *_lb_config}, defaults filled.
 *
 * <p>One variant per {@link LbPolicy}, so that a setting can only exist for the policy it belongs
 * to. Messages of the compact constructors start with the proto field name, as the translator
 * expects.
 */
public sealed interface LbConfig
    permits LbConfig.RoundRobin,
        LbConfig.LeastRequest,
        LbConfig.Random,
        LbConfig.RingHash,
        LbConfig.Maglev,
        LbConfig.OriginalDst {

  /** The policy this configures. */
  LbPolicy policy();

  /** {@code policy} with Envoy's defaults for its settings. */
  static LbConfig defaults(LbPolicy policy) {
    return switch (policy) {
      case ROUND_ROBIN -> RoundRobin.INSTANCE;
      case LEAST_REQUEST -> LeastRequest.DEFAULT;
      case RANDOM -> Random.INSTANCE;
      case RING_HASH -> RingHash.DEFAULT;
      case MAGLEV -> Maglev.DEFAULT;
      case CLUSTER_PROVIDED -> OriginalDst.DEFAULT;
    };
  }

  /** {@code ROUND_ROBIN}; it has no settings here ({@code round_robin_lb_config} is refused). */
  record RoundRobin() implements LbConfig {
    public static final RoundRobin INSTANCE = new RoundRobin();

    @Override
    public LbPolicy policy() {
      return LbPolicy.ROUND_ROBIN;
    }
  }

  /**
   * {@code LEAST_REQUEST} with {@code least_request_lb_config}.
   *
   * @param choiceCount how many random hosts are compared when all weights are equal; default 2, at
   *     least 2
   * @param activeRequestBias with unequal weights, a host's effective weight is {@code weight /
   *     (active_requests + 1) ^ bias}; default 1.0, at least 0 (0 ignores active requests)
   */
  record LeastRequest(int choiceCount, double activeRequestBias) implements LbConfig {
    public static final int DEFAULT_CHOICE_COUNT = 2;
    public static final double DEFAULT_ACTIVE_REQUEST_BIAS = 1.0;
    public static final LeastRequest DEFAULT =
        new LeastRequest(DEFAULT_CHOICE_COUNT, DEFAULT_ACTIVE_REQUEST_BIAS);

    public LeastRequest {
      if (choiceCount < 2) {
        throw new IllegalArgumentException("choice_count: " + choiceCount + " (expected: >= 2)");
      }
      if (!(activeRequestBias >= 0) || Double.isInfinite(activeRequestBias)) {
        throw new IllegalArgumentException(
            "active_request_bias: " + activeRequestBias + " (expected: a finite number >= 0)");
      }
    }

    @Override
    public LbPolicy policy() {
      return LbPolicy.LEAST_REQUEST;
    }
  }

  /** {@code RANDOM}; it has no settings. */
  record Random() implements LbConfig {
    public static final Random INSTANCE = new Random();

    @Override
    public LbPolicy policy() {
      return LbPolicy.RANDOM;
    }
  }

  /**
   * {@code RING_HASH} with {@code ring_hash_lb_config}.
   *
   * @param minimumRingSize the fewest ring entries; default 1024, 1..8388608
   * @param maximumRingSize the most ring entries; default 8388608 (8M), minimumRingSize..8388608
   */
  record RingHash(long minimumRingSize, long maximumRingSize) implements LbConfig {
    public static final long DEFAULT_MINIMUM_RING_SIZE = 1024;
    public static final long MAX_RING_SIZE = 8L * 1024 * 1024;
    public static final RingHash DEFAULT = new RingHash(DEFAULT_MINIMUM_RING_SIZE, MAX_RING_SIZE);

    public RingHash {
      if (minimumRingSize < 1 || minimumRingSize > MAX_RING_SIZE) {
        throw new IllegalArgumentException(
            "minimum_ring_size: " + minimumRingSize + " (expected: 1.." + MAX_RING_SIZE + ")");
      }
      if (maximumRingSize < 1 || maximumRingSize > MAX_RING_SIZE) {
        throw new IllegalArgumentException(
            "maximum_ring_size: " + maximumRingSize + " (expected: 1.." + MAX_RING_SIZE + ")");
      }
      if (minimumRingSize > maximumRingSize) {
        throw new IllegalArgumentException(
            "minimum_ring_size: "
                + minimumRingSize
                + " (expected: <= maximum_ring_size "
                + maximumRingSize
                + ")");
      }
    }

    @Override
    public LbPolicy policy() {
      return LbPolicy.RING_HASH;
    }
  }

  /**
   * {@code MAGLEV} with {@code maglev_lb_config}.
   *
   * @param tableSize the lookup table's size; default 65537, a prime number at most 5000011
   */
  record Maglev(long tableSize) implements LbConfig {
    public static final long DEFAULT_TABLE_SIZE = 65537;
    public static final long MAX_TABLE_SIZE = 5000011;
    public static final Maglev DEFAULT = new Maglev(DEFAULT_TABLE_SIZE);

    public Maglev {
      if (tableSize > MAX_TABLE_SIZE || !isPrime(tableSize)) {
        throw new IllegalArgumentException(
            "table_size: " + tableSize + " (expected: a prime number <= " + MAX_TABLE_SIZE + ")");
      }
    }

    @Override
    public LbPolicy policy() {
      return LbPolicy.MAGLEV;
    }

    // Trial division is enough below MAX_TABLE_SIZE (at most ~1100 odd divisors).
    private static boolean isPrime(long n) {
      if (n < 2) {
        return false;
      }
      if (n % 2 == 0) {
        return n == 2;
      }
      for (long d = 3; d * d <= n; d += 2) {
        if (n % d == 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code CLUSTER_PROVIDED}, the policy of an {@code ORIGINAL_DST} cluster: the host is the
   * connection's original destination. Carries the cluster's {@code cleanup_interval} and {@code
   * original_dst_lb_config}, which mean something only for this policy.
   *
   * @param cleanupInterval {@code cleanup_interval}: a host not used for this long is removed and
   *     its connection pools drained; Envoy's default is 5 s; > 0
   * @param useHttpHeader {@code original_dst_lb_config.use_http_header}: for HTTP, the destination
   *     is the request's {@code httpHeaderName} header ({@code ip:port}) when present; default
   *     false, the downstream connection's original destination
   * @param httpHeaderName {@code original_dst_lb_config.http_header_name}; default {@code
   *     x-envoy-original-dst-host}, lower case
   */
  record OriginalDst(Duration cleanupInterval, boolean useHttpHeader, String httpHeaderName)
      implements LbConfig {
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofSeconds(5);
    public static final String DEFAULT_HTTP_HEADER_NAME = "x-envoy-original-dst-host";
    public static final OriginalDst DEFAULT =
        new OriginalDst(DEFAULT_CLEANUP_INTERVAL, false, DEFAULT_HTTP_HEADER_NAME);

    public OriginalDst {
      java.util.Objects.requireNonNull(cleanupInterval, "cleanupInterval");
      httpHeaderName =
          java.util.Objects.requireNonNull(httpHeaderName, "httpHeaderName")
              .toLowerCase(java.util.Locale.ROOT);
      if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
        throw new IllegalArgumentException(
            "cleanup_interval: " + cleanupInterval + " (expected: > 0s)");
      }
      if (httpHeaderName.isEmpty()) {
        throw new IllegalArgumentException("http_header_name: empty (expected: a header name)");
      }
    }

    @Override
    public LbPolicy policy() {
      return LbPolicy.CLUSTER_PROVIDED;
    }
  }
}
