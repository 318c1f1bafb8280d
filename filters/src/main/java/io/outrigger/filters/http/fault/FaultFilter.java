package io.outrigger.filters.http.fault;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Envoy's fault filter for one stream: selects the request (route's cluster, downstream node,
 * headers), then delays it, aborts it, or both (the abort after the delay), as {@code
 * fault_filter.cc} does.
 *
 * <p>A delay stops the chain and schedules the resumption on the stream's event loop; the timer is
 * cancelled if the stream ends first. One stream counts as at most one active fault.
 */
final class FaultFilter implements HttpFilter {
  /** The local reply's body and its response code details, as Envoy writes them. */
  static final String ABORT_BODY = "fault filter abort";

  static final String ABORT_DETAILS = "fault_filter_abort";

  private final String name;
  private final FaultSettings filterSettings;
  private final FaultStats stats;
  private final RandomGenerator random;
  private FaultSettings settings;
  private ScheduledFuture<?> delayTimer;
  private boolean faultActive;
  private boolean complete;

  FaultFilter(String name, FaultSettings settings, FaultStats stats, RandomGenerator random) {
    this.name = name;
    this.filterSettings = settings;
    this.stats = stats;
    this.random = random;
  }

  @Override
  public FilterStatus onRequestHeaders(
      HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
    settings = callbacks.perRouteConfig(name, FaultSettings.class).orElse(filterSettings);
    if (!matchesUpstreamCluster(callbacks)
        || !settings.matchesDownstreamNodes(request)
        || !settings.matchesHeaders(request)) {
      return FilterStatus.CONTINUE;
    }
    OptionalLong delay = delayMillis(request);
    if (delay.isPresent() && tryIncActiveFaults()) {
      stats.delaysInjected.increment();
      callbacks.setResponseFlag(ResponseFlag.DI);
      delayTimer =
          callbacks
              .executor()
              .schedule(
                  () -> afterDelay(request, callbacks), delay.getAsLong(), TimeUnit.MILLISECONDS);
      return FilterStatus.STOP_ITERATION;
    }
    return maybeAbort(request, callbacks) ? FilterStatus.STOP_ITERATION : FilterStatus.CONTINUE;
  }

  private void afterDelay(HttpRequest request, HttpFilterCallbacks callbacks) {
    delayTimer = null;
    if (complete) {
      return;
    }
    if (!maybeAbort(request, callbacks)) {
      callbacks.continueRequest();
    }
  }

  private boolean matchesUpstreamCluster(HttpFilterCallbacks callbacks) {
    String wanted = settings.upstreamCluster();
    return wanted.isEmpty() || callbacks.routeCluster().filter(wanted::equals).isPresent();
  }

  /** Envoy's {@code delayDuration}: drawn first, then the duration, which must be above zero. */
  private OptionalLong delayMillis(HttpRequest request) {
    if (!settings.hasDelay() || !settings.delayPercentage(request).selects(random.nextLong())) {
      return OptionalLong.empty();
    }
    OptionalLong ms = settings.delayMillis(request);
    return ms.isPresent() && ms.getAsLong() > 0 ? ms : OptionalLong.empty();
  }

  private boolean maybeAbort(HttpRequest request, HttpFilterCallbacks callbacks) {
    if (!settings.hasAbort() || !settings.abortPercentage(request).selects(random.nextLong())) {
      return false;
    }
    FaultSettings.AbortStatus status = settings.abortStatus(request);
    if (status == null || !tryIncActiveFaults()) {
      return false;
    }
    stats.abortsInjected.increment();
    callbacks.sendLocalReply(
        status.httpStatus(),
        ABORT_BODY,
        ABORT_DETAILS,
        ResponseFlag.FI,
        status.grpcStatus(),
        headers -> {});
    return true;
  }

  /**
   * Envoy's {@code tryIncActiveFaults}: a stream already counted may inject its second fault;
   * otherwise the limit is checked (loosely, without compare-and-set, as Envoy does) and an
   * overflow is counted instead of a fault.
   */
  private boolean tryIncActiveFaults() {
    if (faultActive) {
      return true;
    }
    if (stats.activeFaults.get() >= settings.maxActiveFaults()) {
      stats.faultsOverflow.increment();
      return false;
    }
    stats.activeFaults.incrementAndGet();
    faultActive = true;
    return true;
  }

  @Override
  public void onComplete(StreamInfo info) {
    complete = true;
    if (delayTimer != null) {
      delayTimer.cancel(false);
      delayTimer = null;
    }
    if (faultActive) {
      stats.activeFaults.decrementAndGet();
      faultActive = false;
    }
  }
}
