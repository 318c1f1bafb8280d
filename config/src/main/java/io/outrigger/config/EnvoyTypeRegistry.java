package io.outrigger.config;

import com.github.udpa.udpa.type.v1.TypedStructProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.BootstrapProto;
import io.envoyproxy.envoy.config.route.v3.RouteComponentsProto;
import io.envoyproxy.envoy.config.trace.v3.OpentelemetryProto;
import io.envoyproxy.envoy.config.trace.v3.ZipkinProto;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileProto;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StreamProto;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultProto;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimitProto;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RbacProto;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.RouterProto;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspectorProto;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDstProto;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspectorProto;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimitProto;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagerProto;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxyProto;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsProto;
import io.envoyproxy.envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapProto;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsProto;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptionsProto;
import io.outrigger.api.validation.ProtoTypes;
import java.util.List;

/**
 * The message types a {@code typed_config} ({@code google.protobuf.Any}) may name in a bootstrap.
 *
 * <p>{@link JsonFormat.TypeRegistry.Builder#add} takes each type's whole {@code .proto} file and,
 * recursively, every file it imports, so the registry holds every message reachable from a {@code
 * Bootstrap} and from the filters and cluster protocol options below. A type is known here does not
 * mean it is supported: the translators decide that, and name the type when they refuse it.
 *
 * <p>The types are found in their files' descriptors ({@link ProtoTypes}), not through their
 * generated classes, so that listing a type here does not load its class.
 */
public final class EnvoyTypeRegistry {
  /**
   * Every message type that may appear inside an {@code Any} of a supported config, so that other
   * registries (the admin's {@code /config_dump}) can start from the same list.
   */
  public static final List<Descriptor> TYPES =
      List.of(
          ProtoTypes.message(BootstrapProto.getDescriptor(), "Bootstrap"),
          ProtoTypes.message(TcpProxyProto.getDescriptor(), "TcpProxy"),
          ProtoTypes.message(HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager"),
          ProtoTypes.message(RouterProto.getDescriptor(), "Router"),
          ProtoTypes.message(FaultProto.getDescriptor(), "HTTPFault"),
          ProtoTypes.message(LocalRateLimitProto.getDescriptor(), "LocalRateLimit"),
          ProtoTypes.message(RouteComponentsProto.getDescriptor(), "FilterConfig"),
          ProtoTypes.message(RbacProto.getDescriptor(), "RBAC"),
          ProtoTypes.message(RbacProto.getDescriptor(), "RBACPerRoute"),
          ProtoTypes.message(
              io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RbacProto.getDescriptor(),
              "RBAC"),
          ProtoTypes.message(ConnectionLimitProto.getDescriptor(), "ConnectionLimit"),
          ProtoTypes.message(FixedHeapProto.getDescriptor(), "FixedHeapConfig"),
          ProtoTypes.message(
              DownstreamConnectionsProto.getDescriptor(), "DownstreamConnectionsConfig"),
          ProtoTypes.message(HttpProtocolOptionsProto.getDescriptor(), "HttpProtocolOptions"),
          ProtoTypes.message(OriginalDstProto.getDescriptor(), "OriginalDst"),
          ProtoTypes.message(TlsInspectorProto.getDescriptor(), "TlsInspector"),
          ProtoTypes.message(HttpInspectorProto.getDescriptor(), "HttpInspector"),
          ProtoTypes.message(FileProto.getDescriptor(), "FileAccessLog"),
          ProtoTypes.message(StreamProto.getDescriptor(), "StdoutAccessLog"),
          ProtoTypes.message(StreamProto.getDescriptor(), "StderrAccessLog"),
          ProtoTypes.message(PreviousHostsProto.getDescriptor(), "PreviousHostsPredicate"),
          ProtoTypes.message(TlsProto.getDescriptor(), "DownstreamTlsContext"),
          ProtoTypes.message(TlsProto.getDescriptor(), "UpstreamTlsContext"),
          ProtoTypes.message(OpentelemetryProto.getDescriptor(), "OpenTelemetryConfig"),
          ProtoTypes.message(ZipkinProto.getDescriptor(), "ZipkinConfig"),
          ProtoTypes.message(
              com.github.xds.type.v3.TypedStructProto.getDescriptor(), "TypedStruct"),
          ProtoTypes.message(TypedStructProto.getDescriptor(), "TypedStruct"));

  private static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder().add(TYPES).build();

  private EnvoyTypeRegistry() {}

  /** The shared, immutable registry. */
  public static JsonFormat.TypeRegistry get() {
    return REGISTRY;
  }
}
