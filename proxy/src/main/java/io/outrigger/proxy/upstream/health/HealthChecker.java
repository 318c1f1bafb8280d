package io.outrigger.proxy.upstream.health;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.proxy.stats.HealthCheckStats;
import io.outrigger.proxy.upstream.HealthFlag;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A cluster's active health checking (Envoy's {@code HealthCheckerImplBase}): one session per host
 * that probes it on a timer and keeps its {@link HealthFlag#FAILED_ACTIVE_HC} flag.
 *
 * <p>Envoy's state machine, step by step:
 *
 * <ul>
 *   <li>A new host is flagged failing before any pick can see it, and is checked at once (or after
 *       a random {@code initial_jitter}). Its first pass makes it healthy; no threshold applies.
 *   <li>A healthy host turns unhealthy after {@code unhealthy_threshold} failures in a row, or at
 *       once when the host answers a status that is neither expected nor retriable.
 *   <li>An unhealthy host turns healthy after {@code healthy_threshold} passes in a row.
 *   <li>A check that takes longer than {@code timeout} is cancelled and is a network failure.
 *   <li>The next check follows after {@code interval}; for an unhealthy host {@code
 *       unhealthy_interval}; while a change is pending the edge intervals; while the cluster has
 *       never carried traffic {@code no_traffic_interval} (or {@code no_traffic_healthy_interval}
 *       for a healthy host). Then {@code interval_jitter_percent} and {@code interval_jitter} add a
 *       random part, in milliseconds, as in Envoy.
 * </ul>
 *
 * <p>Everything runs on the {@link Scheduler}'s thread; probes never block it.
 */
public final class HealthChecker implements AutoCloseable {
  /** Told after each completed check; on the scheduler's thread. */
  @FunctionalInterface
  public interface CheckListener {
    void onCheckComplete(Host host, boolean passed);
  }

  private enum Transition {
    UNCHANGED,
    CHANGED,
    CHANGE_PENDING
  }

  private final HealthCheckConfig config;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final HealthProbe probe;
  private final HealthCheckStats stats;
  private final BooleanSupplier carriedTraffic;
  private final Runnable onHealthChanged;
  private final Map<Host, Session> sessions = new IdentityHashMap<>();
  private final List<CheckListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> firstRoundWaiters = new ArrayList<>();
  private int awaitingFirstCheck;
  private boolean closed;

  /**
   * @param random jitter draws; used only on the scheduler's thread
   * @param carriedTraffic whether the cluster has carried traffic (chooses the no-traffic intervals
   *     while it has not)
   * @param onHealthChanged told after a host turned healthy or unhealthy
   */
  public HealthChecker(
      HealthCheckConfig config,
      Scheduler scheduler,
      RandomGenerator random,
      HealthProbe probe,
      HealthCheckStats stats,
      BooleanSupplier carriedTraffic,
      Runnable onHealthChanged) {
    this.config = requireNonNull(config, "config");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.random = requireNonNull(random, "random");
    this.probe = requireNonNull(probe, "probe");
    this.stats = requireNonNull(stats, "stats");
    this.carriedTraffic = requireNonNull(carriedTraffic, "carriedTraffic");
    this.onHealthChanged = requireNonNull(onHealthChanged, "onHealthChanged");
  }

  /**
   * Follows the cluster's membership: a Cluster {@code HostSetListener}. New hosts are flagged
   * failing here, on the caller's thread, so that no pick sees them before their first pass; their
   * sessions start on the scheduler's thread.
   */
  public void onHostsChanged(List<Host> added, List<Host> removed) {
    added.forEach(h -> h.setHealthFlag(HealthFlag.FAILED_ACTIVE_HC));
    scheduler.runInLoop(
        () -> {
          if (closed) {
            return;
          }
          for (Host h : added) {
            if (!sessions.containsKey(h)) {
              Session s = new Session(h);
              sessions.put(h, s);
              awaitingFirstCheck++;
              s.start();
            }
          }
          for (Host h : removed) {
            Session s = sessions.remove(h);
            if (s != null) {
              s.close();
            }
          }
          updateHealthyGauge();
          completeFirstRoundIfDone();
        });
  }

  /**
   * Completes once every host has had its first check (or left the cluster): what cluster
   * initialization waits for, as in Envoy.
   */
  public CompletionStage<Void> firstRound() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    scheduler.runInLoop(
        () -> {
          firstRoundWaiters.add(f);
          completeFirstRoundIfDone();
        });
    return f;
  }

  public void addCheckListener(CheckListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  private void completeFirstRoundIfDone() {
    if (awaitingFirstCheck == 0 || closed) {
      firstRoundWaiters.forEach(w -> w.complete(null));
      firstRoundWaiters.clear();
    }
  }

  private void updateHealthyGauge() {
    long healthy = 0;
    for (Host h : sessions.keySet()) {
      if (!h.healthFlag(HealthFlag.FAILED_ACTIVE_HC)) {
        healthy++;
      }
    }
    stats.healthy(healthy);
  }

  /**
   * Envoy's {@code HealthCheckerImplBase::interval}, in nanoseconds.
   *
   * @param healthy whether the check that just completed passed
   */
  private long nextInterval(boolean healthy, Transition transition) {
    long baseMs;
    if (carriedTraffic.getAsBoolean()) {
      if (!healthy) {
        baseMs =
            transition == Transition.CHANGE_PENDING
                ? config.unhealthyEdgeInterval().toMillis()
                : config.unhealthyInterval().toMillis();
      } else {
        baseMs =
            transition == Transition.CHANGE_PENDING
                ? config.healthyEdgeInterval().toMillis()
                : config.interval().toMillis();
      }
    } else {
      baseMs =
          healthy && transition != Transition.CHANGE_PENDING
              ? config.noTrafficHealthyInterval().toMillis()
              : config.noTrafficInterval().toMillis();
    }
    return withJitter(baseMs, config.intervalJitter().toMillis());
  }

  private long withJitter(long baseMs, long jitterMs) {
    long ms = baseMs;
    long percentMod = config.intervalJitterPercent() * baseMs / 100;
    if (percentMod > 0) {
      ms += Math.floorMod(random.nextLong(), percentMod);
    }
    if (jitterMs > 0) {
      ms += Math.floorMod(random.nextLong(), jitterMs);
    }
    return TimeUnit.MILLISECONDS.toNanos(Math.max(1, ms));
  }

  @Override
  public void close() {
    scheduler.runInLoop(
        () -> {
          closed = true;
          sessions.values().forEach(Session::close);
          sessions.clear();
          completeFirstRoundIfDone();
        });
  }

  /** The checks of one host. Scheduler thread only. */
  private final class Session {
    private final Host host;
    private int numHealthy;
    private int numUnhealthy;
    private boolean firstCheck = true;
    private boolean closed;
    private boolean awaiting;
    private int attempt;
    private Scheduler.Cancellable intervalTimer;
    private Scheduler.Cancellable timeoutTimer;
    private Scheduler.Cancellable inFlight;

    Session(Host host) {
      this.host = host;
    }

    void start() {
      long jitterMs = config.initialJitter().toMillis();
      if (jitterMs == 0) {
        onInterval();
      } else {
        intervalTimer = scheduler.schedule(this::onInterval, withJitter(0, jitterMs));
      }
    }

    private void onInterval() {
      if (closed) {
        return;
      }
      int id = ++attempt;
      awaiting = true;
      stats.attempt();
      timeoutTimer = scheduler.schedule(() -> onTimeout(id), config.timeout().toNanos());
      inFlight = probe.probe(host, result -> onResult(id, result));
    }

    private void onTimeout(int id) {
      if (closed || id != attempt || !awaiting) {
        return;
      }
      awaiting = false;
      if (inFlight != null) {
        inFlight.cancel();
      }
      handleFailure(true, true);
    }

    private void onResult(int id, HealthProbe.Result result) {
      if (closed || id != attempt || !awaiting) {
        return;
      }
      awaiting = false;
      timeoutTimer.cancel();
      switch (result) {
        case PASS -> handleSuccess();
        case FAIL -> handleFailure(false, false);
        case RETRIABLE_FAIL -> handleFailure(false, true);
        case NETWORK_FAIL -> handleFailure(true, true);
      }
    }

    private void handleSuccess() {
      numUnhealthy = 0;
      Transition t = Transition.UNCHANGED;
      if (host.healthFlag(HealthFlag.FAILED_ACTIVE_HC)) {
        // The very first pass makes a host healthy at once: faster start-up, as in Envoy.
        if (firstCheck || ++numHealthy == config.healthyThreshold()) {
          host.clearHealthFlag(HealthFlag.FAILED_ACTIVE_HC);
          t = Transition.CHANGED;
        } else {
          t = Transition.CHANGE_PENDING;
        }
      }
      stats.success();
      completed(t, true);
    }

    /**
     * @param network no answer (connect failure, reset, timeout)
     * @param countsTowardThreshold false for a wrong answer, which fails the host at once
     */
    private void handleFailure(boolean network, boolean countsTowardThreshold) {
      numHealthy = 0;
      Transition t = Transition.UNCHANGED;
      if (!host.healthFlag(HealthFlag.FAILED_ACTIVE_HC)) {
        if (!countsTowardThreshold || ++numUnhealthy == config.unhealthyThreshold()) {
          host.setHealthFlag(HealthFlag.FAILED_ACTIVE_HC);
          t = Transition.CHANGED;
        } else {
          t = Transition.CHANGE_PENDING;
        }
      }
      stats.failure(network);
      completed(t, false);
    }

    private void completed(Transition t, boolean passed) {
      if (firstCheck) {
        firstCheck = false;
        awaitingFirstCheck--;
      }
      if (t == Transition.CHANGED) {
        updateHealthyGauge();
        onHealthChanged.run();
      }
      for (CheckListener l : listeners) {
        l.onCheckComplete(host, passed);
      }
      completeFirstRoundIfDone();
      if (!closed) {
        // As in Envoy, the interval follows this check's result, not the host's state.
        intervalTimer = scheduler.schedule(this::onInterval, nextInterval(passed, t));
      }
    }

    void close() {
      closed = true;
      if (firstCheck) {
        firstCheck = false;
        awaitingFirstCheck--;
      }
      for (Scheduler.Cancellable c : new Scheduler.Cancellable[] {intervalTimer, timeoutTimer}) {
        if (c != null) {
          c.cancel();
        }
      }
      if (awaiting && inFlight != null) {
        inFlight.cancel();
      }
    }
  }
}
