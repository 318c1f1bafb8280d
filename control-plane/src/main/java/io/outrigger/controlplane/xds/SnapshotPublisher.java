package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.MakeBeforeBreak;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each node group's snapshot into java-control-plane's cache, make-before-break: the
 * steps of {@link MakeBeforeBreak} one after the other, each once every proxy of the group answered
 * the one before (an ACK or a NACK) or {@code ackTimeout} passed, so that one stuck proxy delays
 * its group by at most that much. A new target while steps remain replaces them, starting from what
 * was published last.
 *
 * <p>All state lives on one thread, {@code outrigger-cp-publisher}; {@link #publish} and {@link
 * #nudge} only hand work to it.
 */
public final class SnapshotPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
  private static final long RECHECK_MILLIS = 10;

  private final SimpleCache<String> cache;
  private final SyncTracker tracker;
  private final Clock clock;
  private final Duration ackTimeout;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "outrigger-cp-publisher");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, GroupState> groups = new HashMap<>();

  /** One group's progress; touched only on the publisher's thread. */
  private static final class GroupState {
    GroupSnapshot current;
    Instant publishedAt = Instant.MIN;
    List<GroupSnapshot> steps = new ArrayList<>();
    boolean recheckScheduled;
  }

  public SnapshotPublisher(
      SimpleCache<String> cache, SyncTracker tracker, Clock clock, Duration ackTimeout) {
    this.cache = requireNonNull(cache, "cache");
    this.tracker = requireNonNull(tracker, "tracker");
    this.clock = requireNonNull(clock, "clock");
    this.ackTimeout = requireNonNull(ackTimeout, "ackTimeout");
    tracker.onAnswer(this::nudge);
  }

  /** Makes {@code targets} what each group converges to. Returns at once. */
  public void publish(Map<String, GroupSnapshot> targets) {
    Map<String, GroupSnapshot> copy = Map.copyOf(targets);
    executor.execute(
        () ->
            copy.forEach(
                (group, target) -> {
                  GroupState state = groups.computeIfAbsent(group, g -> new GroupState());
                  state.steps = new ArrayList<>(MakeBeforeBreak.steps(state.current, target));
                  drive(group, state);
                }));
  }

  /** Checks again whether waiting groups may take their next step (after an ACK or NACK). */
  public void nudge() {
    if (!executor.isShutdown()) {
      executor.execute(() -> groups.forEach(this::drive));
    }
  }

  private void drive(String group, GroupState state) {
    while (!state.steps.isEmpty()) {
      if (state.current != null && !mayStep(group, state)) {
        if (!state.recheckScheduled) {
          state.recheckScheduled = true;
          executor.schedule(
              () -> {
                state.recheckScheduled = false;
                drive(group, state);
              },
              RECHECK_MILLIS,
              TimeUnit.MILLISECONDS);
        }
        return;
      }
      GroupSnapshot next = state.steps.remove(0);
      tracker.published(group, next);
      cache.setSnapshot(group, next.toSnapshot());
      state.current = next;
      state.publishedAt = clock.instant();
      log.info("group {}: published {}", group, next);
    }
  }

  private boolean mayStep(String group, GroupState state) {
    if (tracker.answered(group, state.current)) {
      return true;
    }
    boolean timedOut = !clock.instant().isBefore(state.publishedAt.plus(ackTimeout));
    if (timedOut) {
      log.warn(
          "group {}: not every proxy answered {} within {}; taking the next step",
          group,
          state.current,
          ackTimeout);
    }
    return timedOut;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
