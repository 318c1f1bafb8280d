package io.outrigger.filters.http.partition;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The partition filter for one stream: finds the rule for the request's peer (the filter's {@code
 * peer}, else its authority's host) and applies it once, on the request headers.
 *
 * <p>{@code drop} (and the dropped share of {@code lose}) holds the stream: the chain stops and is
 * never continued, nothing is retained, and the stream ends when the downstream gives up (its
 * timeout, a reset, a close) or the connection manager's own timeouts fire. {@code delay} resumes
 * the chain from a timer on the stream's event loop, cancelled if the stream ends first.
 */
final class PartitionFilter implements HttpFilter {
  /** The header of a refusal's local reply, naming the action. */
  static final String HEADER = "x-outrigger-partition";

  static final String REFUSED_DETAILS = "partition_refused";
  static final String REFUSED_BODY = "partition: peer unreachable";

  private final PartitionFilterConfig filterConfig;
  private final PartitionStats stats;
  private final RandomGenerator random;
  private ScheduledFuture<?> delayTimer;
  private boolean held;
  private boolean complete;

  PartitionFilter(PartitionFilterConfig config, PartitionStats stats, RandomGenerator random) {
    this.filterConfig = config;
    this.stats = stats;
    this.random = random;
  }

  @Override
  public FilterStatus onRequestHeaders(
      HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
    PartitionFilterConfig config =
        callbacks
            .perRouteConfig(filterConfig.name(), PartitionFilterConfig.class)
            .orElse(filterConfig);
    if (config.rules().isEmpty()) {
      return FilterStatus.CONTINUE;
    }
    String peer = filterConfig.peer().orElseGet(() -> peerOf(request));
    return config.rule(peer).map(rule -> apply(rule, callbacks)).orElse(FilterStatus.CONTINUE);
  }

  private FilterStatus apply(PartitionRule rule, HttpFilterCallbacks callbacks) {
    switch (rule.action()) {
      case DROP -> hold(rule, callbacks);
      case REFUSE -> refuse(rule, callbacks);
      case RESET -> {
        stats.acted(rule.action(), rule.peer());
        callbacks.setResponseFlag(ResponseFlag.FI);
        callbacks.resetStream();
      }
      case DELAY -> {
        stats.acted(rule.action(), rule.peer());
        callbacks.setResponseFlag(ResponseFlag.DI);
        delayTimer =
            callbacks
                .executor()
                .schedule(
                    () -> afterDelay(callbacks), rule.delay().toNanos(), TimeUnit.NANOSECONDS);
      }
      case LOSE -> {
        if (random.nextDouble() >= rule.fraction()) {
          stats.lostPassed(rule.peer());
          return FilterStatus.CONTINUE;
        }
        hold(rule, callbacks);
      }
    }
    return FilterStatus.STOP_ITERATION;
  }

  private void hold(PartitionRule rule, HttpFilterCallbacks callbacks) {
    stats.acted(rule.action(), rule.peer());
    callbacks.setResponseFlag(ResponseFlag.FI);
    held = true;
    stats.held.incrementAndGet();
  }

  private void refuse(PartitionRule rule, HttpFilterCallbacks callbacks) {
    stats.acted(rule.action(), rule.peer());
    // A local reply, not a TCP reset: the downstream connection carries requests to every peer,
    // and only this peer is unreachable.
    callbacks.sendLocalReply(
        503,
        REFUSED_BODY,
        REFUSED_DETAILS,
        ResponseFlag.FI,
        OptionalInt.empty(),
        headers -> headers.set(HEADER, "refuse"));
  }

  private void afterDelay(HttpFilterCallbacks callbacks) {
    delayTimer = null;
    if (!complete) {
      callbacks.continueRequest();
    }
  }

  /** The authority's host without port, lower-cased; empty when the request has none. */
  static String peerOf(HttpRequest request) {
    String authority = request.headers().get(HttpHeaderNames.HOST, "");
    String host = authority;
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      host = end > 0 ? authority.substring(0, end + 1) : authority;
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0 && authority.indexOf(':') == colon) {
        host = authority.substring(0, colon);
      }
    }
    return host.toLowerCase(Locale.ROOT);
  }

  @Override
  public void onComplete(StreamInfo info) {
    complete = true;
    if (delayTimer != null) {
      delayTimer.cancel(false);
      delayTimer = null;
    }
    if (held) {
      held = false;
      stats.held.decrementAndGet();
    }
  }
}
