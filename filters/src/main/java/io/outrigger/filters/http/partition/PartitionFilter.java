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
import java.util.Optional;
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
 *
 * <p>A stream it let through follows the routes while it is open: the control plane delivers rules
 * as the routes' per-filter config over RDS, and a partition must also cut the streams already
 * under way (a watch, a long poll, a streaming response). When newer routes carry a rule for the
 * stream's peer, the stream is cut as a new one would be stopped: {@code drop} (and the lost share
 * of {@code lose}) silences it ({@link HttpFilterCallbacks#holdStream}), {@code refuse} answers 503
 * if no response started and resets it otherwise, {@code reset} resets it. {@code delay} applies to
 * new streams only. A filter-level rule changes with the listener, which only new connections take.
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
  private boolean cut;
  private String peer;
  private Runnable unwatch;

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
    peer = filterConfig.peer().orElseGet(() -> peerOf(request));
    Optional<PartitionRule> rule = config.rules().isEmpty() ? Optional.empty() : config.rule(peer);
    FilterStatus status = rule.map(r -> apply(r, callbacks)).orElse(FilterStatus.CONTINUE);
    if (status == FilterStatus.CONTINUE) {
      watch(callbacks);
    }
    return status;
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
      watch(callbacks);
      callbacks.continueRequest();
    }
  }

  /** From now on, newer routes with a rule for this stream's peer may cut it. */
  private void watch(HttpFilterCallbacks callbacks) {
    if (unwatch == null) {
      unwatch =
          callbacks.watchPerRouteConfig(
              filterConfig.name(),
              PartitionFilterConfig.class,
              next -> routesChanged(next.orElse(filterConfig), callbacks));
    }
  }

  /** On the stream's event loop: the newest routes' rules for this stream's request. */
  private void routesChanged(PartitionFilterConfig next, HttpFilterCallbacks callbacks) {
    if (complete || cut) {
      return;
    }
    Optional<PartitionRule> found = next.rule(peer);
    if (found.isEmpty()) {
      return;
    }
    PartitionRule rule = found.get();
    switch (rule.action()) {
      case DELAY -> {
        return;
      }
      case LOSE -> {
        if (random.nextDouble() >= rule.fraction()) {
          return;
        }
      }
      default -> {}
    }
    cut = true;
    switch (rule.action()) {
      case DROP, LOSE -> {
        hold(rule, callbacks);
        callbacks.holdStream();
      }
      case REFUSE -> refuse(rule, callbacks);
      case RESET -> {
        stats.acted(rule.action(), rule.peer());
        callbacks.setResponseFlag(ResponseFlag.FI);
        callbacks.resetStream();
      }
      case DELAY -> throw new AssertionError("returned above");
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
    if (unwatch != null) {
      unwatch.run();
      unwatch = null;
    }
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
