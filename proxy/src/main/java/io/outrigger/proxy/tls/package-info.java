/**
 * TLS as a transport, as in Envoy: Netty {@code SslContext}s built once per configuration snapshot
 * from the {@code tls} model records (BoringSSL through netty-tcnative when it loads, the JDK
 * otherwise), the peer verification (trusted CA and URI SAN matchers), the peer's identity on the
 * channel, handshake statistics, and the watcher that rebuilds contexts when certificate files
 * change. Depends on nothing else in the proxy.
 */
package io.outrigger.proxy.tls;
