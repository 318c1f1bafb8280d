package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.outrigger.api.model.ListenerFilterConfig;
import io.outrigger.api.model.ListenerFilterConfig.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Translates a listener's {@code listener_filters}: {@code original_dst}, {@code tls_inspector} and
 * {@code http_inspector}, each at most once, recognised by the type of its {@code typed_config}.
 */
final class ListenerFilterTranslator {
  private static final String TYPE_PREFIX = "type.googleapis.com/";

  private ListenerFilterTranslator() {}

  /**
   * @param path the listener's path; each filter is {@code listener_filters[i]} under it
   */
  static List<ListenerFilterConfig> translate(List<ListenerFilter> protos, String path)
      throws ConfigException {
    List<ListenerFilterConfig> out = new ArrayList<>();
    Set<Kind> seen = EnumSet.noneOf(Kind.class);
    for (int i = 0; i < protos.size(); i++) {
      String filterPath = Paths.item(path, "listener_filters", i);
      ListenerFilterConfig filter = translate(protos.get(i), filterPath);
      if (!seen.add(filter.kind())) {
        throw ConfigException.at(
            filterPath, filter.kind().typeName() + " appears twice (expected: at most once)");
      }
      out.add(filter);
    }
    return out;
  }

  private static ListenerFilterConfig translate(ListenerFilter proto, String path)
      throws ConfigException {
    String configPath = Paths.field(path, "typed_config");
    if (!proto.hasTypedConfig()) {
      throw ConfigException.at(configPath, "required");
    }
    Any config = proto.getTypedConfig();
    String typeName = config.getTypeUrl().substring(config.getTypeUrl().lastIndexOf('/') + 1);
    try {
      for (Kind kind : Kind.values()) {
        if (kind.typeName().equals(typeName)) {
          SupportedFieldsCheck.check(unpack(kind, config), configPath);
          return new ListenerFilterConfig(proto.getName(), kind);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(configPath, "cannot decode " + typeName + ": " + e.getMessage());
    }
    throw ConfigException.at(
        configPath,
        "listener filter type \""
            + config.getTypeUrl()
            + "\" not supported (supported: "
            + TYPE_PREFIX
            + Kind.ORIGINAL_DST.typeName()
            + ", "
            + TYPE_PREFIX
            + Kind.TLS_INSPECTOR.typeName()
            + ", "
            + TYPE_PREFIX
            + Kind.HTTP_INSPECTOR.typeName()
            + ")");
  }

  private static Message unpack(Kind kind, Any config) throws InvalidProtocolBufferException {
    return switch (kind) {
      case ORIGINAL_DST -> Anys.unpack(config, OriginalDst.class);
      case TLS_INSPECTOR -> Anys.unpack(config, TlsInspector.class);
      case HTTP_INSPECTOR -> Anys.unpack(config, HttpInspector.class);
    };
  }
}
