package io.outrigger.cli.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.outrigger.cli.iptables.InterceptOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code examples/interception/sidecar.yaml} is Envoy's v3 API to the letter (every field and
 * {@code @type} bound strictly by protobuf's own JSON parser, as Envoy would read it), and its
 * listeners sit on the ports {@code outrigger iptables} redirects to by default. Whether the
 * sidecar accepts it is the proxy's side of issue 16.
 */
class InterceptionSampleTest {
  private static final Path SAMPLE =
      Path.of(System.getProperty("outrigger.home", ".."), "examples/interception/sidecar.yaml");

  @Test
  void sampleIsAnEnvoyV3BootstrapOnTheDefaultInterceptionPorts() throws Exception {
    Object yaml = new Yaml().load(Files.readString(SAMPLE));
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                .add(OriginalDst.getDescriptor())
                .add(TlsInspector.getDescriptor())
                .add(HttpInspector.getDescriptor())
                .add(HttpConnectionManager.getDescriptor())
                .add(Router.getDescriptor())
                .add(TcpProxy.getDescriptor())
                .build())
        .merge(new Gson().toJson(yaml), bootstrap);

    Listener outbound = bootstrap.getStaticResources().getListeners(0);
    assertThat(outbound.getAddress().getSocketAddress().getPortValue())
        .isEqualTo(InterceptOptions.DEFAULT_OUTBOUND_PORT);
    assertThat(outbound.getUseOriginalDst().getValue()).isTrue();
    assertThat(outbound.getListenerFilters(0).getName())
        .isEqualTo("envoy.filters.listener.original_dst");

    Listener inbound = bootstrap.getStaticResources().getListeners(1);
    assertThat(inbound.getAddress().getSocketAddress().getPortValue())
        .isEqualTo(InterceptOptions.DEFAULT_INBOUND_PORT);
    assertThat(inbound.getListenerFiltersList())
        .extracting(f -> f.getName())
        .containsExactly(
            "envoy.filters.listener.original_dst",
            "envoy.filters.listener.tls_inspector",
            "envoy.filters.listener.http_inspector");

    Cluster passthrough = bootstrap.getStaticResources().getClusters(0);
    assertThat(passthrough.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(passthrough.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
  }
}
