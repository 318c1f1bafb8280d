/**
 * TLS: Envoy's {@code envoy.transport_sockets.tls} transport socket ({@code DownstreamTlsContext}
 * on filter chains, {@code UpstreamTlsContext} on clusters) and {@code filter_chain_match}, as
 * immutable records with Envoy's defaults filled. The proxy builds one Netty {@code SslContext} per
 * record and configuration snapshot.
 */
package io.outrigger.api.model.tls;
