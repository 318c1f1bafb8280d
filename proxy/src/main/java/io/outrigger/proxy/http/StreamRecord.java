package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import java.time.Instant;

/**
 * What an {@link HttpStream} remembers for its access log beyond what it needs to proxy: the
 * wall-clock start, body bytes each way, the response headers sent and the end. Written and read on
 * the stream's event loop.
 */
final class StreamRecord {
  final Instant startTime;
  long bytesReceived;
  long bytesSent;
  long endNanos = -1;
  HttpHeaders responseHeaders;

  StreamRecord(Instant startTime) {
    this.startTime = startTime;
  }

  /** Counts a request piece's body bytes; call before the piece is passed on (and released). */
  void received(HttpObject msg) {
    if (msg instanceof HttpContent c) {
      bytesReceived += c.content().readableBytes();
    }
  }

  /** Counts a response piece's body bytes; call before it is written (and released). */
  void sent(HttpObject msg) {
    if (msg instanceof HttpContent c) {
      bytesSent += c.content().readableBytes();
    }
  }
}
