package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.outrigger.api.model.ClusterLoadAssignmentConfig;
import io.outrigger.api.model.DiscoveryType;

/**
 * Translates an EDS resource, {@code endpoint.v3.ClusterLoadAssignment}, into {@link
 * ClusterLoadAssignmentConfig}. The supported fields are those of a cluster's {@code
 * load_assignment}; hosts are IP literals (EDS resolves no names), and {@code cluster_name}, the
 * resource's name, is required.
 */
public final class ClusterLoadAssignmentTranslator {
  private ClusterLoadAssignmentTranslator() {}

  /**
   * @param proto an EDS resource
   * @param path where it sits, e.g. {@code [2]} for the third resource of a file
   */
  public static ClusterLoadAssignmentConfig translate(ClusterLoadAssignment proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getClusterName().isEmpty()) {
      throw ConfigException.at(
          Paths.field(path, "cluster_name"),
          "required (expected: the EDS service name of a cluster, the resource's name)");
    }
    try {
      return new ClusterLoadAssignmentConfig(
          proto.getClusterName(), ClusterTranslator.endpoints(proto, path, DiscoveryType.EDS));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
