package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;

/**
 * Checks a {@code core.v3.ConfigSource}: Outrigger discovers resources over one aggregated stream
 * (ADS) only, so the one source it accepts is {@code ads: {}}, with {@code resource_api_version}
 * {@code V3} or left at its default.
 */
public final class ConfigSourceTranslator {
  private ConfigSourceTranslator() {}

  /**
   * @param source an {@code eds_config} or an {@code rds.config_source}
   * @param path where it sits, e.g. {@code [0].eds_cluster_config.eds_config}
   * @throws ConfigException when it names another source than ADS or an API version other than V3
   */
  public static void requireAds(ConfigSource source, String path) throws ConfigException {
    SupportedFieldsCheck.check(source, path);
    if (!source.hasAds()) {
      throw ConfigException.at(
          path, "no config source (expected: ads: {}, the aggregated discovery stream)");
    }
    if (source.hasInitialFetchTimeout()) {
      throw ConfigException.at(
          Paths.field(path, "initial_fetch_timeout"),
          "not supported here (only in dynamic_resources.lds_config and cds_config)");
    }
    ApiVersion version = source.getResourceApiVersion();
    if (version != ApiVersion.AUTO && version != ApiVersion.V3) {
      throw ConfigException.at(
          Paths.field(path, "resource_api_version"), version + " not supported (expected: V3)");
    }
  }
}
