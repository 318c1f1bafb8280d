package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/** {@code RouteAction.cluster_specifier}: which cluster a {@link ClusterRoute} forwards to. */
public sealed interface ClusterSpecifier {

  /** {@code cluster}: always this cluster. */
  record SingleCluster(String name) implements ClusterSpecifier {
    public SingleCluster {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("cluster: empty (expected: a cluster name)");
      }
    }
  }

  /**
   * {@code weighted_clusters}: a cluster picked at random in proportion to its weight.
   *
   * @param clusters at least one; weights sum to 1..4294967295
   */
  record WeightedClusters(List<ClusterWeight> clusters) implements ClusterSpecifier {
    public WeightedClusters {
      clusters = List.copyOf(requireNonNull(clusters, "clusters"));
      if (clusters.isEmpty()) {
        throw new IllegalArgumentException("clusters: empty (expected: at least one cluster)");
      }
      long total = totalWeight(clusters);
      if (total == 0) {
        throw new IllegalArgumentException(
            "clusters: weights sum to 0 (expected: a sum greater than 0)");
      }
      if (total > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "clusters: weights sum to " + total + " (expected: at most 4294967295)");
      }
    }

    /** The sum of the weights. */
    public long totalWeight() {
      return totalWeight(clusters);
    }

    private static long totalWeight(List<ClusterWeight> clusters) {
      long total = 0;
      for (ClusterWeight c : clusters) {
        total += c.weight();
      }
      return total;
    }
  }

  /**
   * {@code weighted_clusters.clusters[]}: one cluster and its weight.
   *
   * @param name the cluster
   * @param weight 0 or more; 0 is never picked
   */
  record ClusterWeight(String name, long weight) {
    public ClusterWeight {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name: empty (expected: a cluster name)");
      }
      if (weight < 0 || weight > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: 0..4294967295)");
      }
    }
  }

  /**
   * {@code cluster_header}: the cluster named by this request header; when it is absent or names no
   * cluster, the request is answered 503.
   *
   * @param headerName lower-case
   */
  record ClusterHeader(String headerName) implements ClusterSpecifier {
    public ClusterHeader {
      requireNonNull(headerName, "headerName");
      if (headerName.isEmpty()) {
        throw new IllegalArgumentException("cluster_header: empty (expected: a header name)");
      }
      headerName = headerName.toLowerCase(Locale.ROOT);
    }
  }
}
