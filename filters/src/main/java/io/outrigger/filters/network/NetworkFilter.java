package io.outrigger.filters.network;

/**
 * One network filter's view of one downstream connection (Envoy's {@code Network::ReadFilter}, for
 * the part that decides whether a connection proceeds).
 *
 * <p>Lifecycle: created by its {@link NetworkFilterFactory} for every accepted connection; {@link
 * #onNewConnection} is called once, on the connection's event loop, before any byte is read and
 * before the terminal filter knows the connection; {@link #onClose} is called once, last, when the
 * connection closes, whatever happened. No method may block.
 */
public interface NetworkFilter {
  /**
   * A connection was accepted.
   *
   * @return {@link NetworkFilterStatus#CONTINUE} to pass it on at once; {@link
   *     NetworkFilterStatus#STOP_ITERATION} after closing, resetting or holding it through {@code
   *     callbacks}, or to continue it later (after a delay, say)
   */
  NetworkFilterStatus onNewConnection(NetworkFilterCallbacks callbacks);

  /** The connection closed. Cancel timers here. Default: nothing. */
  default void onClose() {}
}
