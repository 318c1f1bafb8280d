package io.outrigger.proxy.transport;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * One deadline on one event loop whose timer is kept, not cancelled, when the deadline is cleared
 * or moved later: the timer fires, finds no deadline (or a later one) and stops (or sleeps until
 * it). A connection that serves request after request arms and clears its deadline per request
 * without scheduling or cancelling a task per request; the task fires about once per timeout period
 * instead. Netty cancels a scheduled task by removing it from the loop's priority queue, which is
 * what a per-request timer paid twice (schedule and cancel) before.
 *
 * <p>Used on its event loop only. {@link #close()} cancels the task, so that a closed connection is
 * not kept reachable until the timeout period ends. Time is the loop's own {@link Ticker} (a test's
 * frozen and advanced clock on an {@code EmbeddedChannel}).
 */
public final class LazyDeadline implements Runnable {
  private static final long NONE = Long.MIN_VALUE;

  private final EventExecutor loop;
  private final Ticker ticker;
  private final Runnable onExpiry;
  private long deadline = NONE;
  private long taskAt = NONE;
  private ScheduledFuture<?> task;

  /**
   * @param loop the event loop the deadline lives on
   * @param onExpiry runs on that loop when an armed deadline passes; the deadline is cleared first
   */
  public LazyDeadline(EventExecutor loop, Runnable onExpiry) {
    this.loop = requireNonNull(loop, "loop");
    this.ticker =
        loop instanceof AbstractScheduledEventExecutor scheduled
            ? scheduled.ticker()
            : Ticker.systemTicker();
    this.onExpiry = requireNonNull(onExpiry, "onExpiry");
  }

  /** Arms the deadline {@code delayNanos} from now, replacing the one armed before. */
  public void arm(long delayNanos) {
    long deadlineNanos = ticker.nanoTime() + Math.max(0, delayNanos);
    deadline = deadlineNanos;
    if (task != null && taskAt - deadlineNanos <= 0) {
      return; // fires at or before the deadline, sees it and sleeps until it
    }
    if (task != null) {
      task.cancel(false); // would fire too late
    }
    schedule(deadlineNanos);
  }

  /**
   * Arms the deadline {@code delayNanos} from now, unless the one armed before is sooner: for a
   * deadline that several parties share, each arming it for its own next (see {@code
   * Http2StreamTimer}).
   */
  public void armWithin(long delayNanos) {
    long deadlineNanos = ticker.nanoTime() + Math.max(0, delayNanos);
    if (deadline == NONE || deadlineNanos - deadline < 0) {
      arm(delayNanos);
    }
  }

  /** Clears the deadline; the task, if one is pending, stays and finds nothing when it fires. */
  public void clear() {
    deadline = NONE;
  }

  /** Whether a deadline is armed. */
  public boolean armed() {
    return deadline != NONE;
  }

  /** Clears the deadline and cancels the pending task: the connection is gone. */
  public void close() {
    deadline = NONE;
    if (task != null) {
      task.cancel(false);
      task = null;
      taskAt = NONE;
    }
  }

  @Override
  public void run() {
    task = null;
    taskAt = NONE;
    if (deadline == NONE) {
      return;
    }
    if (ticker.nanoTime() - deadline < 0) {
      schedule(deadline);
      return;
    }
    deadline = NONE;
    onExpiry.run();
  }

  private void schedule(long at) {
    taskAt = at;
    task = loop.schedule(this, Math.max(0, at - ticker.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
