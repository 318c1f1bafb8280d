package io.outrigger.proxy.admin;

import io.envoyproxy.envoy.admin.v3.ClusterStatus;
import io.envoyproxy.envoy.admin.v3.Clusters;
import io.envoyproxy.envoy.admin.v3.HostHealthStatus;
import io.envoyproxy.envoy.admin.v3.HostStatus;
import io.envoyproxy.envoy.admin.v3.SimpleMetric;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.type.v3.Percent;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.HealthFlag;
import io.outrigger.proxy.upstream.Host;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /clusters}: every cluster and host with its counters and health, in Envoy's text format
 * ({@code cluster::host::stat::value}) or, with {@code ?format=json}, as Envoy's {@code
 * admin.v3.Clusters}.
 */
final class ClustersView {
  private ClustersView() {}

  static String text(Collection<Cluster> clusters) {
    StringBuilder sb = new StringBuilder();
    for (Cluster c : clusters) {
      sb.append(c.name()).append("::added_via_api::false\n");
      for (Host h : c.hosts().hosts()) {
        String prefix = c.name() + "::" + h.addressString() + "::";
        hostStats(h)
            .forEach((k, v) -> sb.append(prefix).append(k).append("::").append(v).append('\n'));
        sb.append(prefix).append("hostname::").append(h.hostname()).append('\n');
        sb.append(prefix).append("health_flags::").append(healthFlags(h)).append('\n');
        sb.append(prefix).append("success_rate::").append(rate(h.outlier().successRate()));
        sb.append('\n');
        sb.append(prefix).append("local_origin_success_rate::");
        sb.append(rate(h.outlier().localOriginSuccessRate())).append('\n');
        sb.append(prefix).append("weight::").append(h.weight()).append('\n');
      }
    }
    return sb.toString();
  }

  static String json(Collection<Cluster> clusters) {
    Clusters.Builder out = Clusters.newBuilder();
    for (Cluster c : clusters) {
      ClusterStatus.Builder cs = ClusterStatus.newBuilder().setName(c.name()).setAddedViaApi(false);
      for (Host h : c.hosts().hosts()) {
        HostStatus.Builder hs =
            HostStatus.newBuilder()
                .setAddress(address(h))
                .setHostname(h.hostname())
                .setWeight(h.weight())
                .setHealthStatus(
                    HostHealthStatus.newBuilder()
                        .setEdsHealthStatus(HealthStatus.HEALTHY)
                        .setFailedOutlierCheck(h.healthFlag(HealthFlag.FAILED_OUTLIER_CHECK))
                        .setFailedActiveHealthCheck(h.healthFlag(HealthFlag.FAILED_ACTIVE_HC)));
        if (h.outlier().successRate() >= 0) {
          hs.setSuccessRate(Percent.newBuilder().setValue(h.outlier().successRate()));
        }
        if (h.outlier().localOriginSuccessRate() >= 0) {
          hs.setLocalOriginSuccessRate(
              Percent.newBuilder().setValue(h.outlier().localOriginSuccessRate()));
        }
        hostStats(h)
            .forEach(
                (k, v) ->
                    hs.addStats(
                        SimpleMetric.newBuilder()
                            .setName(k)
                            .setValue(v)
                            .setType(
                                k.endsWith("_active")
                                    ? SimpleMetric.Type.GAUGE
                                    : SimpleMetric.Type.COUNTER)));
        cs.addHostStatuses(hs);
      }
      out.addClusterStatuses(cs);
    }
    return ProtoJson.print(out);
  }

  /** Envoy's format: {@code healthy}, or each set flag after a slash. */
  private static String healthFlags(Host h) {
    if (h.healthy()) {
      return "healthy";
    }
    StringBuilder sb = new StringBuilder();
    for (HealthFlag f : HealthFlag.values()) {
      if (h.healthFlag(f)) {
        sb.append('/').append(f.envoyName());
      }
    }
    return sb.toString();
  }

  /** A success rate as Envoy prints it: -1 when there is none. */
  private static String rate(double r) {
    return r < 0 ? "-1" : Double.toString(r);
  }

  private static Map<String, Long> hostStats(Host h) {
    Map<String, Long> stats = new LinkedHashMap<>();
    stats.put("cx_active", h.activeConnections());
    stats.put("cx_connect_fail", h.connectFailures());
    stats.put("cx_total", h.totalConnections());
    stats.put("rq_active", h.activeRequests());
    stats.put("rq_total", h.totalRequests());
    return stats;
  }

  private static Address address(Host h) {
    String ip =
        h.address().getAddress() != null ? h.address().getAddress().getHostAddress() : h.hostname();
    return Address.newBuilder()
        .setSocketAddress(
            SocketAddress.newBuilder().setAddress(ip).setPortValue(h.address().getPort()))
        .build();
  }
}
