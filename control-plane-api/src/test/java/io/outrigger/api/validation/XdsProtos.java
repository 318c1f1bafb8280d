package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

/** Small valid xDS resources (EDS clusters, assignments, RDS listeners) for translator tests. */
final class XdsProtos {
  private XdsProtos() {}

  static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
  }

  static Cluster.Builder edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()));
  }

  static ClusterLoadAssignment assignment(String name, String... hosts) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String host : hosts) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(Endpoint.newBuilder().setAddress(Protos.address(host, 8080))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build();
  }

  static HttpConnectionManager rdsHcm(String routeConfigName) {
    return HttpProtos.hcm()
        .clearRouteConfig()
        .setRds(Rds.newBuilder().setRouteConfigName(routeConfigName).setConfigSource(ads()))
        .build();
  }
}
