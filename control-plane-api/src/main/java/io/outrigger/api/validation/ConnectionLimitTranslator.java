package io.outrigger.api.validation;

import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit;
import io.outrigger.api.model.ConnectionLimitFilterConfig;
import java.time.Duration;

/** Translates {@code envoy.filters.network.connection_limit} into its model. */
final class ConnectionLimitTranslator {
  private ConnectionLimitTranslator() {}

  static ConnectionLimitFilterConfig translate(String name, ConnectionLimit proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getStatPrefix().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "stat_prefix"), "required");
    }
    if (!proto.hasMaxConnections()) {
      throw ConfigException.at(Paths.field(path, "max_connections"), "required");
    }
    Duration delay =
        proto.hasDelay()
            ? ProtoValues.duration(proto.getDelay(), Paths.field(path, "delay"))
            : Duration.ZERO;
    try {
      return new ConnectionLimitFilterConfig(
          name.isEmpty() ? ConnectionLimitFilterConfig.FILTER_NAME : name,
          proto.getStatPrefix(),
          proto.getMaxConnections().getValue(),
          delay);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
