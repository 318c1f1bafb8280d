package io.outrigger.proxy.tracing;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Bounds and counts what the SDK's batch span processor holds. A sampled span that ends is handed
 * to the batch processor only while fewer than {@code capacity} spans are queued or being exported;
 * otherwise it is dropped and counted. The exporter below the batch processor is wrapped so that
 * each batch's outcome is counted (exported or failed) and frees its places.
 *
 * <p>{@link #onEnd} runs on event loops: it does one atomic increment and, when there is room, the
 * batch processor's non-blocking offer. Export runs on the batch processor's own thread.
 */
final class BoundedSpanProcessor implements SpanProcessor {
  private final SpanProcessor batch;
  private final int capacity;
  private final AtomicInteger held;
  private final Counter dropped;

  /**
   * @param batch the batch processor, built over {@link CountingExporter} sharing {@code held}
   * @param capacity at most this many spans queued or in export
   */
  BoundedSpanProcessor(SpanProcessor batch, int capacity, AtomicInteger held, Counter dropped) {
    this.batch = requireNonNull(batch, "batch");
    this.capacity = capacity;
    this.held = requireNonNull(held, "held");
    this.dropped = requireNonNull(dropped, "dropped");
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    if (held.incrementAndGet() > capacity) {
      held.decrementAndGet();
      dropped.increment();
      return;
    }
    batch.onEnd(span);
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    return batch.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return batch.forceFlush();
  }

  /**
   * The exporter under the batch processor: counts each batch and frees its places. After a failed
   * export it sends nothing for {@link #PAUSE_NANOS}: batches in that time are counted as failed at
   * once, so that a dead collector costs one attempt (and one encoding of a batch) per pause
   * instead of one per batch.
   */
  static final class CountingExporter implements SpanExporter {
    static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SpanExporter delegate;
    private final AtomicInteger held;
    private final Counter exported;
    private final Counter failed;
    private final LongSupplier nanoClock;
    private volatile long pausedUntil;
    private volatile boolean paused;

    CountingExporter(SpanExporter delegate, AtomicInteger held, Counter exported, Counter failed) {
      this(delegate, held, exported, failed, System::nanoTime);
    }

    /**
     * @param nanoClock monotonic nanoseconds, injected for tests
     */
    CountingExporter(
        SpanExporter delegate,
        AtomicInteger held,
        Counter exported,
        Counter failed,
        LongSupplier nanoClock) {
      this.delegate = requireNonNull(delegate, "delegate");
      this.held = held;
      this.exported = exported;
      this.failed = failed;
      this.nanoClock = nanoClock;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      int n = spans.size();
      if (paused && nanoClock.getAsLong() - pausedUntil < 0) {
        held.addAndGet(-n);
        failed.increment(n);
        return CompletableResultCode.ofFailure();
      }
      CompletableResultCode result;
      try {
        result = delegate.export(spans);
      } catch (RuntimeException e) {
        result = CompletableResultCode.ofFailure();
      }
      CompletableResultCode r = result;
      r.whenComplete(
          () -> {
            held.addAndGet(-n);
            if (r.isSuccess()) {
              paused = false;
              exported.increment(n);
            } else {
              pausedUntil = nanoClock.getAsLong() + PAUSE_NANOS;
              paused = true;
              failed.increment(n);
            }
          });
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
