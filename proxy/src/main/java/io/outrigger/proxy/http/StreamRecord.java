package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import io.outrigger.filters.tls.PeerCertificate;
import io.outrigger.proxy.tls.PeerIdentity;
import io.outrigger.proxy.tls.TlsConnections;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * What an {@link HttpStream} tells its access log, its span and its filters ({@code streamInfo()},
 * {@code onComplete}): Envoy's stream info. Beyond what the stream needs to proxy it remembers the
 * wall-clock start (to the millisecond, as the access log prints it), body bytes each way, the
 * response headers sent, the end, and the response code, flag and details and the upstream cluster
 * and host as the stream learns them; the rest it reads from the stream and its connection when
 * asked.
 *
 * <p>Made with the stream, one per stream (the stream makes no other object for it). Written and
 * read on the stream's event loop.
 */
final class StreamRecord implements StreamInfo {
  private final HttpStream stream;
  private final long startEpochMillis;
  long bytesReceived;
  long bytesSent;
  long endNanos = -1;
  HttpHeaders responseHeaders;
  int responseCode;
  ResponseFlag responseFlag;
  String details = "";
  String upstreamCluster;
  String upstreamHost;

  StreamRecord(HttpStream stream, long startEpochMillis) {
    this.stream = stream;
    this.startEpochMillis = startEpochMillis;
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

  /**
   * The stream ended: its stats, its filters' {@code onComplete}, its span and its access logs
   * learn of it, in that order.
   */
  void finish() {
    endNanos = System.nanoTime();
    stream.hcm.stats().requestFinished(responseCode, endNanos - stream.startNanos);
    for (int i = 0; i < stream.filters.size(); i++) { // by index: no iterator per request
      HttpFilter f = stream.filters.get(i);
      f.onComplete(this);
    }
    stream.span.end(this);
    stream.hcm.accessLogs().log(this);
  }

  // ---- StreamInfo ----

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    SocketAddress a = stream.io.remoteAddress();
    return a instanceof InetSocketAddress isa ? isa : null;
  }

  @Override
  public String downstreamPeerUriSan() {
    PeerIdentity peer = PeerIdentity.of(stream.io.connection());
    return peer == null ? null : peer.uriSan();
  }

  @Override
  public PeerCertificate downstreamPeerCertificate() {
    PeerIdentity peer = PeerIdentity.of(stream.io.connection());
    return peer == null ? null : peer.certificate();
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return stream.io.connection().localAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public String requestedServerName() {
    return TlsConnections.requestedServerName(stream.io.connection());
  }

  @Override
  public String statPrefix() {
    return stream.hcm.settings().statPrefix();
  }

  @Override
  public String upstreamCluster() {
    return upstreamCluster;
  }

  @Override
  public String upstreamHost() {
    return upstreamHost;
  }

  @Override
  public int responseCode() {
    return responseCode;
  }

  @Override
  public ResponseFlag responseFlag() {
    return responseFlag;
  }

  @Override
  public String responseCodeDetails() {
    return details;
  }

  @Override
  public long startNanos() {
    return stream.startNanos;
  }

  @Override
  public Instant startTime() {
    return Instant.ofEpochMilli(startEpochMillis); // made when asked: an Instant per stream is 24 B
  }

  @Override
  public String protocol() {
    return stream.http2 ? "HTTP/2" : stream.request.protocolVersion().text();
  }

  @Override
  public HttpRequest request() {
    return stream.request;
  }

  @Override
  public HttpHeaders responseHeaders() {
    return responseHeaders;
  }

  @Override
  public long bytesReceived() {
    return bytesReceived;
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public long durationNanos() {
    return endNanos < 0 ? -1 : endNanos - stream.startNanos;
  }

  @Override
  public String traceId() {
    return stream.span.traceId();
  }

  @Override
  public int upstreamRequestAttemptCount() {
    return stream.upstream == null ? 0 : stream.upstream.attemptCount();
  }
}
