package io.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.proxy.stats.HealthCheckStats;
import io.outrigger.proxy.testkit.ManualScheduler;
import io.outrigger.proxy.upstream.HealthFlag;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import io.outrigger.proxy.upstream.health.HealthProbe.Result;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  /** A probe the test answers by hand. */
  private static final class ScriptedProbe implements HealthProbe {
    record Pending(Host host, Consumer<Result> done, boolean[] cancelled) {}

    final List<Pending> pending = new ArrayList<>();

    @Override
    public Scheduler.Cancellable probe(Host host, Consumer<Result> done) {
      boolean[] cancelled = {false};
      pending.add(new Pending(host, done, cancelled));
      return () -> cancelled[0] = true;
    }

    /** Answers the oldest open probe of {@code host}. */
    void answer(Host host, Result r) {
      for (Pending p : pending) {
        if (p.host() == host) {
          pending.remove(p);
          p.done().accept(r);
          return;
        }
      }
      throw new AssertionError("no probe in flight for " + host);
    }

    long inFlight(Host host) {
      return pending.stream().filter(p -> p.host() == host && !p.cancelled()[0]).count();
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler();
  private final ScriptedProbe probe = new ScriptedProbe();
  private final HealthCheckStats stats = new HealthCheckStats(new SimpleMeterRegistry(), "c");
  private final AtomicInteger healthChanges = new AtomicInteger();
  private final Host a = host(1);
  private final Host b = host(2);
  private boolean traffic = true;

  private static Host host(int n) {
    return new Host(new InetSocketAddress("10.0.0." + n, 80), "10.0.0." + n, 1);
  }

  private HealthChecker checker(HealthCheckConfig config) {
    return checker(config, 1);
  }

  private HealthChecker checker(HealthCheckConfig config, long seed) {
    HealthChecker c =
        new HealthChecker(
            config,
            scheduler,
            new SplittableRandom(seed),
            probe,
            stats,
            () -> traffic,
            healthChanges::incrementAndGet);
    c.onHostsChanged(List.of(a, b), List.of());
    return c;
  }

  /** A checker of host {@code a} alone. */
  private HealthChecker checkerOfA(HealthCheckConfig config) {
    HealthChecker c = checker(config);
    c.onHostsChanged(List.of(), List.of(b));
    return c;
  }

  private static HealthCheckConfig config(int unhealthyThreshold, int healthyThreshold) {
    return HealthCheckConfig.of(
        TIMEOUT,
        INTERVAL,
        unhealthyThreshold,
        healthyThreshold,
        HealthCheckConfig.HttpCheck.get("/health"));
  }

  private static boolean failing(Host h) {
    return h.healthFlag(HealthFlag.FAILED_ACTIVE_HC);
  }

  /** Lets the next check of {@code h} start (it is due within an interval) and answers it. */
  private void check(Host h, Result r) {
    if (probe.inFlight(h) == 0) {
      scheduler.advance(INTERVAL);
    }
    probe.answer(h, r);
  }

  @Test
  void hostsStartFailingAndOnePassMakesThemHealthy() {
    HealthChecker c = checker(config(3, 3));
    CompletableFuture<Void> first = c.firstRound().toCompletableFuture();

    assertThat(failing(a)).isTrue();
    assertThat(failing(b)).isTrue();
    assertThat(probe.inFlight(a)).isEqualTo(1);
    assertThat(stats.attempts()).isEqualTo(2);

    probe.answer(a, Result.PASS);
    assertThat(failing(a)).isFalse();
    assertThat(first).isNotDone();
    probe.answer(b, Result.NETWORK_FAIL);

    assertThat(failing(b)).isTrue();
    assertThat(first).isCompleted();
    assertThat(stats.healthy()).isEqualTo(1);
    assertThat(healthChanges.get()).isEqualTo(1);
  }

  @Test
  void healthyHostTurnsUnhealthyAfterUnhealthyThresholdNetworkFailures() {
    checkerOfA(config(3, 2));
    probe.answer(a, Result.PASS);

    check(a, Result.NETWORK_FAIL);
    check(a, Result.NETWORK_FAIL);
    assertThat(failing(a)).isFalse();
    check(a, Result.NETWORK_FAIL);

    assertThat(failing(a)).isTrue();
    assertThat(stats.networkFailures()).isEqualTo(3);
  }

  @Test
  void aPassInBetweenResetsTheFailureCount() {
    checker(config(2, 2));
    probe.answer(a, Result.PASS);

    check(a, Result.NETWORK_FAIL);
    check(a, Result.PASS);
    check(a, Result.NETWORK_FAIL);

    assertThat(failing(a)).isFalse();
  }

  @Test
  void anUnexpectedStatusFailsAHostAtOnceButARetriableOneCounts() {
    checker(config(3, 1));
    probe.answer(a, Result.PASS);
    probe.answer(b, Result.PASS);

    check(a, Result.FAIL);
    check(b, Result.RETRIABLE_FAIL);

    assertThat(failing(a)).isTrue();
    assertThat(failing(b)).isFalse();
    assertThat(stats.failures()).isEqualTo(2);
    assertThat(stats.networkFailures()).isZero();
  }

  @Test
  void unhealthyHostNeedsHealthyThresholdPassesInARow() {
    checker(config(1, 3));
    probe.answer(a, Result.PASS);
    check(a, Result.FAIL);
    assertThat(failing(a)).isTrue();

    check(a, Result.PASS);
    check(a, Result.PASS);
    check(a, Result.NETWORK_FAIL);
    check(a, Result.PASS);
    check(a, Result.PASS);
    assertThat(failing(a)).isTrue();
    check(a, Result.PASS);

    assertThat(failing(a)).isFalse();
  }

  @Test
  void aCheckThatOutlivesItsTimeoutIsCancelledAndIsANetworkFailure() {
    checkerOfA(config(1, 1));
    probe.answer(a, Result.PASS);
    scheduler.advance(INTERVAL);
    assertThat(probe.inFlight(a)).isEqualTo(1);

    scheduler.advance(TIMEOUT);

    assertThat(probe.inFlight(a)).isZero();
    assertThat(failing(a)).isTrue();
    assertThat(stats.networkFailures()).isEqualTo(1);
  }

  @Test
  void intervalsFollowHealthPendingChangesAndTraffic() {
    HealthCheckConfig config =
        new HealthCheckConfig(
            TIMEOUT,
            INTERVAL,
            Duration.ZERO,
            Duration.ZERO,
            0,
            2,
            2,
            Duration.ofSeconds(60),
            Duration.ofSeconds(90),
            Duration.ofSeconds(7),
            Duration.ofSeconds(3),
            Duration.ofSeconds(2),
            HealthCheckConfig.HttpCheck.get("/h"));
    traffic = false;
    checker(config).onHostsChanged(List.of(), List.of(b));

    probe.answer(a, Result.PASS);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofSeconds(90)); // no traffic, healthy
    traffic = true;
    scheduler.advance(Duration.ofSeconds(90));
    probe.answer(a, Result.PASS);
    assertThat(scheduler.nextTimerIn()).isEqualTo(INTERVAL);
    scheduler.advance(INTERVAL);
    probe.answer(a, Result.NETWORK_FAIL);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofSeconds(3)); // unhealthy edge
    scheduler.advance(Duration.ofSeconds(3));
    probe.answer(a, Result.NETWORK_FAIL);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofSeconds(7)); // unhealthy
    scheduler.advance(Duration.ofSeconds(7));
    probe.answer(a, Result.PASS);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofSeconds(2)); // healthy edge
    traffic = false;
    scheduler.advance(Duration.ofSeconds(2));
    probe.answer(a, Result.NETWORK_FAIL);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofSeconds(60)); // no traffic
  }

  @Test
  void jitterIsDrawnFromTheInjectedRandom() {
    HealthCheckConfig config =
        new HealthCheckConfig(
            TIMEOUT,
            Duration.ofSeconds(10),
            Duration.ZERO,
            Duration.ofSeconds(1),
            10,
            1,
            1,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            HealthCheckConfig.HttpCheck.get("/h"));
    long seed = 99;
    checker(config, seed).onHostsChanged(List.of(), List.of(b));
    SplittableRandom same = new SplittableRandom(seed);

    probe.answer(a, Result.PASS);

    long expectedMs =
        10_000 + Math.floorMod(same.nextLong(), 1_000) + Math.floorMod(same.nextLong(), 1_000);
    assertThat(scheduler.nextTimerIn()).isEqualTo(Duration.ofMillis(expectedMs));
    assertThat(expectedMs).isGreaterThan(10_000);
  }

  @Test
  void initialJitterDelaysTheFirstCheck() {
    HealthCheckConfig config =
        new HealthCheckConfig(
            Duration.ofSeconds(10),
            INTERVAL,
            Duration.ofSeconds(2),
            Duration.ZERO,
            0,
            1,
            1,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            INTERVAL,
            INTERVAL,
            INTERVAL,
            HealthCheckConfig.HttpCheck.get("/h"));
    checker(config);
    assertThat(probe.inFlight(a)).isZero();
    assertThat(stats.attempts()).isZero();

    scheduler.advance(Duration.ofSeconds(2));

    assertThat(probe.inFlight(a)).isEqualTo(1);
    assertThat(probe.inFlight(b)).isEqualTo(1);
  }

  @Test
  void aRemovedHostIsNoLongerCheckedAndNoLongerAwaited() {
    HealthChecker c = checker(config(1, 1));
    CompletableFuture<Void> first = c.firstRound().toCompletableFuture();
    probe.answer(a, Result.PASS);

    c.onHostsChanged(List.of(), List.of(b));

    assertThat(first).isCompleted();
    assertThat(probe.pending.stream().filter(p -> p.host() == b).allMatch(p -> p.cancelled()[0]))
        .isTrue();
    scheduler.advance(INTERVAL.multipliedBy(3));
    assertThat(probe.inFlight(b)).isZero();
  }

  @Test
  void listenersHearEveryCompletedCheck() {
    HealthChecker c = checker(config(1, 1));
    List<String> heard = new ArrayList<>();
    c.addCheckListener((h, passed) -> heard.add(h.addressString() + "=" + passed));

    probe.answer(a, Result.PASS);
    probe.answer(b, Result.FAIL);

    assertThat(heard).containsExactly("10.0.0.1:80=true", "10.0.0.2:80=false");
  }

  @Test
  void closeCancelsEverything() {
    HealthChecker c = checker(config(1, 1));

    c.close();

    assertThat(scheduler.pendingTimers()).isZero();
    assertThat(probe.pending).allMatch(p -> p.cancelled()[0]);
  }
}
