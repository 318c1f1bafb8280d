/**
 * Access logs: a {@link io.outrigger.proxy.accesslog.LogFormat} compiled once per config, an {@link
 * io.outrigger.proxy.accesslog.AccessLogger} per configured {@code access_log} (filter, format,
 * writer) that formats on the event loop, and one {@link
 * io.outrigger.proxy.accesslog.AccessLogWriter} per path whose own thread does the writing, so that
 * an event loop never waits on a disk.
 */
package io.outrigger.proxy.accesslog;
