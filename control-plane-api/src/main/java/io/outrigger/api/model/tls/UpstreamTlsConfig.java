package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code UpstreamTlsContext}: TLS origination to a cluster's hosts.
 *
 * @param common the client certificate (optional: mTLS), parameters, ALPN ({@code h2} makes the
 *     cluster speak HTTP/2 over TLS) and server validation; without a validation context the server
 *     is not verified, as in Envoy
 * @param sni {@code sni}: the server name sent; default empty, none sent
 */
public record UpstreamTlsConfig(CommonTlsConfig common, String sni) {
  public UpstreamTlsConfig {
    requireNonNull(common, "common");
    requireNonNull(sni, "sni");
  }
}
