package io.outrigger.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.outrigger.proxy.transport.LazyDeadline;
import java.time.Duration;

/**
 * The timeouts of the streams of one downstream connection, Envoy's three: {@code request_timeout}
 * (the whole request must arrive in time), {@code stream_idle_timeout} (or the route's {@code
 * idle_timeout}: no bytes either way for that long) and {@code max_stream_duration}; and the
 * router's route {@code timeout}, so that a request costs no timer of its own.
 *
 * <p>One per connection (an HTTP/1.1 connection serves its streams one after another; an HTTP/2
 * stream has its own), on the connection's event loop, with one {@link LazyDeadline}. Activity only
 * writes a timestamp; the timer, when it fires, looks at the deadlines and either fires one or
 * sleeps until the next. A stream that ends clears the deadline without cancelling the task, and
 * the next stream's deadlines, later than the task, reuse it: busy keep-alive connections schedule
 * about one task per timeout period, not one per request.
 */
final class StreamTimeouts {
  /** Which timeout fired. */
  enum Kind {
    REQUEST("request timeout", "request_overall_timeout"),
    IDLE("stream timeout", "stream_idle_timeout"),
    DURATION("downstream duration timeout", "max_duration_timeout"),
    /** The route's {@code timeout}: the router answers it (504, or a reset once answering). */
    ROUTE("upstream request timeout", "upstream_response_timeout");

    final String body;
    final String details;

    Kind(String body, String details) {
      this.body = body;
      this.details = details;
    }
  }

  /** Told on the event loop when a timeout of the active stream fires. */
  interface Listener {
    void onTimeout(Kind kind);
  }

  private static final long NONE = Long.MIN_VALUE;

  private final LazyDeadline timer;
  private final Listener listener;
  private final long requestNanos;
  private final long durationNanos;
  private final long listenerIdleNanos;
  private long idleNanos;
  private long startNanos;
  private long lastActivityNanos;
  private long routeDeadline = NONE;
  private boolean requestComplete;
  private boolean active;

  StreamTimeouts(EventExecutor executor, HttpSettings settings, Listener listener) {
    this.timer = new LazyDeadline(executor, this::check);
    this.listener = listener;
    this.requestNanos = settings.requestTimeout().toNanos();
    this.durationNanos = settings.maxStreamDuration().toNanos();
    this.listenerIdleNanos = settings.streamIdleTimeout().toNanos();
  }

  /** A stream starts at {@code startNanos}: its deadlines replace the last stream's. */
  void start(long startNanos) {
    this.startNanos = startNanos;
    this.lastActivityNanos = startNanos;
    this.idleNanos = listenerIdleNanos;
    this.routeDeadline = NONE;
    this.requestComplete = false;
    this.active = true;
    arm(System.nanoTime());
  }

  /** The route's {@code idle_timeout} replaces the listener's stream idle timeout. */
  void routeIdleTimeout(Duration idle) {
    if (!idle.isZero()) {
      idleNanos = idle.toNanos();
      arm(System.nanoTime());
    }
  }

  /** The route's {@code timeout} starts now (the request is complete); zero never fires. */
  void routeTimeout(long nanos) {
    if (active && nanos > 0) {
      long now = System.nanoTime();
      routeDeadline = now + nanos;
      arm(now);
    }
  }

  /** The route timeout no longer applies (the router ended, or the stream became a tunnel). */
  void clearRouteTimeout() {
    routeDeadline = NONE; // the timer, if it fires for it, finds nothing and sleeps on
  }

  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  void requestComplete() {
    requestComplete = true;
  }

  /** The stream ended: nothing fires for it; the timer stays for the connection's next stream. */
  void cancel() {
    active = false;
    routeDeadline = NONE;
    timer.clear();
  }

  /** The connection closed: the timer goes too. */
  void close() {
    active = false;
    timer.close();
  }

  private void check() {
    if (!active) {
      return;
    }
    long now = System.nanoTime();
    if (durationNanos > 0 && now - startNanos >= durationNanos) {
      fire(Kind.DURATION);
    } else if (requestNanos > 0 && !requestComplete && now - startNanos >= requestNanos) {
      fire(Kind.REQUEST);
    } else if (idleNanos > 0 && now - lastActivityNanos >= idleNanos) {
      fire(Kind.IDLE);
    } else if (routeDeadline != NONE && now - routeDeadline >= 0) {
      routeDeadline = NONE;
      arm(now);
      listener.onTimeout(Kind.ROUTE);
    } else {
      arm(now);
    }
  }

  private void fire(Kind kind) {
    active = false;
    listener.onTimeout(kind);
  }

  private void arm(long now) {
    long next = Long.MAX_VALUE;
    if (durationNanos > 0) {
      next = Math.min(next, startNanos + durationNanos - now);
    }
    if (requestNanos > 0 && !requestComplete) {
      next = Math.min(next, startNanos + requestNanos - now);
    }
    if (idleNanos > 0) {
      next = Math.min(next, lastActivityNanos + idleNanos - now);
    }
    if (routeDeadline != NONE) {
      next = Math.min(next, routeDeadline - now);
    }
    if (next == Long.MAX_VALUE) {
      timer.clear();
    } else {
      timer.arm(next);
    }
  }
}
