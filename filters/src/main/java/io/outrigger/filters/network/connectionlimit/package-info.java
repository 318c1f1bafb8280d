/**
 * {@code envoy.filters.network.connection_limit}: at most N connections at once per filter chain.
 */
package io.outrigger.filters.network.connectionlimit;
