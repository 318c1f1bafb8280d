package io.outrigger.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Unpacks the {@code Any}s of a discovery response into messages keyed by resource name. */
final class XdsResources {
  private XdsResources() {}

  /** A response the client refuses before the handler sees it; the message is the NACK's. */
  static final class InvalidResourcesException extends Exception {
    InvalidResourcesException(String message) {
      super(message);
    }
  }

  /** The type whose {@code type_url} this is; empty for a type the client does not know. */
  static Optional<XdsResourceType> typeOf(String typeUrl) {
    for (XdsResourceType type : XdsResourceType.values()) {
      if (type.typeUrl().equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * @return by name, in response order
   * @throws InvalidResourcesException for a resource of another type, one that does not parse, one
   *     without a name, or two of the same name
   */
  static Map<String, Message> decode(XdsResourceType type, List<Any> resources)
      throws InvalidResourcesException {
    Map<String, Message> byName = new LinkedHashMap<>();
    for (int i = 0; i < resources.size(); i++) {
      Any any = resources.get(i);
      String where = type.shortName() + " resources[" + i + "]";
      if (!any.getTypeUrl().equals(type.typeUrl())) {
        throw new InvalidResourcesException(
            where + ": type " + any.getTypeUrl() + " (expected: " + type.typeUrl() + ")");
      }
      Message message = unpack(type, any, where);
      String name = name(type, message);
      if (name.isEmpty()) {
        throw new InvalidResourcesException(where + ": no name");
      }
      if (byName.put(name, message) != null) {
        throw new InvalidResourcesException(where + ": duplicate name \"" + name + "\"");
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  private static Message unpack(XdsResourceType type, Any any, String where)
      throws InvalidResourcesException {
    try {
      return switch (type) {
        case CLUSTER -> Cluster.parseFrom(any.getValue());
        case ENDPOINT -> ClusterLoadAssignment.parseFrom(any.getValue());
        case LISTENER -> Listener.parseFrom(any.getValue());
        case ROUTE -> RouteConfiguration.parseFrom(any.getValue());
        case SECRET -> Secret.parseFrom(any.getValue());
      };
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidResourcesException(where + ": does not parse: " + e.getMessage());
    }
  }

  private static String name(XdsResourceType type, Message message) {
    return switch (type) {
      case CLUSTER -> ((Cluster) message).getName();
      case ENDPOINT -> ((ClusterLoadAssignment) message).getClusterName();
      case LISTENER -> ((Listener) message).getName();
      case ROUTE -> ((RouteConfiguration) message).getName();
      case SECRET -> ((Secret) message).getName();
    };
  }
}
