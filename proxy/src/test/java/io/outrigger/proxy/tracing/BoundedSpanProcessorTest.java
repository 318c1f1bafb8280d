package io.outrigger.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedSpanProcessorTest {
  /** An exporter whose results the test completes. */
  static final class HeldExporter implements SpanExporter {
    final List<CompletableResultCode> pending = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode r = new CompletableResultCode();
      pending.add(r);
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void dropsAndCountsWhatDoesNotFitThenCountsEachExportOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TracingStats stats = TracingStats.create(registry, "svc");
    AtomicInteger held = new AtomicInteger();
    HeldExporter exporter = new HeldExporter();
    var counting =
        new BoundedSpanProcessor.CountingExporter(exporter, held, stats.exported(), stats.failed());
    // The simple processor exports each span at once: the held exporter keeps them "in export".
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                new BoundedSpanProcessor(
                    SimpleSpanProcessor.create(counting), 2, held, stats.dropped()))
            .build();
    Tracer tracer = provider.get("t");

    for (int i = 0; i < 5; i++) {
      tracer.spanBuilder("s" + i).startSpan().end();
    }
    assertThat(exporter.pending).hasSize(2);
    assertThat(stats.dropped().count()).isEqualTo(3.0);

    exporter.pending.get(1).fail();
    exporter.pending.get(0).succeed(); // a success after the failure: no pause
    assertThat(held.get()).isZero();
    assertThat(stats.exported().count()).isEqualTo(1.0);
    assertThat(stats.failed().count()).isEqualTo(1.0);

    tracer.spanBuilder("after").startSpan().end(); // room again
    assertThat(exporter.pending).hasSize(3);
    assertThat(stats.dropped().count()).isEqualTo(3.0);
    provider.shutdown();
  }

  @Test
  void afterAFailedExportBatchesAreCountedAsFailedWithoutBeingSentForOneSecond() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TracingStats stats = TracingStats.create(registry, "svc");
    AtomicInteger held = new AtomicInteger();
    long[] now = {0};
    HeldExporter exporter = new HeldExporter();
    var counting =
        new BoundedSpanProcessor.CountingExporter(
            exporter, held, stats.exported(), stats.failed(), () -> now[0]);
    List<SpanData> batch = List.of(); // sizes do not matter for the pause

    counting.export(batch);
    exporter.pending.get(0).fail();
    now[0] += TimeUnit.MILLISECONDS.toNanos(999);
    assertThat(counting.export(batch).isSuccess()).isFalse();
    assertThat(exporter.pending).hasSize(1); // not sent

    now[0] += TimeUnit.MILLISECONDS.toNanos(1);
    counting.export(batch);
    assertThat(exporter.pending).hasSize(2); // the pause is over: sent again
    exporter.pending.get(1).succeed();
    counting.export(batch);
    assertThat(exporter.pending).hasSize(3); // a success lifts the pause
  }
}
