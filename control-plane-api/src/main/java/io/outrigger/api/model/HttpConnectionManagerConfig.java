package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.accesslog.AccessLogConfig;
import io.outrigger.api.model.http.CodecType;
import io.outrigger.api.model.http.ForwardClientCertConfig;
import io.outrigger.api.model.http.Http2ProtocolOptionsConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.HttpProtocolOptionsConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.RouterFilterConfig;
import io.outrigger.api.model.http.UpgradeConfig;
import io.outrigger.api.model.tracing.TracingConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager}: the
 * terminal network filter that speaks HTTP/1.1 and HTTP/2 (and so gRPC) downstream and routes each
 * request.
 *
 * @param name the filter name as configured
 * @param statPrefix labels this connection manager's statistics; required
 * @param codecType default {@link CodecType#AUTO}
 * @param routeSource inline routes, or an RDS name
 * @param httpFilters the HTTP filter chain; not empty, the router last
 * @param commonHttpProtocolOptions connection idle timeout, header count, stream duration
 * @param maxRequestHeadersKb larger request headers are answered 431; Envoy's default is 60, range
 *     1..8192
 * @param streamIdleTimeout reset a stream with no activity for this long; Envoy's default is 5
 *     minutes; {@link Duration#ZERO} disables it
 * @param requestTimeout the time to receive the whole request; default {@link Duration#ZERO},
 *     disabled
 * @param requestHeadersTimeout the time from the first byte of an HTTP/1.1 request to the end of
 *     its headers; past it the client gets 408 and the connection closes; default {@link
 *     Duration#ZERO}, disabled
 * @param http2ProtocolOptions downstream HTTP/2 settings
 * @param useRemoteAddress take the downstream address as the client address (and append it to
 *     {@code x-forwarded-for}) instead of trusting {@code x-forwarded-for}; default false
 * @param xffNumTrustedHops how many {@code x-forwarded-for} hops from the right are trusted;
 *     default 0
 * @param generateRequestId set {@code x-request-id} when the request has none; default true
 * @param serverName the {@code server} response header; default {@code "outrigger"} (Envoy's is
 *     {@code "envoy"})
 * @param upgradeConfigs the upgrade types allowed on every route (unless a route says otherwise);
 *     default none, types unique
 * @param streamErrorOnInvalidHttpMessage on an invalid HTTP message, reset only the stream (answer
 *     400 and keep an HTTP/1.1 connection open where possible) instead of closing the connection;
 *     default false, as in Envoy
 * @param accessLog the access logs written when each stream completes; default none
 * @param forwardClientCert {@code forward_client_cert_details} and {@code
 *     set_current_client_cert_details}; default {@link ForwardClientCertConfig#DEFAULT}
 * @param tracing the {@code tracing} block; empty (the default) means no spans and no trace headers
 *     touched
 */
public record HttpConnectionManagerConfig(
    String name,
    String statPrefix,
    CodecType codecType,
    RouteSource routeSource,
    List<HttpFilterConfig> httpFilters,
    HttpProtocolOptionsConfig commonHttpProtocolOptions,
    int maxRequestHeadersKb,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Duration requestHeadersTimeout,
    Http2ProtocolOptionsConfig http2ProtocolOptions,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    boolean generateRequestId,
    String serverName,
    List<UpgradeConfig> upgradeConfigs,
    boolean streamErrorOnInvalidHttpMessage,
    List<AccessLogConfig> accessLog,
    ForwardClientCertConfig forwardClientCert,
    Optional<TracingConfig> tracing)
    implements NetworkFilterConfig {

  public static final String FILTER_NAME = "envoy.filters.network.http_connection_manager";
  public static final int DEFAULT_MAX_REQUEST_HEADERS_KB = 60;
  public static final int MAX_REQUEST_HEADERS_KB = 8192;
  public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ZERO;

  /** Envoy's default is {@code "envoy"}; Outrigger names itself. */
  public static final String DEFAULT_SERVER_NAME = "outrigger";

  public HttpConnectionManagerConfig {
    requireNonNull(name, "name");
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(codecType, "codecType");
    requireNonNull(routeSource, "routeSource");
    httpFilters = List.copyOf(requireNonNull(httpFilters, "httpFilters"));
    requireNonNull(commonHttpProtocolOptions, "commonHttpProtocolOptions");
    requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    requireNonNull(requestTimeout, "requestTimeout");
    requireNonNull(requestHeadersTimeout, "requestHeadersTimeout");
    requireNonNull(http2ProtocolOptions, "http2ProtocolOptions");
    requireNonNull(serverName, "serverName");
    upgradeConfigs = List.copyOf(requireNonNull(upgradeConfigs, "upgradeConfigs"));
    accessLog = List.copyOf(requireNonNull(accessLog, "accessLog"));
    requireNonNull(forwardClientCert, "forwardClientCert");
    requireNonNull(tracing, "tracing");
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("stat_prefix: empty (expected: a non-empty string)");
    }
    if (httpFilters.isEmpty()
        || !(httpFilters.get(httpFilters.size() - 1) instanceof RouterFilterConfig)) {
      throw new IllegalArgumentException(
          "http_filters: the router filter must be the last http filter");
    }
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > MAX_REQUEST_HEADERS_KB) {
      throw new IllegalArgumentException(
          "max_request_headers_kb: "
              + maxRequestHeadersKb
              + " (expected: 1.."
              + MAX_REQUEST_HEADERS_KB
              + ")");
    }
    if (streamIdleTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "stream_idle_timeout: " + streamIdleTimeout + " (expected: >= 0)");
    }
    if (requestTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "request_timeout: " + requestTimeout + " (expected: >= 0)");
    }
    if (requestHeadersTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "request_headers_timeout: " + requestHeadersTimeout + " (expected: >= 0)");
    }
    if (xffNumTrustedHops < 0) {
      throw new IllegalArgumentException(
          "xff_num_trusted_hops: " + xffNumTrustedHops + " (expected: >= 0)");
    }
    Set<String> types = new HashSet<>();
    for (UpgradeConfig u : upgradeConfigs) {
      if (!types.add(u.upgradeType())) {
        throw new IllegalArgumentException(
            "upgrade_configs: duplicate upgrade_type \"" + u.upgradeType() + "\"");
      }
    }
  }
}
