package io.outrigger.filters.network;

/**
 * Builds the filter instances of one configured network filter. Created once per listener
 * configuration (validation happens then); {@link #create()} is called on an event loop for every
 * accepted connection and must be cheap. Rules apply to new connections only: a listener update
 * makes a new factory, and connections already established keep going.
 */
public interface NetworkFilterFactory {
  /** The filter's configured name, e.g. {@code outrigger.filters.network.partition}. */
  String name();

  /** A new filter for one connection; never null. */
  NetworkFilter create();

  /**
   * Whether the filter decides from what the TLS handshake tells (the peer certificate, the SNI).
   * On a TLS filter chain, such a filter's {@link NetworkFilter#onNewConnection} is then called
   * once the handshake completed (a failed handshake closes the connection before), and the filters
   * before it still run at accept. On a plaintext chain it makes no difference. Default false: at
   * accept, before the handshake.
   */
  default boolean needsTlsHandshake() {
    return false;
  }

  /**
   * The listener configuration this factory belongs to now takes connections (it was bound, or
   * swapped in for the previous version). Called once, on the thread that applies listener
   * configurations, never on an event loop; not called for a configuration that was refused or
   * replaced while it warmed. A factory whose rules must also reach connections opened under an
   * earlier configuration publishes them here, not when it is built. Default: nothing.
   */
  default void activated() {}
}
