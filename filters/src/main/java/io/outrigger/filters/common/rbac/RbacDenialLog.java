package io.outrigger.filters.common.rbac;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs RBAC denials without flooding: every denial at DEBUG, and at most one INFO line per interval
 * (the first denial after a quiet interval, with how many were not logged at INFO since). A client
 * that is denied thousands of times a second costs one INFO line a minute. Safe from every event
 * loop at once.
 */
public final class RbacDenialLog {
  private static final Logger log = LoggerFactory.getLogger(RbacDenialLog.class);

  /** How often a denial may reach INFO. */
  static final long INFO_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String scope;
  private final LongSupplier nanoClock;
  private final AtomicLong nextInfo;
  private final AtomicLong suppressed = new AtomicLong();

  /**
   * @param scope names the filter in the log lines, e.g. {@code http ingress}
   * @param nanoClock monotonic nanoseconds
   */
  public RbacDenialLog(String scope, LongSupplier nanoClock) {
    this.scope = scope;
    this.nanoClock = nanoClock;
    this.nextInfo = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * @param principal the peer's name (URI SAN, DNS SAN or subject), or {@code -} without one
   * @param source the downstream's address
   * @return whether the line went out at INFO (tests)
   */
  public boolean denied(String principal, RbacDecision decision, Object source, String what) {
    if (log.isDebugEnabled()) {
      log.debug(
          "rbac {} denied {} from {} (principal {}, matched policy {})",
          scope,
          what,
          source,
          principal,
          decision.policyOrNone());
    }
    long now = nanoClock.getAsLong();
    long next = nextInfo.get();
    if (now - next < 0 || !nextInfo.compareAndSet(next, now + INFO_INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return false;
    }
    log.info(
        "rbac {} denied {} from {} (principal {}, matched policy {}); {} more denials since the"
            + " last such line (each is logged at DEBUG)",
        scope,
        what,
        source,
        principal,
        decision.policyOrNone(),
        suppressed.getAndSet(0));
    return true;
  }
}
