/**
 * Access log configuration ({@code envoy.config.accesslog.v3.AccessLog} on the HTTP connection
 * manager and on {@code tcp_proxy}): where lines go, their format (parsed and checked once, at
 * config time) and which streams are logged.
 */
package io.outrigger.api.model.accesslog;
