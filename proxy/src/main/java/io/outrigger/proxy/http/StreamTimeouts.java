package io.outrigger.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The downstream timeouts of one stream, Envoy's three: {@code request_timeout} (the whole request
 * must arrive in time), {@code stream_idle_timeout} (or the route's {@code idle_timeout}: no bytes
 * either way for that long) and {@code max_stream_duration}.
 *
 * <p>One timer at a time, on the stream's event loop. Activity only writes a timestamp; the timer,
 * when it fires, looks at the deadlines and either fires one or sleeps until the next, so busy
 * streams cost no rescheduling per byte.
 */
final class StreamTimeouts {
  /** Which timeout fired. */
  enum Kind {
    REQUEST("request timeout", "request_overall_timeout"),
    IDLE("stream timeout", "stream_idle_timeout"),
    DURATION("downstream duration timeout", "max_duration_timeout");

    final String body;
    final String details;

    Kind(String body, String details) {
      this.body = body;
      this.details = details;
    }
  }

  interface Listener {
    void onTimeout(Kind kind);
  }

  private final EventExecutor executor;
  private final Listener listener;
  private final long startNanos;
  private final long requestNanos;
  private final long durationNanos;
  private long idleNanos;
  private long lastActivityNanos;
  private boolean requestComplete;
  private boolean cancelled;
  private ScheduledFuture<?> timer;

  StreamTimeouts(
      EventExecutor executor, HttpSettings settings, long startNanos, Listener listener) {
    this.executor = executor;
    this.listener = listener;
    this.startNanos = startNanos;
    this.lastActivityNanos = startNanos;
    this.requestNanos = settings.requestTimeout().toNanos();
    this.durationNanos = settings.maxStreamDuration().toNanos();
    this.idleNanos = settings.streamIdleTimeout().toNanos();
    schedule(System.nanoTime());
  }

  /** The route's {@code idle_timeout} replaces the listener's stream idle timeout. */
  void routeIdleTimeout(Duration idle) {
    if (!idle.isZero()) {
      idleNanos = idle.toNanos();
      reschedule();
    }
  }

  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  void requestComplete() {
    requestComplete = true;
  }

  void cancel() {
    cancelled = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void reschedule() {
    if (timer != null) {
      timer.cancel(false);
    }
    schedule(System.nanoTime());
  }

  private void check() {
    timer = null;
    if (cancelled) {
      return;
    }
    long now = System.nanoTime();
    if (durationNanos > 0 && now - startNanos >= durationNanos) {
      fire(Kind.DURATION);
    } else if (requestNanos > 0 && !requestComplete && now - startNanos >= requestNanos) {
      fire(Kind.REQUEST);
    } else if (idleNanos > 0 && now - lastActivityNanos >= idleNanos) {
      fire(Kind.IDLE);
    } else {
      schedule(now);
    }
  }

  private void fire(Kind kind) {
    cancelled = true;
    listener.onTimeout(kind);
  }

  private void schedule(long now) {
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
    if (next != Long.MAX_VALUE) {
      timer = executor.schedule(this::check, Math.max(0, next), TimeUnit.NANOSECONDS);
    }
  }
}
