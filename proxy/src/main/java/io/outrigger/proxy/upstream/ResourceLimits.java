package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.outrigger.api.model.ResourceLimitsConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster's admission limits (Envoy's circuit breakers): connections, pending requests, requests
 * and retries in flight, counted over every host and event loop of this sidecar.
 *
 * <p>Each {@code tryAcquire*} either takes a slot and returns true, or takes nothing and returns
 * false; the caller gives a taken slot back exactly once with the matching {@code release*}. All
 * methods are lock-free and may be called from any event loop. {@link #overflowReason} names the
 * rule that fired, for the local reply body and the access log.
 */
public final class ResourceLimits {
  /** The four limited resources, named as in Envoy's config. */
  public enum Resource {
    CONNECTIONS("max_connections", "cx_open", "remaining_cx"),
    PENDING_REQUESTS("max_pending_requests", "rq_pending_open", "remaining_pending"),
    REQUESTS("max_requests", "rq_open", "remaining_rq"),
    RETRIES("max_retries", "rq_retry_open", "remaining_retries");

    private final String field;
    private final String openGauge;
    private final String remainingGauge;

    Resource(String field, String openGauge, String remainingGauge) {
      this.field = field;
      this.openGauge = "circuit_breakers_" + openGauge;
      this.remainingGauge = "circuit_breakers_" + remainingGauge;
    }

    /** The config field that limits it. */
    public String field() {
      return field;
    }
  }

  private final String cluster;
  private final ResourceLimitsConfig config;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();

  public ResourceLimits(String cluster, ResourceLimitsConfig config) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.config = requireNonNull(config, "config");
  }

  public ResourceLimitsConfig config() {
    return config;
  }

  public boolean tryAcquireConnection() {
    return tryAcquire(connections, config.maxConnections());
  }

  /**
   * Takes a connection slot even over the limit. Pools do this when they have no connection at all:
   * their waiting requests could otherwise wait forever for connections that other event loops'
   * pools hold (Envoy does the same).
   */
  public void forceAcquireConnection() {
    connections.incrementAndGet();
  }

  public void releaseConnection() {
    connections.decrementAndGet();
  }

  public boolean tryAcquirePending() {
    return tryAcquire(pending, config.maxPendingRequests());
  }

  public void releasePending() {
    pending.decrementAndGet();
  }

  public boolean tryAcquireRequest() {
    return tryAcquire(requests, config.maxRequests());
  }

  public void releaseRequest() {
    requests.decrementAndGet();
  }

  /**
   * A retry may start: under {@code max_retries}, or under the retry budget when one is set (a
   * share of the requests active and pending, but at least {@code min_retry_concurrency}).
   */
  public boolean tryAcquireRetry() {
    return tryAcquire(retries, maxRetries());
  }

  public void releaseRetry() {
    retries.decrementAndGet();
  }

  /** The current retry limit: {@code max_retries}, or what the budget allows right now. */
  public int maxRetries() {
    if (config.retryBudget().isEmpty()) {
      return config.maxRetries();
    }
    ResourceLimitsConfig.RetryBudget b = config.retryBudget().get();
    double share = b.budgetPercent() / 100.0 * (requests.get() + pending.get());
    return Math.max(b.minRetryConcurrency(), (int) share);
  }

  /** The limit of a resource as it stands now. */
  public int max(Resource r) {
    return switch (r) {
      case CONNECTIONS -> config.maxConnections();
      case PENDING_REQUESTS -> config.maxPendingRequests();
      case REQUESTS -> config.maxRequests();
      case RETRIES -> maxRetries();
    };
  }

  /** How many of a resource are taken now. */
  public int inUse(Resource r) {
    return counter(r).get();
  }

  /**
   * The local reply body for an overflow, e.g. {@code upstream overflow: cluster kv
   * max_requests=100}.
   */
  public String overflowReason(Resource r) {
    String limit =
        r == Resource.RETRIES && config.retryBudget().isPresent()
            ? "retry_budget budget_percent="
                + config.retryBudget().get().budgetPercent()
                + " min_retry_concurrency="
                + config.retryBudget().get().minRetryConcurrency()
            : r.field() + "=" + max(r);
    return "upstream overflow: cluster " + cluster + " " + limit;
  }

  /**
   * Registers Envoy's {@code circuit_breakers.default} gauges: {@code circuit_breakers_cx_open} and
   * its siblings (1 while at the limit), and the {@code circuit_breakers_remaining_*} gauges when
   * {@code track_remaining} is set.
   */
  public void registerGauges(MeterRegistry registry) {
    // A cluster replaced by a new version: its gauges must read the new limits, not the old.
    removeGauges(registry);
    for (Resource r : Resource.values()) {
      Gauge.builder(r.openGauge, this, l -> l.inUse(r) >= l.max(r) ? 1 : 0)
          .description("1 while the cluster is at its " + r.field)
          .tag("cluster", cluster)
          .strongReference(true)
          .register(registry);
      if (config.trackRemaining()) {
        Gauge.builder(r.remainingGauge, this, l -> Math.max(0, l.max(r) - l.inUse(r)))
            .description("How far the cluster is from its " + r.field)
            .tag("cluster", cluster)
            .strongReference(true)
            .register(registry);
      }
    }
  }

  /**
   * Removes the gauges {@link #registerGauges} registered under this cluster's name, whichever
   * version of the cluster registered them. By id: a search ({@code registry.find}) reads every
   * meter of the registry, which made a bootstrap or an update of N clusters cost N² meter reads.
   */
  public void removeGauges(MeterRegistry registry) {
    Tags tags = Tags.of("cluster", cluster);
    for (Resource r : Resource.values()) {
      registry.removeByPreFilterId(new Meter.Id(r.openGauge, tags, null, null, Meter.Type.GAUGE));
      registry.removeByPreFilterId(
          new Meter.Id(r.remainingGauge, tags, null, null, Meter.Type.GAUGE));
    }
  }

  private AtomicInteger counter(Resource r) {
    return switch (r) {
      case CONNECTIONS -> connections;
      case PENDING_REQUESTS -> pending;
      case REQUESTS -> requests;
      case RETRIES -> retries;
    };
  }

  private static boolean tryAcquire(AtomicInteger counter, int max) {
    while (true) {
      int n = counter.get();
      if (n >= max) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
