package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

class EnvoyTypeRegistryTest {
  @Test
  void listsTheTypesTheGeneratedClassesDescribe() {
    // The list names its types by file and name; this pins the names to the generated classes.
    assertThat(EnvoyTypeRegistry.TYPES)
        .containsExactly(
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
            com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor());
    for (Descriptor type : EnvoyTypeRegistry.TYPES) {
      assertThat(EnvoyTypeRegistry.get().find(type.getFullName())).isSameAs(type);
    }
  }
}
