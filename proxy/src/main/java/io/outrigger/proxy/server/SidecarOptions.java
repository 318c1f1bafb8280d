package io.outrigger.proxy.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How to run the sidecar, from the command line rather than the bootstrap.
 *
 * @param concurrency event loops for the data path; default the number of cores
 * @param drainTime how long open connections may go on after SIGTERM before they are closed;
 *     default 5 s
 */
public record SidecarOptions(int concurrency, Duration drainTime) {
  public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(5);

  public SidecarOptions {
    requireNonNull(drainTime, "drainTime");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (drainTime.isNegative()) {
      throw new IllegalArgumentException("drainTime: " + drainTime + " (expected: >= 0)");
    }
  }

  public static SidecarOptions defaults() {
    return new SidecarOptions(Runtime.getRuntime().availableProcessors(), DEFAULT_DRAIN_TIME);
  }
}
