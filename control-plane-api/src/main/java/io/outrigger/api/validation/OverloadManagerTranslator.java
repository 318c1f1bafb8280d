package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.overload.v3.Trigger;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig;
import io.outrigger.api.model.overload.FixedHeapMonitorConfig;
import io.outrigger.api.model.overload.OverloadAction;
import io.outrigger.api.model.overload.OverloadActionConfig;
import io.outrigger.api.model.overload.OverloadManagerConfig;
import io.outrigger.api.model.overload.OverloadTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Translates the bootstrap's {@code overload_manager} into {@link OverloadManagerConfig}. */
final class OverloadManagerTranslator {
  static final String GLOBAL_CONNECTIONS =
      "envoy.resource_monitors.global_downstream_max_connections";
  private static final String PATH = "overload_manager";

  private OverloadManagerTranslator() {}

  static OverloadManagerConfig translate(OverloadManager proto) throws ConfigException {
    Duration refresh =
        proto.hasRefreshInterval()
            ? ProtoValues.duration(
                proto.getRefreshInterval(), Paths.field(PATH, "refresh_interval"))
            : OverloadManagerConfig.DEFAULT_REFRESH_INTERVAL;
    Optional<FixedHeapMonitorConfig> heap = Optional.empty();
    Optional<Long> maxConnections = Optional.empty();
    for (int i = 0; i < proto.getResourceMonitorsCount(); i++) {
      String path = Paths.item(PATH, "resource_monitors", i);
      ResourceMonitor monitor = proto.getResourceMonitors(i);
      String name = monitor.getName();
      if (name.equals(FixedHeapMonitorConfig.NAME) && heap.isEmpty()) {
        FixedHeapConfig config = unpack(monitor, FixedHeapConfig.class, path);
        heap =
            Optional.of(
                model(() -> new FixedHeapMonitorConfig(config.getMaxHeapSizeBytes()), path));
      } else if (name.equals(GLOBAL_CONNECTIONS) && maxConnections.isEmpty()) {
        DownstreamConnectionsConfig config =
            unpack(monitor, DownstreamConnectionsConfig.class, path);
        maxConnections = Optional.of(config.getMaxActiveDownstreamConnections());
      } else if (name.equals(FixedHeapMonitorConfig.NAME) || name.equals(GLOBAL_CONNECTIONS)) {
        throw ConfigException.at(Paths.field(path, "name"), "\"" + name + "\" appears twice");
      } else {
        throw ConfigException.at(
            Paths.field(path, "name"),
            "resource monitor \""
                + name
                + "\" not supported (supported: "
                + FixedHeapMonitorConfig.NAME
                + ", "
                + GLOBAL_CONNECTIONS
                + ")");
      }
    }
    List<OverloadActionConfig> actions = new ArrayList<>();
    for (int i = 0; i < proto.getActionsCount(); i++) {
      actions.add(action(proto.getActions(i), Paths.item(PATH, "actions", i), heap.isPresent()));
    }
    Optional<FixedHeapMonitorConfig> h = heap;
    Optional<Long> m = maxConnections;
    return model(() -> new OverloadManagerConfig(refresh, h, m, actions), PATH);
  }

  private static OverloadActionConfig action(
      io.envoyproxy.envoy.config.overload.v3.OverloadAction proto, String path, boolean heap)
      throws ConfigException {
    OverloadAction action =
        OverloadAction.byEnvoyName(proto.getName())
            .orElseThrow(
                () ->
                    ConfigException.at(
                        Paths.field(path, "name"),
                        "overload action \""
                            + proto.getName()
                            + "\" not supported (supported: "
                            + Arrays.stream(OverloadAction.values())
                                .map(OverloadAction::envoyName)
                                .collect(Collectors.joining(", "))
                            + ")"));
    List<OverloadTrigger> triggers = new ArrayList<>();
    for (int i = 0; i < proto.getTriggersCount(); i++) {
      triggers.add(trigger(proto.getTriggers(i), Paths.item(path, "triggers", i), heap));
    }
    return model(() -> new OverloadActionConfig(action, triggers), path);
  }

  private static OverloadTrigger trigger(Trigger proto, String path, boolean heap)
      throws ConfigException {
    String name = proto.getName();
    if (name.equals(GLOBAL_CONNECTIONS)) {
      throw ConfigException.at(
          Paths.field(path, "name"),
          GLOBAL_CONNECTIONS
              + " is a proactive monitor: it limits connections itself and cannot"
              + " trigger an action");
    }
    if (!name.equals(FixedHeapMonitorConfig.NAME) || !heap) {
      throw ConfigException.at(
          Paths.field(path, "name"),
          "\""
              + name
              + "\" names no configured resource monitor (expected: "
              + FixedHeapMonitorConfig.NAME
              + ", configured in resource_monitors)");
    }
    return switch (proto.getTriggerOneofCase()) {
      case THRESHOLD ->
          model(() -> new OverloadTrigger.Threshold(proto.getThreshold().getValue()), path);
      case SCALED ->
          model(
              () ->
                  new OverloadTrigger.Scaled(
                      proto.getScaled().getScalingThreshold(),
                      proto.getScaled().getSaturationThreshold()),
              path);
      default -> throw ConfigException.at(path, "threshold or scaled is required");
    };
  }

  private static <T extends Message> T unpack(ResourceMonitor monitor, Class<T> type, String path)
      throws ConfigException {
    String configPath = Paths.field(path, "typed_config");
    Any any = monitor.getTypedConfig();
    if (!monitor.hasTypedConfig() || !Anys.is(any, type)) {
      throw ConfigException.at(
          configPath, "required: a " + type.getSimpleName() + " for " + monitor.getName());
    }
    try {
      T config = Anys.unpack(any, type);
      SupportedFieldsCheck.check(config, configPath);
      return config;
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(configPath, "cannot decode: " + e.getMessage());
    }
  }

  /** A model constructor whose refusal names its field under {@code path}. */
  private interface ModelCall<T> {
    T make();
  }

  private static <T> T model(ModelCall<T> call, String path) throws ConfigException {
    try {
      return call.make();
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
