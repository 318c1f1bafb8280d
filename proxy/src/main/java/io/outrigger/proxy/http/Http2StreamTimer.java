package io.outrigger.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.outrigger.proxy.transport.LazyDeadline;

/**
 * The one timer of an HTTP/2 connection's stream timeouts. Each stream's {@link StreamTimeouts}
 * arms it no later than its own next deadline; when it fires, the connection has every open stream
 * look at its deadlines ({@link StreamTimeouts#check}), fire what is due and arm it again for what
 * is not. A stream that ends arms nothing more and, gone from the connection's streams, is not
 * looked at again.
 *
 * <p>With a timer per stream, Envoy's default {@code stream_idle_timeout} (5 minutes) alone had
 * every stream schedule a task on the event loop and cancel it when the stream closed. Sharing one,
 * a busy connection schedules about one task per timeout period, and a stream costs no timer
 * object. On the connection's event loop only.
 */
final class Http2StreamTimer implements StreamTimeouts.Timer {
  private final LazyDeadline deadline;

  /**
   * @param loop the connection's event loop
   * @param checkOpenStreams runs on that loop when the timer fires: calls {@link
   *     StreamTimeouts#check} on every open stream's timeouts
   */
  Http2StreamTimer(EventExecutor loop, Runnable checkOpenStreams) {
    this.deadline = new LazyDeadline(loop, checkOpenStreams);
  }

  @Override
  public void arm(long delayNanos) {
    deadline.armWithin(delayNanos);
  }

  /** Nothing to do: the timer, when it fires for a deadline this stream dropped, finds it gone. */
  @Override
  public void clear() {}

  /** One stream ended; the connection's end is {@link #shutdown()}. */
  @Override
  public void close() {}

  /** The connection closed: the pending task, if any, is cancelled. */
  void shutdown() {
    deadline.close();
  }
}
