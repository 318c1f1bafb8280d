package io.outrigger.proxy.http;

import io.outrigger.api.model.http.ForwardClientCertConfig;
import io.outrigger.api.model.http.HeadersWithUnderscoresAction;
import java.time.Duration;
import java.util.Set;

/**
 * The connection manager's settings at run time, taken from its {@code HttpConnectionManager}
 * config once per snapshot.
 *
 * @param statPrefix labels the listener's HTTP statistics
 * @param codec which codec downstream connections speak
 * @param maxRequestHeadersBytes request line plus headers, at most; larger gets 431
 * @param maxHeadersCount header fields, at most; more gets 431
 * @param idleTimeout a connection with no stream for this long is closed; zero disables
 * @param streamIdleTimeout a stream with no activity either way for this long is reset; zero
 *     disables
 * @param requestTimeout the whole request must arrive within this; zero disables
 * @param maxStreamDuration a stream lasting longer is reset; zero disables
 * @param http2MaxConcurrentStreams downstream HTTP/2 streams per connection
 * @param http2InitialStreamWindow downstream HTTP/2 initial stream window
 * @param http2InitialConnectionWindow downstream HTTP/2 initial connection window
 * @param useRemoteAddress whether the peer address is the client's (edge proxy)
 * @param xffNumTrustedHops trusted proxies in front of this one
 * @param generateRequestId whether to add {@code x-request-id} when absent
 * @param serverName the {@code server} header of every response
 * @param upgrades the enabled upgrade types, lower case (e.g. {@code websocket})
 * @param forwardClientCert what becomes of {@code x-forwarded-client-cert} upstream
 * @param limits what bounds each downstream connection
 * @param headersWithUnderscores what becomes of request headers with underscores in their names
 */
public record HttpSettings(
    String statPrefix,
    Codec codec,
    int maxRequestHeadersBytes,
    int maxHeadersCount,
    Duration idleTimeout,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Duration maxStreamDuration,
    int http2MaxConcurrentStreams,
    int http2InitialStreamWindow,
    int http2InitialConnectionWindow,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    boolean generateRequestId,
    String serverName,
    Set<String> upgrades,
    ForwardClientCertConfig forwardClientCert,
    ConnectionLimits limits,
    HeadersWithUnderscoresAction headersWithUnderscores) {

  /** The downstream codec. */
  public enum Codec {
    /** HTTP/2 when the connection starts with the prior-knowledge preface, HTTP/1.1 otherwise. */
    AUTO,
    HTTP1,
    HTTP2
  }

  public HttpSettings {
    upgrades = Set.copyOf(upgrades);
    java.util.Objects.requireNonNull(forwardClientCert, "forwardClientCert");
    java.util.Objects.requireNonNull(limits, "limits");
    java.util.Objects.requireNonNull(headersWithUnderscores, "headersWithUnderscores");
  }

  /** The same settings with other enabled upgrade types. */
  public HttpSettings withUpgrades(Set<String> types) {
    return with(types, limits, headersWithUnderscores);
  }

  /** The same settings with another {@code headers_with_underscores_action}. */
  public HttpSettings withHeadersWithUnderscores(HeadersWithUnderscoresAction action) {
    return with(upgrades, limits, action);
  }

  /** The same settings with other connection limits. */
  public HttpSettings withLimits(ConnectionLimits other) {
    return with(upgrades, other, headersWithUnderscores);
  }

  /** The one copy the withers share: every field but these three kept. */
  private HttpSettings with(
      Set<String> newUpgrades,
      ConnectionLimits newLimits,
      HeadersWithUnderscoresAction newUnderscores) {
    return new HttpSettings(
        statPrefix,
        codec,
        maxRequestHeadersBytes,
        maxHeadersCount,
        idleTimeout,
        streamIdleTimeout,
        requestTimeout,
        maxStreamDuration,
        http2MaxConcurrentStreams,
        http2InitialStreamWindow,
        http2InitialConnectionWindow,
        useRemoteAddress,
        xffNumTrustedHops,
        generateRequestId,
        serverName,
        newUpgrades,
        forwardClientCert,
        newLimits,
        newUnderscores);
  }

  /** Envoy's defaults, for tests. */
  public static HttpSettings defaults(String statPrefix) {
    return new HttpSettings(
        statPrefix,
        Codec.AUTO,
        60 * 1024,
        100,
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        Duration.ZERO,
        Duration.ZERO,
        Integer.MAX_VALUE,
        268_435_456,
        268_435_456,
        false,
        0,
        true,
        "outrigger",
        Set.of(),
        ForwardClientCertConfig.DEFAULT,
        ConnectionLimits.NONE,
        HeadersWithUnderscoresAction.ALLOW);
  }
}
