package io.outrigger.perf;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.function.IntSupplier;

/**
 * Runs a benchmark's operations on JMH's thread as a sidecar's event loop thread runs them: with
 * Netty's {@link FastThreadLocal} support, in batches of {@link #SIZE}.
 *
 * <p>Netty pools some of the objects it makes per write (a {@code ChannelOutboundBuffer} entry, for
 * one) in per-thread recyclers, and only on threads with that support: an event loop's thread has
 * it, JMH's does not, and on JMH's thread every such object is a new one. Measured on {@link
 * Http2StreamBenchmark}, those entries were about 250 of the 3,250 bytes per stream, and about 63
 * of {@link RequestPathBenchmark}'s 1,070 per request: bytes a sidecar does not allocate. Netty
 * lends the support to another thread only for the length of one call ({@link
 * FastThreadLocalThread#runWithFastThreadLocal}), which then drops the thread's pools, so each call
 * runs a batch; a benchmark method that uses this declares {@code @OperationsPerInvocation(SIZE)}.
 * What a batch costs of its own (the pools made again, a lambda) is a fraction of a byte per
 * operation.
 */
final class EventLoopBatch {
  /** The operations per call, and so per JMH invocation. */
  static final int SIZE = 10_000;

  private EventLoopBatch() {}

  /** Runs {@code operation} {@link #SIZE} times; returns the sum of what it returned. */
  static int run(IntSupplier operation) {
    int[] sum = new int[1];
    FastThreadLocalThread.runWithFastThreadLocal(
        () -> {
          int s = 0;
          for (int i = 0; i < SIZE; i++) {
            s += operation.getAsInt();
          }
          sum[0] = s;
        });
    return sum[0];
  }
}
