package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/** Small valid protos for translator tests; each test changes the one thing it is about. */
final class Protos {
  private Protos() {}

  static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  static TcpProxy tcpProxy(String cluster) {
    return TcpProxy.newBuilder().setStatPrefix("tcp").setCluster(cluster).build();
  }

  static Filter tcpProxyFilter(String cluster) {
    return Filter.newBuilder()
        .setName("envoy.filters.network.tcp_proxy")
        .setTypedConfig(Any.pack(tcpProxy(cluster)))
        .build();
  }

  static Listener.Builder listener(String name, String cluster) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address("127.0.0.1", 10000))
        .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxyFilter(cluster)));
  }

  static Cluster.Builder cluster(String name, String... hosts) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String host : hosts) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(Endpoint.newBuilder().setAddress(address(host, 8080))));
    }
    return Cluster.newBuilder()
        .setName(name)
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality));
  }

  static Duration seconds(long seconds, int nanos) {
    return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }
}
