package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Envoy's {@code server.*} gauges that dashboards read: {@code live}, {@code state}, {@code
 * uptime}, {@code memory_allocated}, {@code memory_heap_size}, {@code concurrency}.
 */
final class ServerStats {
  private ServerStats() {}

  /**
   * @param live whether the server is LIVE
   * @param state Envoy's state number: 0 LIVE, 1 DRAINING, 2 PRE_INITIALIZING, 3 INITIALIZING
   * @param concurrency the data path's event loops
   * @param nanoClock for the uptime, from the moment this is called
   */
  static void register(
      MeterRegistry registry,
      BooleanSupplier live,
      IntSupplier state,
      int concurrency,
      LongSupplier nanoClock) {
    long start = nanoClock.getAsLong();
    Runtime rt = Runtime.getRuntime();
    gauge(registry, "server_live", "1 while the server is LIVE", () -> live.getAsBoolean() ? 1 : 0);
    gauge(
        registry,
        "server_state",
        "0 LIVE, 1 DRAINING, 2 PRE_INITIALIZING, 3 INITIALIZING",
        state::getAsInt);
    gauge(
        registry,
        "server_uptime",
        "Seconds since the server started",
        () -> TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - start));
    gauge(
        registry,
        "server_memory_allocated",
        "Heap bytes in use",
        () -> rt.totalMemory() - rt.freeMemory());
    gauge(registry, "server_memory_heap_size", "Heap bytes reserved", rt::totalMemory);
    gauge(registry, "server_concurrency", "Event loops of the data path", () -> concurrency);
  }

  private static void gauge(
      MeterRegistry registry, String name, String help, java.util.function.DoubleSupplier value) {
    Gauge.builder(name, value, java.util.function.DoubleSupplier::getAsDouble)
        .description(help)
        .strongReference(true)
        .register(registry);
  }
}
