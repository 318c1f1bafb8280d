package io.outrigger.proxy.overload;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.DoubleSupplier;

/**
 * {@code envoy.resource_monitors.fixed_heap} on the JVM: the larger of the Java heap in use over
 * the configured budget and Netty's direct memory in use (request and response bodies) over the
 * JVM's direct memory limit, from 0 up (past 1 when over budget).
 *
 * <p>The heap figure is what the heap holds now, garbage included, as Elasticsearch's real-memory
 * circuit breaker reads it: a trigger close to 1 can fire just before a collection would have freed
 * room, so thresholds of 0.95 and up belong with a budget at or below {@code -Xmx}. Called on the
 * overload manager's timer thread.
 */
final class MemoryPressure implements DoubleSupplier {
  private final long heapBudget;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  MemoryPressure(long heapBudget) {
    this.heapBudget = heapBudget;
  }

  @Override
  public double getAsDouble() {
    double heap = (double) memory.getHeapMemoryUsage().getUsed() / heapBudget;
    return Math.max(heap, directPressure());
  }

  private static double directPressure() {
    long max = PlatformDependent.maxDirectMemory();
    if (max <= 0 || !(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p)) {
      return 0;
    }
    return (double) p.metric().usedDirectMemory() / max;
  }
}
