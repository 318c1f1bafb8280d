package io.outrigger.proxy.upstream.health;

import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.util.function.Consumer;

/**
 * One check of one host: what {@code http_health_check} or {@code tcp_health_check} does. The
 * {@link HealthChecker} decides when to probe and what a result means for the host; a probe only
 * finds out.
 *
 * <p>Called on the health checker's {@link Scheduler} thread; must not block it. The result is
 * delivered once, on that same thread, unless the probe was cancelled (the checker's timeout).
 */
@FunctionalInterface
public interface HealthProbe {
  /** What one probe found. */
  enum Result {
    /** The check passed. */
    PASS,
    /** The host answered, wrongly (an unexpected status): it is unhealthy at once. */
    FAIL,
    /** The host answered a retriable status: a failure that counts toward the threshold. */
    RETRIABLE_FAIL,
    /** No answer: connect failure, reset, closed connection. Counts toward the threshold. */
    NETWORK_FAIL
  }

  /**
   * Starts a check of {@code host}.
   *
   * @param done receives the result once, on the scheduler's thread
   * @return cancels the check (closes its connection); {@code done} is then not called
   */
  Scheduler.Cancellable probe(Host host, Consumer<Result> done);
}
