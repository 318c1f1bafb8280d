package io.outrigger.filters.http;

import java.net.InetSocketAddress;

/**
 * What is known about one stream, read by filters and, later, by access logs and tracing. Written
 * by the connection manager and the router on the stream's event loop.
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
}
