/**
 * The HTTP filter SPI: how a filter sees a stream (one request and its response) as it passes
 * through the connection manager, and how it stops, resumes or answers it.
 *
 * <p>The shape is Envoy's: a {@link io.outrigger.filters.http.HttpFilterFactory} is built once per
 * configuration snapshot and creates one {@link io.outrigger.filters.http.HttpFilter} per stream;
 * the filters of a chain see request events in order and response events in reverse order; the
 * router is the terminal filter and lives in the proxy.
 */
package io.outrigger.filters.http;
