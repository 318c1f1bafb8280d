package io.outrigger.proxy.xds;

import com.google.protobuf.Descriptors.Descriptor;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * The xDS v3 resource types the sidecar subscribes to over its aggregated stream, in the order a
 * change is applied (make-before-break: clusters and endpoints before the listeners and routes that
 * use them).
 */
public enum XdsResourceType {
  CLUSTER(Cluster.getDescriptor(), "CDS", true),
  ENDPOINT(ClusterLoadAssignment.getDescriptor(), "EDS", false),
  LISTENER(Listener.getDescriptor(), "LDS", true),
  ROUTE(RouteConfiguration.getDescriptor(), "RDS", false),
  SECRET(Secret.getDescriptor(), "SDS", false);

  private final Descriptor descriptor;
  private final String shortName;
  private final boolean wildcard;

  XdsResourceType(Descriptor descriptor, String shortName, boolean wildcard) {
    this.descriptor = descriptor;
    this.shortName = shortName;
    this.wildcard = wildcard;
  }

  /** {@code type.googleapis.com/envoy.config.cluster.v3.Cluster} and so on. */
  public String typeUrl() {
    return "type.googleapis.com/" + descriptor.getFullName();
  }

  public Descriptor descriptor() {
    return descriptor;
  }

  /** CDS, EDS, LDS, RDS or SDS, as metrics and logs name them. */
  public String shortName() {
    return shortName;
  }

  /**
   * Whether the sidecar asks for all resources of the type (CDS, LDS) rather than for names it
   * learned from other resources (EDS from clusters, RDS from listeners, SDS from TLS contexts).
   */
  public boolean wildcard() {
    return wildcard;
  }
}
