package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * {@code RouteAction.HashPolicy}: one input to the request hash that consistent-hashing load
 * balancers use. Several policies combine in order; a {@link #terminal()} policy that produced a
 * value ends the list.
 */
public sealed interface HashPolicy {
  /** Whether a value from this policy stops the evaluation of the following ones. */
  boolean terminal();

  /** {@code header}: the value(s) of a request header; no value when absent. */
  record Header(String headerName, boolean terminal) implements HashPolicy {
    public Header {
      requireNonNull(headerName, "headerName");
      if (headerName.isEmpty()) {
        throw new IllegalArgumentException("header_name: empty (expected: a header name)");
      }
      headerName = headerName.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code cookie}: the value of an existing request cookie; no value when absent. Generating the
   * cookie ({@code ttl}) is not supported.
   */
  record Cookie(String name, boolean terminal) implements HashPolicy {
    public Cookie {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name: empty (expected: a cookie name)");
      }
    }
  }

  /** {@code connection_properties: {source_ip: true}}: the downstream's IP address. */
  record SourceIp(boolean terminal) implements HashPolicy {}
}
