/**
 * The network filter SPI: filters that see a downstream connection before its terminal filter
 * ({@code tcp_proxy}, {@code http_connection_manager}) does, and decide whether it proceeds. The
 * partition filter is the first; RBAC's network filter will be the next.
 */
package io.outrigger.filters.network;
