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
}
