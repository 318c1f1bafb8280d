package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code CertificateValidationContext} that may lack its {@code trusted_ca}: the {@code
 * default_validation_context} of a {@code combined_validation_context}, or the {@code
 * validation_context} of a Secret. Two parts make a {@link ValidationConfig} by {@link #merge}.
 *
 * @param trustedCa {@code trusted_ca}; empty when this part leaves it to the other
 * @param uriSanMatchers {@code match_typed_subject_alt_names} (URI SANs)
 */
public record ValidationContextPart(
    Optional<DataSourceConfig> trustedCa, List<SanMatcher> uriSanMatchers) {
  public ValidationContextPart {
    requireNonNull(trustedCa, "trustedCa");
    uriSanMatchers = List.copyOf(requireNonNull(uriSanMatchers, "uriSanMatchers"));
  }

  /** No CA, no matchers: what an absent {@code default_validation_context} contributes. */
  public static final ValidationContextPart EMPTY =
      new ValidationContextPart(Optional.empty(), List.of());

  /**
   * Envoy's merge of a combined validation context: the default, then {@code MergeFrom} the secret
   * ({@code dynamic}): a {@code trusted_ca} in the secret replaces the default's, and the SAN
   * matchers are the default's followed by the secret's.
   *
   * @throws IllegalArgumentException when neither part has a {@code trusted_ca}
   */
  public ValidationConfig merge(ValidationContextPart dynamic) {
    DataSourceConfig ca =
        dynamic
            .trustedCa()
            .or(() -> trustedCa)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "validation context: no trusted_ca in the secret nor in"
                            + " default_validation_context"));
    List<SanMatcher> matchers = new ArrayList<>(uriSanMatchers);
    matchers.addAll(dynamic.uriSanMatchers());
    return new ValidationConfig(ca, matchers);
  }
}
