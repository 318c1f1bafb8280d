/**
 * {@code outrigger.filters.network.partition}: drops, refuses, resets, delays or loses new
 * connections of a listener that leads to one peer node. See {@code docs/filters.md}.
 */
package io.outrigger.filters.network.partition;
