package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The single thread a cluster's control work runs on (outlier detection sweeps, health checks, DNS
 * refresh) with its clock: Envoy's main-thread dispatcher, narrowed to what that work needs so that
 * tests can drive it with a manual clock.
 *
 * <p>Everything submitted runs on one thread, in order; state touched only from there needs no
 * lock. In production it is one of the worker event loops ({@link #of(EventLoop)}), so that
 * health-check connections opened from it are served by the same loop and never block it.
 */
public interface Scheduler extends Executor {
  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off if it has not run yet; does nothing otherwise. */
    void cancel();
  }

  /** The clock of this scheduler, in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** Runs {@code task} on this scheduler's thread after {@code delayNanos} (0: soon). */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Whether the caller is on this scheduler's thread. */
  boolean inLoop();

  /** Runs {@code task} at once when on the scheduler's thread, otherwise submits it. */
  default void runInLoop(Runnable task) {
    if (inLoop()) {
      task.run();
    } else {
      execute(task);
    }
  }

  /** A scheduler on a Netty event loop, with {@link System#nanoTime()} as its clock. */
  static Scheduler of(EventLoop loop) {
    requireNonNull(loop, "loop");
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public boolean inLoop() {
        return loop.inEventLoop();
      }

      @Override
      public void execute(Runnable command) {
        loop.execute(command);
      }
    };
  }
}
