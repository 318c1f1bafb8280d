package io.outrigger.controlplane.auth;

import java.util.Optional;

/** The token of an {@code authorization: Bearer TOKEN} header or gRPC metadata entry. */
public final class Bearer {
  /** The header and metadata key, lower case as gRPC wants it. */
  public static final String HEADER = "authorization";

  private Bearer() {}

  /** The token, when {@code value} is {@code Bearer TOKEN} (scheme case-insensitive). */
  public static Optional<String> token(String value) {
    if (value == null || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = value.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
