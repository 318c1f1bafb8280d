package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.filters.http.ResponseFlag;
import java.io.EOFException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request side of an {@link HttpStream}: takes the request body pieces as the downstream sends
 * them (to the router, or queued until there is one), ends a stream whose body broke its framing,
 * and decides when to ask the downstream for the next read ({@code AUTO_READ} is off: a read is
 * asked for only while the upstream can take more, which is the backpressure).
 *
 * <p>Body pieces that arrive before routing wait in the stream's queue: at most what one read
 * brought, since reading stops until the upstream is ready. The queue is made on the first such
 * piece (most streams have none).
 *
 * <p>Stateless: the stream holds the state, so nothing is made per request. Runs on the stream's
 * event loop.
 */
final class RequestBodyReader {
  // The stream's logger: these lines were always logged under its name.
  private static final Logger LOG = LoggerFactory.getLogger(HttpStream.class);

  private RequestBodyReader() {}

  /** A request body piece or the trailers, from the downstream. */
  static void onContent(HttpStream s, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      onFramingError(s, cause);
      return;
    }
    s.record.received(content);
    boolean last = content instanceof LastHttpContent;
    if (last) {
      s.requestComplete = true;
    }
    if (s.done || s.held) {
      ReferenceCountUtil.release(content);
      if (s.held && !s.done && !s.requestComplete) {
        s.io.read(); // a held stream swallows the rest of the body, as a black hole would
      }
      return; // the connection's timers may already serve the next stream
    }
    if (last) {
      s.timeouts.requestComplete();
    }
    s.timeouts.activity();
    if (s.upstream != null) {
      s.upstream.sendRequestContent(content); // the router keeps what it cannot send yet
    } else {
      if (s.pendingBody == null) {
        s.pendingBody = new ArrayDeque<>(2);
      }
      s.pendingBody.add(content);
    }
  }

  /**
   * The request body broke its framing (a chunk-size that is not hex or overflows, a chunk or line
   * not ended by CRLF, a body cut short by the client's FIN). What went upstream so far must never
   * become a complete request there: the upstream request is reset (an HTTP/1.1 connection closed,
   * never pooled; an HTTP/2 stream reset), the downstream gets 400 if no response started and a
   * reset otherwise, and the connection closes. Envoy does the same.
   */
  static void onFramingError(HttpStream s, Throwable cause) {
    if (s.done) {
      return;
    }
    s.hcm.stats().protocolError();
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {}: request body framing error from {}, upstream request reset: {}",
          s.request.method(),
          s.request.uri(),
          s.remoteIp(),
          cause.toString());
    }
    if (s.upstream != null) {
      s.upstream.cancel();
    }
    // The request stays incomplete, so the 400 also closes an HTTP/1.1 connection: the bytes
    // after the error have no framing left to trust.
    s.sendLocalReply(
        400, "Bad Request", s.http2 ? "http2.codec_error" : "http1.codec_error", ResponseFlag.DPE);
  }

  /** The client half-closed before its request body reached the end its framing announced. */
  static void onCutShort(HttpStream s) {
    onFramingError(s, new EOFException("request body cut short by the client's FIN"));
  }

  /** The next body piece that arrived before routing, or {@code null}. */
  static HttpContent pollPending(HttpStream s) {
    return s.pendingBody == null ? null : s.pendingBody.poll();
  }

  /** Releases the body pieces no router took (the stream ended first). */
  static void releasePending(HttpStream s) {
    HttpContent c;
    while ((c = pollPending(s)) != null) {
      ReferenceCountUtil.release(c);
    }
  }

  /** Reads more request body when the upstream can take it. */
  static void maybeRead(HttpStream s) {
    if (!s.done
        && !s.held
        && !s.requestComplete
        && s.upstream != null
        && s.upstream.canTakeBody()) {
      s.io.read();
    }
  }

  /**
   * A filter holds a complete HTTP/1.1 request (a delay, a partition's drop): one more read is
   * asked for, so that a downstream that gives up and closes is noticed and the stream ends (its
   * filters' {@code onComplete} runs) instead of waiting for a timeout. What that read brings
   * instead (a pipelined request) waits as pipelined requests do; no further read is asked for.
   */
  static void watchForClose(HttpStream s) {
    if (!s.http2
        && !s.done
        && (s.upstream == null || s.held)
        && s.requestComplete
        && !s.watchingForClose) {
      s.watchingForClose = true;
      s.io.read();
    }
  }

  /**
   * Whether a filter holds this stream and its downstream is watched for a close: a half-close then
   * means the downstream gave up (it never gets an answer otherwise).
   */
  static boolean heldByFilter(HttpStream s) {
    return s.watchingForClose && (s.upstream == null || s.held) && !s.done;
  }

  /** A downstream read ended: flush what went upstream and decide on the next read. */
  static void onReadComplete(HttpStream s) {
    if (s.held) {
      watchForClose(s);
      return;
    }
    if (s.upstream == null && s.filterIndex > 0) {
      watchForClose(s);
    }
    if (s.upstream != null) {
      s.upstream.flushRequest();
      if (s.upstream.isTunnel()) {
        if (s.upstream.canTakeBody()) {
          s.io.read();
        }
        return;
      }
    }
    maybeRead(s);
  }
}
