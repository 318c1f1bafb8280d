package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * A validation context that comes from a Secret: {@code validation_context_sds_secret_config}
 * alone, or a {@code combined_validation_context} whose {@code default_validation_context} is
 * merged with the secret ({@link ValidationContextPart#merge}).
 *
 * @param secret the Secret carrying a {@code validation_context}
 * @param defaults {@code default_validation_context}; {@link ValidationContextPart#EMPTY} without
 *     one
 */
public record SdsValidationConfig(SdsSecretConfig secret, ValidationContextPart defaults) {
  public SdsValidationConfig {
    requireNonNull(secret, "secret");
    requireNonNull(defaults, "defaults");
  }
}
