package io.outrigger.filters.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What is known about one stream, read by filters and, later, by access logs and tracing. Written
 * by the connection manager and the router on the stream's event loop; read there too (access logs
 * read it once the stream completed).
 *
 * <p>The methods with defaults were added for access logging; an implementation that does not know
 * a value keeps the default, which the access log prints as Envoy prints a missing value.
 */
public interface StreamInfo {
  /** The downstream peer. */
  InetSocketAddress downstreamRemoteAddress();

  /** The listener's statistics name. */
  String statPrefix();

  /** The cluster the router chose, or {@code null} before routing or for a local reply. */
  String upstreamCluster();

  /** The upstream host {@code ip:port}, or {@code null} before one was chosen. */
  String upstreamHost();

  /** The response code sent, or 0 before the response started. */
  int responseCode();

  /** The response flag, or {@code null}. */
  ResponseFlag responseFlag();

  /**
   * Why the response is what it is, e.g. {@code via_upstream} or {@code
   * upstream_reset_before_response_started{connection_failure}}.
   */
  String responseCodeDetails();

  /** Monotonic start time of the stream, in nanoseconds ({@link System#nanoTime()}). */
  long startNanos();

  /**
   * Wall-clock start of the stream (from the connection manager's clock; an HTTP stream keeps it to
   * the millisecond, as the access log prints it), or {@code null}.
   */
  default Instant startTime() {
    return null;
  }

  /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}; {@code null} for a TCP connection. */
  default String protocol() {
    return null;
  }

  /**
   * The downstream request (method, path, headers after the connection manager's and the filters'
   * changes), or {@code null} for a TCP connection.
   */
  default HttpRequest request() {
    return null;
  }

  /**
   * The headers of the response sent downstream, a local reply's included; {@code null} before the
   * response started.
   */
  default HttpHeaders responseHeaders() {
    return null;
  }

  /** Body bytes received from downstream (for TCP: every byte); default 0. */
  default long bytesReceived() {
    return 0;
  }

  /** Body bytes sent downstream (for TCP: every byte); default 0. */
  default long bytesSent() {
    return 0;
  }

  /**
   * Nanoseconds from {@link #startNanos()} to the end of the stream (the last response byte, a
   * reset, or the connection's close); -1 while it has not ended.
   */
  default long durationNanos() {
    return -1;
  }

  /** How many upstream attempts the router made (retries and hedges count); default 0. */
  default int upstreamRequestAttemptCount() {
    return 0;
  }

  /** The trace id of the stream's span, or {@code null} (always, until tracing exists). */
  default String traceId() {
    return null;
  }

  /** The URI SAN of the downstream's certificate, or {@code null} (always, until TLS exists). */
  default String downstreamPeerUriSan() {
    return null;
  }

  /**
   * The downstream's verified client certificate (of the connection, for an HTTP/2 stream), or
   * {@code null} when the connection is plaintext or the peer presented none. Default {@code null}.
   */
  default PeerCertificate downstreamPeerCertificate() {
    return null;
  }

  /** The local address the downstream connected to, or {@code null}; default {@code null}. */
  default InetSocketAddress downstreamLocalAddress() {
    return null;
  }

  /** The TLS SNI the downstream sent; empty for none or plaintext. Default empty. */
  default String requestedServerName() {
    return "";
  }
}
