package io.outrigger.proxy.upstream.outlier;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.OutlierDetectionConfig;
import io.outrigger.proxy.stats.OutlierDetectionStats;
import io.outrigger.proxy.upstream.HealthFlag;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A cluster's outlier detection (Envoy's {@code DetectorImpl}): decides which hosts to eject and
 * when to bring them back, from what each host's {@link HostOutlierMonitor} counted.
 *
 * <p>All its state lives on one {@link Scheduler} thread. Consecutive-error ejections arrive from
 * the data path as soon as a counter reaches its threshold; every {@code interval} a sweep brings
 * back hosts whose ejection time is over, ends the success-rate interval, runs success-rate and
 * failure-percentage detection (external, then local origin), and lets the ejection back-off of
 * hosts that stayed in shrink by one. An ejected host carries {@link
 * HealthFlag#FAILED_OUTLIER_CHECK}; the cluster is told to recompute its healthy snapshot.
 *
 * <p>Envoy's rules, kept as they are:
 *
 * <ul>
 *   <li>An outlier is ejected only if {@code 100 * (ejected + 1) / hosts <= max_ejection_percent};
 *       otherwise {@code ejections_overflow} counts it. With the default 10 % a cluster of fewer
 *       than ten hosts therefore never ejects, unless {@code always_eject_one_host} lets the first
 *       ejection through.
 *   <li>Then the type's {@code enforcing_*} percentage is drawn from the injected random; a host
 *       that loses the draw is counted as detected, not ejected.
 *   <li>Ejection time is {@code min(base_ejection_time * backoff, max_ejection_time) + jitter},
 *       where the back-off grows by one with each ejection (while {@code backoff * base < max +
 *       base}) and shrinks by one on each sweep at least an interval after the host came back.
 * </ul>
 */
public final class OutlierDetector implements AutoCloseable {
  private final OutlierDetectionConfig config;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final OutlierDetectionStats stats;
  private final Runnable onHealthChanged;
  private final Map<Host, HostOutlierMonitor> monitors = new IdentityHashMap<>();
  private final SuccessRateDetection successRates;
  private int ejected;
  private Scheduler.Cancellable timer;
  private boolean closed;

  /**
   * @param scheduler the thread and clock everything runs on
   * @param random draws enforcement and jitter; used only on the scheduler's thread
   * @param onHealthChanged told (on the scheduler's thread) after hosts were ejected or came back
   */
  public OutlierDetector(
      OutlierDetectionConfig config,
      Scheduler scheduler,
      RandomGenerator random,
      OutlierDetectionStats stats,
      Runnable onHealthChanged) {
    this.config = requireNonNull(config, "config");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.random = requireNonNull(random, "random");
    this.stats = requireNonNull(stats, "stats");
    this.onHealthChanged = requireNonNull(onHealthChanged, "onHealthChanged");
    this.successRates = new SuccessRateDetection(config);
  }

  /** Monitors {@code hosts} and arms the interval timer. */
  public void start(List<Host> hosts) {
    scheduler.runInLoop(
        () -> {
          hosts.forEach(this::addHost);
          armTimer();
        });
  }

  /** Follows the cluster's membership: a Cluster {@code HostSetListener}. */
  public void onHostsChanged(List<Host> added, List<Host> removed) {
    scheduler.runInLoop(
        () -> {
          added.forEach(this::addHost);
          for (Host h : removed) {
            HostOutlierMonitor m = monitors.remove(h);
            if (m != null && h.healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)) {
              ejected--;
              stats.ejectionsActive(ejected);
            }
          }
        });
  }

  /**
   * An active health check of {@code host} completed: with {@code
   * successful_active_health_check_uneject_host} (the default), a pass brings an ejected host back
   * at once, as in Envoy. Called on the scheduler's thread.
   */
  public void onHostCheckComplete(Host host, boolean passed) {
    if (!config.successfulActiveHealthCheckUnejectHost() || !passed) {
      return;
    }
    HostOutlierMonitor m = monitors.get(host);
    if (m != null
        && host.healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)
        && !host.healthFlag(HealthFlag.FAILED_ACTIVE_HC)) {
      uneject(m, scheduler.nanoTime());
      onHealthChanged.run();
    }
  }

  /** Hosts ejected now; on the scheduler's thread. */
  public int ejectedHosts() {
    return ejected;
  }

  private void addHost(Host host) {
    if (!monitors.containsKey(host)) {
      HostOutlierMonitor m = new HostOutlierMonitor(host, config, this);
      monitors.put(host, m);
      host.outlierMonitor(m);
    }
  }

  private void armTimer() {
    if (!closed) {
      timer = scheduler.schedule(this::onIntervalTimer, config.interval().toNanos());
    }
  }

  /** From the data path, any thread: a consecutive counter reached its threshold. */
  void onConsecutiveError(HostOutlierMonitor monitor, EjectionType type) {
    scheduler.execute(() -> consecutiveError(monitor, type));
  }

  private void consecutiveError(HostOutlierMonitor m, EjectionType type) {
    Host host = m.host();
    if (closed || monitors.get(host) != m || host.healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)) {
      return;
    }
    stats.ejectionDetected(type.label());
    boolean changed = eject(m, type);
    // Reset so that a new bout is detected even without a success in between, as Envoy does.
    m.resetConsecutive(type);
    if (changed) {
      onHealthChanged.run();
    }
  }

  /** Ejects {@code m}'s host if max_ejection_percent and enforcement allow; true if it did. */
  private boolean eject(HostOutlierMonitor m, EjectionType type) {
    if (m.host().healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)) {
      return false;
    }
    double ejectedPercent = 100.0 * (ejected + 1) / monitors.size();
    boolean allowed =
        ejectedPercent <= config.maxEjectionPercent()
            || (config.alwaysEjectOneHost() && ejected == 0);
    if (!allowed) {
      stats.ejectionOverflow();
      return false;
    }
    if (!enforced(type)) {
      return false;
    }
    ejected++;
    stats.ejectionsActive(ejected);
    stats.ejectionEnforced(type.label());
    m.host().setHealthFlag(HealthFlag.FAILED_OUTLIER_CHECK);
    m.numEjections++;
    m.lastEjectionNanos = scheduler.nanoTime();
    long jitterMs = config.maxEjectionTimeJitter().toMillis();
    m.jitterNanos = jitterMs == 0 ? 0 : Math.floorMod(random.nextLong(), jitterMs + 1) * 1_000_000;
    long base = config.baseEjectionTime().toNanos();
    if ((long) m.ejectTimeBackoff * base < config.maxEjectionTime().toNanos() + base) {
      m.ejectTimeBackoff++;
    }
    return true;
  }

  private boolean enforced(EjectionType type) {
    int percent =
        switch (type) {
          case CONSECUTIVE_5XX -> config.enforcingConsecutive5xx();
          case CONSECUTIVE_GATEWAY_FAILURE -> config.enforcingConsecutiveGatewayFailure();
          case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> config.enforcingConsecutiveLocalOriginFailure();
          case SUCCESS_RATE -> config.enforcingSuccessRate();
          case SUCCESS_RATE_LOCAL_ORIGIN -> config.enforcingLocalOriginSuccessRate();
          case FAILURE_PERCENTAGE -> config.enforcingFailurePercentage();
          case FAILURE_PERCENTAGE_LOCAL_ORIGIN -> config.enforcingFailurePercentageLocalOrigin();
        };
    if (percent >= 100) {
      return true;
    }
    return percent > 0 && random.nextInt(100) < percent;
  }

  private void uneject(HostOutlierMonitor m, long now) {
    ejected--;
    stats.ejectionsActive(ejected);
    m.host().clearHealthFlag(HealthFlag.FAILED_OUTLIER_CHECK);
    // A counter left near its threshold would re-eject the host after very few errors.
    m.resetAllConsecutive();
    m.lastUnejectionNanos = now;
    m.unejectedOnce = true;
  }

  /** The sweep, every {@code interval}. */
  void onIntervalTimer() {
    if (closed) {
      return;
    }
    long now = scheduler.nanoTime();
    boolean changed = false;
    List<HostOutlierMonitor> all = new ArrayList<>(monitors.values());
    for (HostOutlierMonitor m : all) {
      changed |= unejectIfTimeIsUp(m, now);
      m.external.swap();
      m.localOrigin.swap();
      m.successRate = -1;
      m.localOriginSuccessRate = -1;
    }
    for (SuccessRateDetection.Outlier o : successRates.find(all, false)) {
      changed |= detectedOnSweep(o);
    }
    for (SuccessRateDetection.Outlier o : successRates.find(all, true)) {
      changed |= detectedOnSweep(o);
    }
    long interval = config.interval().toNanos();
    for (HostOutlierMonitor m : all) {
      if (!m.host().healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)
          && m.unejectedOnce
          && now - m.lastUnejectionNanos >= interval
          && m.ejectTimeBackoff > 0) {
        m.ejectTimeBackoff--;
      }
    }
    if (changed) {
      onHealthChanged.run();
    }
    armTimer();
  }

  private boolean detectedOnSweep(SuccessRateDetection.Outlier o) {
    stats.ejectionDetected(o.type().label());
    return eject(o.monitor(), o.type());
  }

  private boolean unejectIfTimeIsUp(HostOutlierMonitor m, long now) {
    if (!m.host().healthFlag(HealthFlag.FAILED_OUTLIER_CHECK)) {
      return false;
    }
    long base = config.baseEjectionTime().toNanos();
    long max = config.maxEjectionTime().toNanos();
    long ejectionTime = Math.min(multiplyCapped(base, m.ejectTimeBackoff), max) + m.jitterNanos;
    if (ejectionTime <= now - m.lastEjectionNanos) {
      uneject(m, now);
      return true;
    }
    return false;
  }

  private static long multiplyCapped(long a, int b) {
    long r = a * b;
    return b != 0 && r / b != a ? Long.MAX_VALUE : r;
  }

  @Override
  public void close() {
    scheduler.runInLoop(
        () -> {
          closed = true;
          if (timer != null) {
            timer.cancel();
          }
        });
  }
}
