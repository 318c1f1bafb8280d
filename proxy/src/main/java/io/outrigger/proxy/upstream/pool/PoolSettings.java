package io.outrigger.proxy.upstream.pool;

import io.outrigger.proxy.tls.ClientTls;
import java.time.Duration;

/**
 * How a cluster's HTTP connections behave, from its {@code HttpProtocolOptions}.
 *
 * @param http2 whether to speak HTTP/2 (prior knowledge) to the upstream
 * @param idleTimeout an idle connection is closed after this; zero disables
 * @param maxRequestsPerConnection a connection is retired after this many; 0 for no limit
 * @param maxConcurrentStreams HTTP/2 streams per connection before another connection opens
 * @param connectTimeout the cluster's connect timeout
 * @param bufferLimit write-buffer high-water mark per connection
 * @param tls TLS origination ({@code transport_socket}), or {@code null} for plaintext
 */
public record PoolSettings(
    boolean http2,
    Duration idleTimeout,
    int maxRequestsPerConnection,
    int maxConcurrentStreams,
    Duration connectTimeout,
    int bufferLimit,
    ClientTls tls) {

  /** Plaintext settings. */
  public PoolSettings(
      boolean http2,
      Duration idleTimeout,
      int maxRequestsPerConnection,
      int maxConcurrentStreams,
      Duration connectTimeout,
      int bufferLimit) {
    this(
        http2,
        idleTimeout,
        maxRequestsPerConnection,
        maxConcurrentStreams,
        connectTimeout,
        bufferLimit,
        null);
  }

  /**
   * A cluster's settings: {@link #of(io.outrigger.api.model.ClusterConfig)} with its TLS. HTTP/2 is
   * spoken when the protocol options say so or when the TLS context's ALPN puts {@code h2} first.
   */
  public static PoolSettings of(io.outrigger.proxy.upstream.Cluster cluster) {
    PoolSettings plain = of(cluster.config());
    ClientTls tls = cluster.tls();
    if (tls == null) {
      return plain;
    }
    return new PoolSettings(
        plain.http2() || tls.prefersHttp2(),
        plain.idleTimeout(),
        plain.maxRequestsPerConnection(),
        plain.maxConcurrentStreams(),
        plain.connectTimeout(),
        plain.bufferLimit(),
        tls);
  }

  /** A cluster's settings: its {@code HttpProtocolOptions}, connect timeout and buffer limit. */
  public static PoolSettings of(io.outrigger.api.model.ClusterConfig c) {
    var o = c.upstreamHttpOptions();
    return new PoolSettings(
        o.protocol() == io.outrigger.api.model.UpstreamHttpOptions.Protocol.HTTP2,
        o.idleTimeout(),
        (int) Math.min(Integer.MAX_VALUE, o.maxRequestsPerConnection()),
        o.maxConcurrentStreams(),
        c.connectTimeout(),
        c.perConnectionBufferLimitBytes());
  }
}
