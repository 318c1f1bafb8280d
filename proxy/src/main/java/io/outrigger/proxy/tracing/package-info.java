/**
 * Tracing with the OpenTelemetry SDK (see {@code docs/tracing.md}): a {@link
 * io.outrigger.proxy.tracing.HttpTracer} per connection manager, a {@link
 * io.outrigger.proxy.tracing.StreamSpan} (the server span) per downstream request and an {@link
 * io.outrigger.proxy.tracing.AttemptSpan} (a client span) per upstream attempt; W3C and B3
 * propagation; Envoy's sampling; one tracer provider per provider config with a bounded export
 * queue ({@link io.outrigger.proxy.tracing.TracerProviders}). With tracing off the connection
 * manager holds {@link io.outrigger.proxy.tracing.HttpTracer#NONE}, which allocates nothing per
 * request.
 */
package io.outrigger.proxy.tracing;
