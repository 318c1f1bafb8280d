package io.outrigger.controlplane;

import io.outrigger.api.validation.ConfigException;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of the last read of the resource folder: the {@code config} section of {@code GET
 * /v1/status}. A refused folder leaves the last good snapshot published.
 *
 * @param error the refusal of the last read, when it was refused
 * @param lastAttempt when the folder was last read
 * @param lastGood when it was last read and published without error
 */
public record ConfigStatus(
    Optional<ConfigException> error, Instant lastAttempt, Optional<Instant> lastGood) {

  /** Whether the last read was published. */
  public boolean ok() {
    return error.isEmpty();
  }
}
