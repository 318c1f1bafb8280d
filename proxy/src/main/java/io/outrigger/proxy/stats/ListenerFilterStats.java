package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The listener filters' statistics of one listener, named as Envoy names them ({@code
 * tls_inspector.sni_found}, {@code http_inspector.http11_found}, ...), all labelled {@code
 * listener}. In Envoy's form the inspectors' are Envoy's, in the server's scope and summed over the
 * listeners ({@code tls_inspector.sni_found}, as Envoy's filters count in {@code context.scope()}).
 * Outrigger adds {@code original_dst.*}, which Envoy's original_dst filter does not have; in
 * Envoy's form they stay in the listener's scope ({@code
 * listener.<address>.original_dst.restored}).
 */
public final class ListenerFilterStats {
  public final Counter tlsFound;
  public final Counter tlsNotFound;
  public final Counter sniFound;
  public final Counter sniNotFound;
  public final Counter alpnFound;
  public final Counter alpnNotFound;
  public final Counter clientHelloTooLarge;
  public final Counter http10Found;
  public final Counter http11Found;
  public final Counter http2Found;
  public final Counter httpNotFound;
  public final Counter httpReadError;

  /** The original destination was read and differs from the listener's own address. */
  public final Counter originalDstRestored;

  /** The original destination was the listener's own address: the connection was not redirected. */
  public final Counter originalDstNotRedirected;

  /** The original destination could not be read (NIO transport, no conntrack entry): closed. */
  public final Counter originalDstReadError;

  ListenerFilterStats(MeterRegistry registry, String listener) {
    tlsFound = counter(registry, listener, "tls_inspector.tls_found", "TLS connections");
    tlsNotFound = counter(registry, listener, "tls_inspector.tls_not_found", "Plaintext ones");
    sniFound = counter(registry, listener, "tls_inspector.sni_found", "ClientHellos with SNI");
    sniNotFound = counter(registry, listener, "tls_inspector.sni_not_found", "Without SNI");
    alpnFound = counter(registry, listener, "tls_inspector.alpn_found", "ClientHellos with ALPN");
    alpnNotFound = counter(registry, listener, "tls_inspector.alpn_not_found", "Without ALPN");
    clientHelloTooLarge =
        counter(
            registry,
            listener,
            "tls_inspector.client_hello_too_large",
            "ClientHellos over 64 KiB or malformed: closed");
    http10Found = counter(registry, listener, "http_inspector.http10_found", "HTTP/1.0 found");
    http11Found = counter(registry, listener, "http_inspector.http11_found", "HTTP/1.1 found");
    http2Found = counter(registry, listener, "http_inspector.http2_found", "h2c preface found");
    httpNotFound =
        counter(registry, listener, "http_inspector.http_not_found", "Connections not HTTP");
    httpReadError =
        counter(
            registry,
            listener,
            "http_inspector.read_error",
            "Request lines over 64 KiB without an end: closed");
    originalDstRestored =
        counter(registry, listener, "original_dst.restored", "Original destinations restored");
    originalDstNotRedirected =
        counter(
            registry,
            listener,
            "original_dst.not_redirected",
            "Connections whose original destination was the listener's own address");
    originalDstReadError =
        counter(
            registry,
            listener,
            "original_dst.read_error",
            "Connections closed because their original destination could not be read");
  }

  private static Counter counter(
      MeterRegistry registry, String listener, String name, String help) {
    return Counter.builder(name).description(help).tag("listener", listener).register(registry);
  }
}
