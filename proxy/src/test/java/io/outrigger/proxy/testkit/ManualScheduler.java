package io.outrigger.proxy.testkit;

import io.outrigger.proxy.upstream.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A {@link Scheduler} on a manual clock, for single-threaded unit tests: nothing runs until the
 * test calls {@link #runPending()} or {@link #advance(Duration)}. The caller is always "in the
 * loop", so work that the code under test would run in place runs in place.
 */
public final class ManualScheduler implements Scheduler {
  private record Timed(long due, long seq, Runnable task, boolean[] cancelled)
      implements Comparable<Timed> {
    @Override
    public int compareTo(Timed o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timed> timers = new PriorityQueue<>();
  private final Queue<Runnable> queue = new ArrayDeque<>();
  private long now = 1_000_000_000L;
  private long seq;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    boolean[] cancelled = {false};
    timers.add(new Timed(now + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  @Override
  public boolean inLoop() {
    return true;
  }

  @Override
  public void execute(Runnable command) {
    queue.add(command);
  }

  /** Runs everything submitted with {@link #execute} (and what that submits). */
  public void runPending() {
    Runnable r;
    while ((r = queue.poll()) != null) {
      r.run();
    }
  }

  /** Moves the clock forward, running submitted tasks and every timer that falls due, in order. */
  public void advance(Duration d) {
    long target = now + d.toNanos();
    runPending();
    while (!timers.isEmpty() && timers.peek().due() <= target) {
      Timed t = timers.poll();
      now = Math.max(now, t.due());
      if (!t.cancelled()[0]) {
        t.task().run();
      }
      runPending();
    }
    now = target;
  }

  /** Timers scheduled and not yet run or cancelled. */
  public long pendingTimers() {
    return timers.stream().filter(t -> !t.cancelled()[0]).count();
  }

  /** The delay until the next live timer, or null when none. */
  public Duration nextTimerIn() {
    return timers.stream()
        .filter(t -> !t.cancelled()[0])
        .min(java.util.Comparator.naturalOrder())
        .map(t -> Duration.ofNanos(t.due() - now))
        .orElse(null);
  }
}
