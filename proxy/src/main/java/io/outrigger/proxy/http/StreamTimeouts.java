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
 * <p>One per HTTP/1.1 connection, which serves its streams one after another, with a {@link
 * LazyDeadline} of its own; one per HTTP/2 stream, whose connection's streams share one timer
 * ({@link Http2StreamTimer}). On the connection's event loop only. Activity only writes a
 * timestamp; the timer, when it fires, has the deadlines looked at ({@link #check}), and each
 * either fires or arms the timer again for its next. A stream that ends clears its deadline without
 * cancelling the task, and later deadlines reuse it: a busy connection schedules about one task per
 * timeout period, not one per request or stream.
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

  /**
   * The timer that {@link StreamTimeouts} arm: when it fires, whoever owns it calls {@link #check}
   * on the timeouts it serves. Used on the connection's event loop only.
   */
  interface Timer {
    /** One of the stream's deadlines is due {@code delayNanos} from now (or at once, when ≤ 0). */
    void arm(long delayNanos);

    /** The stream has no deadline left; a pending task may still fire and find nothing due. */
    void clear();

    /** The stream, or its HTTP/1.1 connection, is gone: nothing more is armed for it. */
    void close();
  }

  private static final long NONE = Long.MIN_VALUE;

  private final Timer timer;
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

  /** The timeouts of an HTTP/1.1 connection's streams, with a timer of their own. */
  StreamTimeouts(EventExecutor executor, HttpSettings settings, Listener listener) {
    this.timer = new OwnTimer(new LazyDeadline(executor, this::check));
    this.listener = listener;
    this.requestNanos = settings.requestTimeout().toNanos();
    this.durationNanos = settings.maxStreamDuration().toNanos();
    this.listenerIdleNanos = settings.streamIdleTimeout().toNanos();
  }

  /**
   * The timeouts of one HTTP/2 stream, on {@code timer}, which its connection shares among its
   * streams and which calls {@link #check} on each open stream when it fires.
   */
  StreamTimeouts(Timer timer, HttpSettings settings, Listener listener) {
    this.timer = timer;
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

  /** Fires the timeout that is due, if one is, or arms the timer for the next deadline. */
  void check() {
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

  /** An HTTP/1.1 connection's own timer. */
  private record OwnTimer(LazyDeadline deadline) implements Timer {
    @Override
    public void arm(long delayNanos) {
      deadline.arm(delayNanos);
    }

    @Override
    public void clear() {
      deadline.clear();
    }

    @Override
    public void close() {
      deadline.close();
    }
  }
}
