/**
 * {@code outrigger.filters.partition}: drops, refuses, resets, delays or loses the requests this
 * node sends to named peer nodes, as the control plane's fault API says. See {@code
 * docs/filters.md}.
 */
package io.outrigger.filters.http.partition;
