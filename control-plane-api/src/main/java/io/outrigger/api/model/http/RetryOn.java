package io.outrigger.api.model.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The conditions of Envoy's {@code retry_on} (route {@code retry_policy} and the {@code
 * x-envoy-retry-on} request header), by their Envoy token.
 */
public enum RetryOn {
  /** Any 5xx answer, or no answer at all (connect failure, reset, per-try timeout). */
  FIVE_XX("5xx"),
  /** 502, 503 or 504, or no answer at all (connect failure, reset, per-try timeout). */
  GATEWAY_ERROR("gateway-error"),
  /** No answer: connect failure, disconnect or reset, per-try timeout. */
  RESET("reset"),
  /** The connection to the host could not be opened. */
  CONNECT_FAILURE("connect-failure"),
  /** 409 Conflict. */
  RETRIABLE_4XX("retriable-4xx"),
  /** An HTTP/2 upstream reset the stream with REFUSED_STREAM. */
  REFUSED_STREAM("refused-stream"),
  /**
   * A status listed in {@code retriable_status_codes} or {@code x-envoy-retriable-status-codes}.
   */
  RETRIABLE_STATUS_CODES("retriable-status-codes"),
  /** A response header matched by {@code retriable_headers}. */
  RETRIABLE_HEADERS("retriable-headers"),
  /** gRPC status CANCELLED (1) in the response headers. */
  CANCELLED("cancelled"),
  /** gRPC status DEADLINE_EXCEEDED (4). */
  DEADLINE_EXCEEDED("deadline-exceeded"),
  /** gRPC status INTERNAL (13). */
  INTERNAL("internal"),
  /** gRPC status RESOURCE_EXHAUSTED (8). */
  RESOURCE_EXHAUSTED("resource-exhausted"),
  /** gRPC status UNAVAILABLE (14). */
  UNAVAILABLE("unavailable");

  private final String token;

  RetryOn(String token) {
    this.token = token;
  }

  /** The token as Envoy spells it in {@code retry_on}. */
  public String token() {
    return token;
  }

  /** The condition of an Envoy token (trimmed, any case); empty for an unknown one. */
  public static Optional<RetryOn> ofToken(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    for (RetryOn r : values()) {
      if (r.token.equals(t)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
