package io.outrigger.proxy.upstream.pool;

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
 */
public record PoolSettings(
    boolean http2,
    Duration idleTimeout,
    int maxRequestsPerConnection,
    int maxConcurrentStreams,
    Duration connectTimeout,
    int bufferLimit) {

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
