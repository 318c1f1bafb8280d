package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Envoy's {@code dynamic_resources}: listeners and clusters discovered over one aggregated stream.
 *
 * @param ads where the stream goes
 * @param cds {@code cds_config}; empty means clusters are not discovered (only the static ones)
 * @param lds {@code lds_config}; empty means listeners are not discovered
 */
public record DynamicResourcesConfig(
    AdsConfig ads, Optional<AdsSourceConfig> cds, Optional<AdsSourceConfig> lds) {

  public DynamicResourcesConfig {
    requireNonNull(ads, "ads");
    requireNonNull(cds, "cds");
    requireNonNull(lds, "lds");
  }
}
