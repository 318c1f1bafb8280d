package io.outrigger.api.model.http;

/**
 * {@code config.core.v3.Http2ProtocolOptions} for downstream HTTP/2 connections, with Envoy's
 * defaults and valid ranges.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS; default 2147483647, range
 *     1..2147483647
 * @param initialStreamWindowSize SETTINGS_INITIAL_WINDOW_SIZE; default 268435456 (256 MiB), range
 *     65535..2147483647
 * @param initialConnectionWindowSize the connection-level window; default 268435456 (256 MiB),
 *     range 65535..2147483647
 */
public record Http2ProtocolOptionsConfig(
    int maxConcurrentStreams, int initialStreamWindowSize, int initialConnectionWindowSize) {

  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = Integer.MAX_VALUE;
  public static final int DEFAULT_INITIAL_STREAM_WINDOW_SIZE = 256 * 1024 * 1024;
  public static final int DEFAULT_INITIAL_CONNECTION_WINDOW_SIZE = 256 * 1024 * 1024;

  /** The smallest window HTTP/2 allows (RFC 9113, 6.9.2). */
  public static final int MIN_WINDOW_SIZE = 65535;

  public static final Http2ProtocolOptionsConfig DEFAULTS =
      new Http2ProtocolOptionsConfig(
          DEFAULT_MAX_CONCURRENT_STREAMS,
          DEFAULT_INITIAL_STREAM_WINDOW_SIZE,
          DEFAULT_INITIAL_CONNECTION_WINDOW_SIZE);

  public Http2ProtocolOptionsConfig {
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException(
          "max_concurrent_streams: "
              + maxConcurrentStreams
              + " (expected: 1.."
              + Integer.MAX_VALUE
              + ")");
    }
    checkWindow("initial_stream_window_size", initialStreamWindowSize);
    checkWindow("initial_connection_window_size", initialConnectionWindowSize);
  }

  private static void checkWindow(String field, int value) {
    if (value < MIN_WINDOW_SIZE) {
      throw new IllegalArgumentException(
          field + ": " + value + " (expected: " + MIN_WINDOW_SIZE + ".." + Integer.MAX_VALUE + ")");
    }
  }
}
