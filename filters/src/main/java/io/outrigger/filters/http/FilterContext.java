package io.outrigger.filters.http;

import static java.util.Objects.requireNonNull;

import io.outrigger.filters.stats.FilterMeters;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * What the connection manager gives every HTTP filter factory of one snapshot.
 *
 * @param statPrefix the connection manager's {@code stat_prefix}, the scope of filter statistics
 *     that have none of their own (the fault filter's)
 * @param meters where statistics go
 * @param random draws percentages; must be safe to use from every event loop at once; seeded in
 *     tests
 * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}); a manual clock in
 *     tests
 */
public record FilterContext(
    String statPrefix, FilterMeters meters, RandomGenerator random, LongSupplier nanoClock) {
  public FilterContext {
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(meters, "meters");
    requireNonNull(random, "random");
    requireNonNull(nanoClock, "nanoClock");
  }
}
