package io.outrigger.proxy.tcp;

import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What a {@code tcp_proxy} connection's access log reads: peer, cluster, host, flag, bytes each way
 * and duration. Written and read on the downstream channel's event loop. HTTP values (protocol,
 * headers, response code, details) are left missing, as Envoy leaves them for TCP.
 */
final class TcpConnectionInfo implements StreamInfo {
  private final long startNanos = System.nanoTime();
  private final Instant startTime;
  private final String statPrefix;
  private final InetSocketAddress remote;
  private final java.util.function.Supplier<String> peerUriSan;
  private String upstreamCluster;
  private String upstreamHost;
  private ResponseFlag flag;
  private long bytesReceived;
  private long bytesSent;
  private long endNanos = -1;

  /**
   * @param peerUriSan the downstream's verified URI SAN once its TLS handshake is done; read when
   *     the access log line is written
   */
  TcpConnectionInfo(
      Instant startTime,
      String statPrefix,
      InetSocketAddress remote,
      java.util.function.Supplier<String> peerUriSan) {
    this.peerUriSan = peerUriSan;
    this.startTime = startTime;
    this.statPrefix = statPrefix;
    this.remote = remote;
  }

  void upstreamCluster(String name) {
    upstreamCluster = name;
  }

  void upstreamHost(String address) {
    upstreamHost = address;
  }

  void flag(ResponseFlag f) {
    flag = f;
  }

  void received(long bytes) {
    bytesReceived += bytes;
  }

  void sent(long bytes) {
    bytesSent += bytes;
  }

  void ended() {
    endNanos = System.nanoTime();
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    return remote;
  }

  @Override
  public String statPrefix() {
    return statPrefix;
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
    return 0;
  }

  @Override
  public ResponseFlag responseFlag() {
    return flag;
  }

  @Override
  public String responseCodeDetails() {
    return null;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public Instant startTime() {
    return startTime;
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
    return endNanos < 0 ? -1 : endNanos - startNanos;
  }

  @Override
  public int upstreamRequestAttemptCount() {
    return 0;
  }

  @Override
  public String downstreamPeerUriSan() {
    return peerUriSan.get();
  }
}
