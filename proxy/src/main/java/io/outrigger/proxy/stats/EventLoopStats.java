package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * {@code server_event_loop_pending_tasks{group}}: the tasks queued on a group's event loops and not
 * yet run, summed over its loops and read at scrape time. A queue that only grows is a loop that
 * cannot keep up, or something that submits work and never lets it finish; the soak ({@code
 * perf/soak}) watches it stay flat. Loops that do not tell their queue length count 0.
 */
public final class EventLoopStats {
  private EventLoopStats() {}

  /** Registers the gauge of {@code loops}, labelled {@code group}. */
  public static void bind(MeterRegistry registry, EventExecutorGroup loops, String group) {
    Gauge.builder("server_event_loop_pending_tasks", loops, EventLoopStats::pendingTasks)
        .description("Tasks queued on the group's event loops and not yet run")
        .tag("group", group)
        .strongReference(true)
        .register(registry);
  }

  /** The tasks queued on every loop of {@code loops}. */
  static double pendingTasks(EventExecutorGroup loops) {
    long pending = 0;
    for (EventExecutor loop : loops) {
      if (loop instanceof SingleThreadEventExecutor single) {
        pending += single.pendingTasks();
      }
    }
    return pending;
  }
}
