package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The requests, with their bodies, that an HTTP/1.1 client pipelined and that wait for their turn
 * while an earlier one is served: at most {@value #MAX_REQUESTS} requests, as in Netty's {@code
 * HttpServerCodec}, so that a client cannot make a connection hold an unbounded queue.
 *
 * <p>Runs on the connection's event loop only.
 */
final class PipelinedRequests {
  /** Requests read ahead of their turn that a connection may hold. */
  static final int MAX_REQUESTS = 128;

  // Pipelining is rare: start small, grow when needed.
  private final ArrayDeque<HttpObject> queue = new ArrayDeque<>(1);
  private int requests;

  /**
   * Queues a message read ahead of its turn.
   *
   * @return false when it is a request past the bound: it is released, not queued
   */
  boolean offer(HttpObject msg) {
    if (msg instanceof HttpRequest && requests == MAX_REQUESTS) {
      ReferenceCountUtil.release(msg);
      return false;
    }
    if (msg instanceof HttpRequest) {
      requests++;
    }
    queue.add(msg);
    return true;
  }

  /** The oldest message, taken from the queue, or {@code null}. */
  HttpObject poll() {
    HttpObject msg = queue.poll();
    if (msg instanceof HttpRequest) {
      requests--;
    }
    return msg;
  }

  /** The oldest message, left in the queue, or {@code null}. */
  HttpObject peek() {
    return queue.peek();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** The connection closed: releases every message still waiting. */
  void releaseAll() {
    HttpObject m;
    while ((m = poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }
}
