package io.outrigger.controlplane.resources;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Optional;

/**
 * The four xDS resource types the control plane serves, in make-before-break order: clusters and
 * their endpoints before the listeners and routes that use them.
 */
public enum ResourceType {
  CLUSTER("clusters", "CDS", Resources.V3.CLUSTER_TYPE_URL, Cluster.class),
  ENDPOINT("endpoints", "EDS", Resources.V3.ENDPOINT_TYPE_URL, ClusterLoadAssignment.class),
  LISTENER("listeners", "LDS", Resources.V3.LISTENER_TYPE_URL, Listener.class),
  ROUTE("routes", "RDS", Resources.V3.ROUTE_TYPE_URL, RouteConfiguration.class);

  private final String pathName;
  private final String xds;
  private final String typeUrl;
  private final Class<? extends Message> protoClass;

  ResourceType(String pathName, String xds, String typeUrl, Class<? extends Message> protoClass) {
    this.pathName = pathName;
    this.xds = xds;
    this.typeUrl = typeUrl;
    this.protoClass = protoClass;
  }

  /** The name in the HTTP API's paths: {@code clusters}, {@code endpoints}, ... */
  public String pathName() {
    return pathName;
  }

  /** The discovery service's short name: {@code CDS}, {@code EDS}, {@code LDS}, {@code RDS}. */
  public String xds() {
    return xds;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** The type of a resource proto. */
  public static ResourceType of(Message resource) {
    for (ResourceType type : values()) {
      if (type.protoClass.isInstance(resource)) {
        return type;
      }
    }
    throw new IllegalArgumentException("not an xDS resource: " + resource.getDescriptorForType());
  }

  /** The type named {@code name} in a path ({@code clusters}) or by its xDS name ({@code CDS}). */
  public static Optional<ResourceType> byName(String name) {
    for (ResourceType type : values()) {
      if (type.pathName.equals(name) || type.xds.equalsIgnoreCase(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The type whose type URL is {@code typeUrl}. */
  public static Optional<ResourceType> byTypeUrl(String typeUrl) {
    for (ResourceType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** A resource's name: {@code name}, or {@code cluster_name} for an assignment. */
  public static String nameOf(Message resource) {
    if (resource instanceof ClusterLoadAssignment assignment) {
      return assignment.getClusterName();
    }
    return (String) resource.getField(resource.getDescriptorForType().findFieldByName("name"));
  }
}
