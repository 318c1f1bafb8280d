/** What filters know of a downstream connection's TLS: its verified peer certificate. */
package io.outrigger.filters.tls;
