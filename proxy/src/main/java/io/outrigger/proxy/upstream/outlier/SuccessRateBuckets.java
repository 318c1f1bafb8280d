package io.outrigger.proxy.upstream.outlier;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests and successes of one host over the current interval and the one before; Envoy's {@code
 * SuccessRateAccumulator}. The data path counts into the current bucket from any event loop; the
 * detector swaps buckets on each interval tick and reads the one that just ended.
 *
 * <p>A count that races with the swap may land in the ended bucket; like Envoy, the detector
 * accepts that imprecision rather than lock the data path.
 */
final class SuccessRateBuckets {
  private static final class Bucket {
    final AtomicLong total = new AtomicLong();
    final AtomicLong success = new AtomicLong();

    void reset() {
      total.set(0);
      success.set(0);
    }
  }

  private volatile Bucket current = new Bucket();
  private Bucket ended = new Bucket();

  /** Counts one request; any thread, no allocation. */
  void record(boolean success) {
    Bucket b = current;
    b.total.incrementAndGet();
    if (success) {
      b.success.incrementAndGet();
    }
  }

  /** Ends the interval: the current bucket becomes the one read. Detector thread only. */
  void swap() {
    Bucket fresh = ended;
    fresh.reset();
    ended = current;
    current = fresh;
  }

  /** Requests in the interval that ended; detector thread only. */
  long volume() {
    return ended.total.get();
  }

  /** The success rate (0..100) of the interval that ended; meaningful when volume() > 0. */
  double successRate() {
    long total = ended.total.get();
    return total == 0 ? -1 : ended.success.get() * 100.0 / total;
  }
}
