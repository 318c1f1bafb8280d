/**
 * The network filter SPI: filters that see a downstream connection before its terminal filter
 * ({@code tcp_proxy}, {@code http_connection_manager}) does, and decide whether it proceeds: the
 * partition filter and RBAC's network filter.
 */
package io.outrigger.filters.network;
