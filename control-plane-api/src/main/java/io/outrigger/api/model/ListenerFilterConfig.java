package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * One of Envoy's {@code listener_filters}: it runs on an accepted connection before a filter chain
 * is chosen, and tells the choice something about the connection.
 *
 * @param name the filter's name as written; free, the kind comes from its {@code typed_config}
 * @param kind which filter it is
 */
public record ListenerFilterConfig(String name, Kind kind) {
  /** The supported listener filters. */
  public enum Kind {
    /**
     * {@code envoy.filters.listener.original_dst}: the destination that an iptables {@code
     * REDIRECT} replaced, read from the socket ({@code SO_ORIGINAL_DST}).
     */
    ORIGINAL_DST("envoy.extensions.filters.listener.original_dst.v3.OriginalDst"),
    /**
     * {@code envoy.filters.listener.tls_inspector}: TLS or not, and the ClientHello's SNI and ALPN.
     */
    TLS_INSPECTOR("envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"),
    /**
     * {@code envoy.filters.listener.http_inspector}: HTTP/1.0, HTTP/1.1, HTTP/2 with prior
     * knowledge (h2c) or none of these, from the first bytes of a plaintext connection.
     */
    HTTP_INSPECTOR("envoy.extensions.filters.listener.http_inspector.v3.HttpInspector");

    private final String typeName;

    Kind(String typeName) {
      this.typeName = typeName;
    }

    /** The full name of the proto message its {@code typed_config} carries. */
    public String typeName() {
      return typeName;
    }
  }

  public ListenerFilterConfig {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
  }
}
