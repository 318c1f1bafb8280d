package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Where one resource type of the discovery stream stands, for {@code /config_dump} and tests.
 *
 * @param version the last accepted {@code version_info}; empty before the first accepted response
 * @param lastUpdated when the last response was accepted (the client's clock); empty before
 * @param lastError the {@code error_detail} of the last NACK; empty when none, or since the next
 *     accepted response (as Envoy's {@code error_state})
 * @param lastErrorAt when that NACK was sent
 */
public record TypeStatus(
    String version,
    Optional<Instant> lastUpdated,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt) {
  public static final TypeStatus NONE =
      new TypeStatus("", Optional.empty(), Optional.empty(), Optional.empty());

  public TypeStatus {
    requireNonNull(version, "version");
    requireNonNull(lastUpdated, "lastUpdated");
    requireNonNull(lastError, "lastError");
    requireNonNull(lastErrorAt, "lastErrorAt");
  }

  TypeStatus accepted(String newVersion, Instant at) {
    return new TypeStatus(newVersion, Optional.of(at), Optional.empty(), Optional.empty());
  }

  TypeStatus rejected(String error, Instant at) {
    return new TypeStatus(version, lastUpdated, Optional.of(error), Optional.of(at));
  }
}
