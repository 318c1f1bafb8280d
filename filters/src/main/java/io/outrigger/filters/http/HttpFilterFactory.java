package io.outrigger.filters.http;

/**
 * Builds the filter instances of one configured HTTP filter. Created once per configuration
 * snapshot (parsing and validation happen then, not per request); {@link #create()} is called on an
 * event loop for every stream and must be cheap.
 */
public interface HttpFilterFactory {
  /** The filter's configured name, e.g. {@code envoy.filters.http.fault}. */
  String name();

  /** A new filter for one stream; never null. */
  HttpFilter create();
}
