package io.outrigger.config;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * The message types a {@code typed_config} ({@code google.protobuf.Any}) may name in a bootstrap.
 *
 * <p>{@link JsonFormat.TypeRegistry.Builder#add} takes each type's whole {@code .proto} file and,
 * recursively, every file it imports, so the registry holds every message reachable from a {@code
 * Bootstrap} and from the filters and cluster protocol options below. A type is known here does not
 * mean it is supported: the translators decide that, and name the type when they refuse it.
 */
public final class EnvoyTypeRegistry {
  private static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder()
          .add(Bootstrap.getDescriptor())
          .add(TcpProxy.getDescriptor())
          .add(HttpConnectionManager.getDescriptor())
          .add(Router.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(com.github.xds.type.v3.TypedStruct.getDescriptor())
          .add(TypedStruct.getDescriptor())
          .build();

  private EnvoyTypeRegistry() {}

  /** The shared, immutable registry. */
  public static JsonFormat.TypeRegistry get() {
    return REGISTRY;
  }
}
