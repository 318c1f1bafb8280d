package io.outrigger.config;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * The message types a {@code typed_config} ({@code google.protobuf.Any}) may name in a bootstrap.
 *
 * <p>{@link JsonFormat.TypeRegistry.Builder#add} takes each type's whole {@code .proto} file and,
 * recursively, every file it imports, so the registry holds every message reachable from a {@code
 * Bootstrap} and from the filters and cluster protocol options below. A type is known here does not
 * mean it is supported: the translators decide that, and name the type when they refuse it.
 */
public final class EnvoyTypeRegistry {
  /**
   * Every message type that may appear inside an {@code Any} of a supported config, so that other
   * registries (the admin's {@code /config_dump}) can start from the same list.
   */
  public static final List<Descriptor> TYPES =
      List.of(
          Bootstrap.getDescriptor(),
          TcpProxy.getDescriptor(),
          HttpConnectionManager.getDescriptor(),
          Router.getDescriptor(),
          HTTPFault.getDescriptor(),
          LocalRateLimit.getDescriptor(),
          FilterConfig.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3
              .DownstreamConnectionsConfig.getDescriptor(),
          HttpProtocolOptions.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDescriptor(),
          io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
              .getDescriptor(),
          io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor(),
          io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor(),
          com.github.xds.type.v3.TypedStruct.getDescriptor(),
          TypedStruct.getDescriptor());

  private static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder().add(TYPES).build();

  private EnvoyTypeRegistry() {}

  /** The shared, immutable registry. */
  public static JsonFormat.TypeRegistry get() {
    return REGISTRY;
  }
}
