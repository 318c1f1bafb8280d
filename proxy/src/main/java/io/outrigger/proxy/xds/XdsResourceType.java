package io.outrigger.proxy.xds;

import com.google.protobuf.Descriptors.Descriptor;
import io.envoyproxy.envoy.config.cluster.v3.ClusterProto;
import io.envoyproxy.envoy.config.endpoint.v3.EndpointProto;
import io.envoyproxy.envoy.config.listener.v3.ListenerProto;
import io.envoyproxy.envoy.config.route.v3.RouteProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SecretProto;
import io.outrigger.api.validation.ProtoTypes;

/**
 * The xDS v3 resource types the sidecar subscribes to over its aggregated stream, in the order a
 * change is applied (make-before-break: clusters and endpoints before the listeners and routes that
 * use them).
 */
public enum XdsResourceType {
  CLUSTER(ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster"), "CDS", true),
  ENDPOINT(
      ProtoTypes.message(EndpointProto.getDescriptor(), "ClusterLoadAssignment"), "EDS", false),
  LISTENER(ProtoTypes.message(ListenerProto.getDescriptor(), "Listener"), "LDS", true),
  ROUTE(ProtoTypes.message(RouteProto.getDescriptor(), "RouteConfiguration"), "RDS", false),
  SECRET(ProtoTypes.message(SecretProto.getDescriptor(), "Secret"), "SDS", false);

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
