/**
 * The connection manager's {@code tracing} block: sampling, custom tags and the OpenTelemetry
 * provider that exports spans over OTLP. Immutable records; see {@code docs/tracing.md}.
 */
package io.outrigger.api.model.tracing;
