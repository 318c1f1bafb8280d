package io.outrigger.lab.nemesis;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.StopSignal;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies and heals faults on a fixed schedule: one healthy interval, then a fault for one
 * interval, a heal for one interval, and so on until the deadline; the last fault is healed at the
 * deadline at the latest, and a final heal is always sent. After each change it polls {@code GET
 * /v1/faults} until every node has ACKed the new version (bounded by {@code applyTimeout}), and it
 * records each fault as a {@link FaultWindow} from the moment the fault was requested to the moment
 * its heal was in force, with how long the fault and its heal took to be ACKed.
 *
 * <p>Runs on the thread that calls {@link #run}; the control plane's refusals are logged and kept
 * in {@link #errors()} rather than ending the run, so a lab run always heals. A {@link StopSignal}
 * ends the schedule early: a fault in force is healed, then the final heal is sent, and only then
 * does {@link #run} return.
 *
 * <p>The faults go through the control plane by node name, so any store whose nodes sit behind
 * sidecars of that control plane can be partitioned, whatever the store is; {@code isolate-leader}
 * additionally asks the store who leads through a {@link LeaderLookup}.
 */
public final class Nemesis {
  private static final Logger log = LoggerFactory.getLogger(Nemesis.class);
  private static final long POLL_NANOS = 50_000_000;
  private static final long STOP_CHECK_NANOS = 50_000_000;

  private final ControlPlaneClient controlPlane;
  private final NemesisKind kind;
  private final List<String> nodes;
  private final RandomGenerator random;
  private final HistoryRecorder recorder;
  private final Sleeper sleeper;
  private final long intervalNanos;
  private final long applyTimeoutNanos;
  private final StopSignal stop;
  private final LeaderLookup leader;
  private final List<String> errors = new ArrayList<>();
  private volatile long healedAtNanos = -1;

  /** A nemesis that runs to its deadline and knows no leader. */
  public Nemesis(
      ControlPlaneClient controlPlane,
      NemesisKind kind,
      List<String> nodes,
      RandomGenerator random,
      HistoryRecorder recorder,
      Sleeper sleeper,
      Duration interval,
      Duration applyTimeout) {
    this(
        controlPlane,
        kind,
        nodes,
        random,
        recorder,
        sleeper,
        interval,
        applyTimeout,
        StopSignal.never(),
        LeaderLookup.none());
  }

  /**
   * @param controlPlane the fault API; may be null only for {@link NemesisKind#NONE}
   * @param applyTimeout how long to poll for every node's ACK of a change
   * @param stop ends the schedule early (after healing)
   * @param leader who leads, for {@link NemesisKind#ISOLATE_LEADER}
   */
  public Nemesis(
      ControlPlaneClient controlPlane,
      NemesisKind kind,
      List<String> nodes,
      RandomGenerator random,
      HistoryRecorder recorder,
      Sleeper sleeper,
      Duration interval,
      Duration applyTimeout,
      StopSignal stop,
      LeaderLookup leader) {
    this.stop = requireNonNull(stop, "stop");
    this.leader = requireNonNull(leader, "leader");
    this.controlPlane =
        kind == NemesisKind.NONE ? controlPlane : requireNonNull(controlPlane, "controlPlane");
    this.kind = requireNonNull(kind, "kind");
    this.nodes = nodes.stream().sorted().toList();
    this.random = requireNonNull(random, "random");
    this.recorder = requireNonNull(recorder, "recorder");
    this.sleeper = requireNonNull(sleeper, "sleeper");
    this.intervalNanos = interval.toNanos();
    this.applyTimeoutNanos = applyTimeout.toNanos();
    if (this.nodes.size() < 2 && kind != NemesisKind.NONE) {
      throw new IllegalArgumentException("nodes: %s (expected: at least 2)".formatted(nodes));
    }
  }

  /**
   * Runs the schedule until {@code deadlineNanos} (run-relative) or the stop signal, then heals.
   * Blocks.
   */
  public void run(long deadlineNanos) throws InterruptedException {
    long next = intervalNanos;
    while (next < deadlineNanos && kind != NemesisKind.NONE) {
      sleepUntil(next);
      if (stop.requested()) {
        break;
      }
      long healAt = Math.min(next + intervalNanos, deadlineNanos);
      Optional<Fault> fault = kind.next(nodes, random, leader);
      if (fault.isPresent()) {
        hold(fault.get(), healAt);
      } else {
        error(
            "no leader known at %d ms: no fault this interval"
                .formatted(recorder.now() / 1_000_000));
      }
      next = healAt + intervalNanos;
    }
    sleepUntil(deadlineNanos);
    if (kind != NemesisKind.NONE) {
      change("heal", controlPlane::heal);
    }
    healedAtNanos = recorder.now();
  }

  private void hold(Fault fault, long healAtNanos) throws InterruptedException {
    long start = recorder.now();
    long applyMillis = change(fault.description(), () -> controlPlane.apply(fault));
    sleepUntil(healAtNanos);
    long healMillis = change("heal", controlPlane::heal);
    long end = recorder.now();
    recorder.record(
        new FaultWindow(
            start, end, fault.description(), fault.sides(nodes), applyMillis, healMillis));
  }

  /** Sends one change and waits for it to be in force; returns the milliseconds or -1. */
  private long change(String what, java.util.function.Supplier<ControlPlaneClient.FaultState> send)
      throws InterruptedException {
    long start = recorder.now();
    try {
      ControlPlaneClient.FaultState sent = send.get();
      return awaitApplied(sent.version(), start);
    } catch (NemesisException e) {
      error(what + ": " + e.getMessage());
      return -1;
    }
  }

  private long awaitApplied(long version, long startNanos) throws InterruptedException {
    while (recorder.now() - startNanos < applyTimeoutNanos) {
      ControlPlaneClient.FaultState state = controlPlane.state();
      if (state.version() >= version && state.appliedOn(nodes)) {
        return (recorder.now() - startNanos) / 1_000_000;
      }
      sleeper.sleepNanos(POLL_NANOS);
    }
    error(
        "version %d not applied on every node within %d ms"
            .formatted(version, applyTimeoutNanos / 1_000_000));
    return -1;
  }

  private void error(String msg) {
    log.warn("nemesis: {}", msg);
    synchronized (errors) {
      errors.add(msg);
    }
  }

  /** Sleeps until the target or the stop signal, whichever is first. */
  private void sleepUntil(long targetNanos) throws InterruptedException {
    long left;
    while ((left = targetNanos - recorder.now()) > 0 && !stop.requested()) {
      sleeper.sleepNanos(Math.min(left, STOP_CHECK_NANOS));
    }
  }

  /** When the final heal was in force (run-relative nanos); -1 before {@link #run} returns. */
  public long healedAtNanos() {
    return healedAtNanos;
  }

  /** What the control plane refused or failed to apply in time, in order. */
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
