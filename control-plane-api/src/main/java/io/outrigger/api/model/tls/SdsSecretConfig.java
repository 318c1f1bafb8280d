package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code SdsSecretConfig}: a TLS certificate or validation context named, not written out.
 *
 * @param name {@code name}, required: the Secret's name
 * @param ads where the secret comes from: {@code true} for {@code sds_config: {ads: {}}} (a Secret
 *     resource on the aggregated discovery stream); {@code false} when {@code sds_config} is absent
 *     (a secret of the bootstrap's {@code static_resources.secrets}, as in Envoy)
 */
public record SdsSecretConfig(String name, boolean ads) {
  public SdsSecretConfig {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: the secret's name)");
    }
  }

  /** {@code ads:default} or {@code static:default}, for logs and metric labels. */
  public String describe() {
    return (ads ? "sds:" : "static:") + name;
  }
}
