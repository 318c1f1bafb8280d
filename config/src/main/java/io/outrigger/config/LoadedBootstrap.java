package io.outrigger.config;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.outrigger.api.model.BootstrapConfig;

/**
 * A bootstrap file read, validated and translated.
 *
 * @param source the file name as the user gave it, for messages
 * @param proto the bootstrap as Envoy's proto, after {@code ${VAR}} substitution; what {@code
 *     /config_dump} shows
 * @param config the validated runtime model the data plane starts from
 */
public record LoadedBootstrap(String source, Bootstrap proto, BootstrapConfig config) {
  public LoadedBootstrap {
    requireNonNull(source, "source");
    requireNonNull(proto, "proto");
    requireNonNull(config, "config");
  }
}
