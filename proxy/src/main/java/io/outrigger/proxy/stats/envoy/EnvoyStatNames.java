package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;
import io.outrigger.proxy.stats.StatScopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names each of the sidecar's meters as Envoy names the statistic: {@code
 * upstream_rq_total{cluster="b",response_code_class="5xx"}} is {@code cluster.b.upstream_rq_5xx}.
 * The meters stay the one registry; this is the other way of reading them.
 *
 * <p>A meter may have two Envoy names (a listener's connection counters are both {@code
 * listener.<address>.downstream_cx_total} and {@code http.<stat_prefix>.downstream_cx_total}, as
 * Envoy counts them in both scopes), or none (the JVM's meters, which Envoy does not have).
 * Thread-safe; results are cached per meter.
 */
public final class EnvoyStatNames {
  /** The connection manager's statistics among those labelled by listener. */
  private static final Set<String> HTTP =
      Set.of(
          "downstream_rq_active",
          "downstream_rq_time",
          "downstream_rq_header_timeout",
          "downstream_cx_protocol_error",
          "downstream_cx_max_duration_reached",
          "downstream_cx_max_requests_reached",
          "downstream_cx_overload_disable_keepalive");

  private final StatScopes scopes;
  private final Map<Meter.Id, List<StatName>> cache = new ConcurrentHashMap<>();

  public EnvoyStatNames(StatScopes scopes) {
    this.scopes = scopes;
  }

  /** The Envoy names of {@code id}; empty for a meter Envoy has no statistic for. */
  public List<StatName> names(Meter.Id id) {
    List<StatName> names = cache.get(id);
    if (names == null) {
      names = List.copyOf(name(id));
      // Scopes learnt later (a listener's address after its bind) must not be frozen out.
      if (scopesKnown(id)) {
        cache.put(id, names);
      }
    }
    return names;
  }

  private boolean scopesKnown(Meter.Id id) {
    String listener = id.getTag("listener");
    return listener == null || !scopes.listenerAddress(listener).equals(listener);
  }

  private List<StatName> name(Meter.Id id) {
    String n = id.getName();
    if (n.startsWith("jvm.") || n.startsWith("process.") || n.startsWith("system.")) {
      return List.of();
    }
    String cluster = id.getTag("cluster");
    String listener = id.getTag("listener");
    String statPrefix = id.getTag("stat_prefix");
    if (n.startsWith("ssl_") || n.endsWith("_context_secrets_not_ready")) {
      String scope =
          cluster != null
              ? "cluster." + cluster
              : listener != null ? listenerScope(listener) : null;
      return TlsNames.names(id, scope);
    }
    if (cluster != null) {
      return List.of(ClusterNames.name(id, "cluster." + cluster + "."));
    }
    if (listener != null) {
      return listenerNames(id, listener);
    }
    if (statPrefix != null) {
      return List.of(FilterNames.name(id, statPrefix));
    }
    return List.of(OtherNames.name(id));
  }

  private String listenerScope(String listener) {
    return "listener." + scopes.listenerAddress(listener);
  }

  private List<StatName> listenerNames(Meter.Id id, String listener) {
    String n = id.getName();
    String http = "http." + scopes.httpPrefix(listener) + ".";
    String scope = listenerScope(listener) + ".";
    switch (n) {
      case "downstream_cx_total",
          "downstream_cx_destroy",
          "downstream_cx_active",
          "downstream_cx_rx_bytes_total",
          "downstream_cx_tx_bytes_total" -> {
        List<StatName> names = new ArrayList<>(2);
        names.add(StatName.of(scope + n));
        if (scopes.hasHttp(listener)) {
          names.add(StatName.of(http + n));
        }
        return names;
      }
      case "downstream_cx_no_route" -> {
        String tcp = scopes.tcpPrefix(listener);
        return List.of(StatName.of((tcp == null ? scope : "tcp." + tcp + ".") + n));
      }
      case "downstream_rq_total" -> {
        return List.of(StatName.of(http + "downstream_rq_" + id.getTag("response_code_class")));
      }
      case "downstream_rq_started" -> {
        return List.of(StatName.of(http + "downstream_rq_total"));
      }
      case "partition_connections" -> {
        return List.of(
            StatName.of(
                scope + "partition.connections." + id.getTag("action"),
                "peer",
                String.valueOf(id.getTag("peer"))));
      }
      default -> {
        return List.of(StatName.of((HTTP.contains(n) ? http : scope) + n));
      }
    }
  }
}
