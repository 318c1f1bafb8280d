package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;
import io.outrigger.proxy.stats.StatScopes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names each of the sidecar's meters as Envoy names the statistic: {@code
 * upstream_rq_total{cluster="b",response_code_class="5xx"}} is {@code cluster.b.upstream_rq_5xx}.
 * The meters stay the one registry; this is the other way of reading them.
 *
 * <p>A meter has one Envoy name, or none (the JVM's meters, which Envoy does not have). Meters
 * labelled {@code listener} are in the listener's scope, {@code listener.<address>.}, but for the
 * TLS and HTTP inspectors', which Envoy keeps at the top ({@code tls_inspector.sni_found}); those
 * labelled {@code listener} and {@code stat_prefix} are a connection manager's ({@code
 * http.<stat_prefix>.}) or a {@code tcp_proxy}'s ({@code tcp.<stat_prefix>.}), one per {@code
 * stat_prefix} whatever listener or filter chain counted them. Thread-safe; results are cached per
 * meter.
 */
public final class EnvoyStatNames {
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
    if (listener != null && statPrefix != null) {
      return List.of(prefixed(id, statPrefix));
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
    if (n.startsWith("tls_inspector.") || n.startsWith("http_inspector.")) {
      // Envoy's listener filters count in the server's scope, every listener together.
      return List.of(StatName.of(n));
    }
    String scope = listenerScope(listener) + ".";
    if (n.equals("partition_connections")) {
      return List.of(
          StatName.of(
              scope + "partition.connections." + id.getTag("action"),
              "peer",
              String.valueOf(id.getTag("peer"))));
    }
    return List.of(StatName.of(scope + n));
  }

  /**
   * A statistic of a connection manager ({@code http.<stat_prefix>.}) or of a {@code tcp_proxy}
   * ({@code tcp.<stat_prefix>.}): its scope is its prefix, whatever listener it is in.
   */
  private static StatName prefixed(Meter.Id id, String statPrefix) {
    String n = id.getName();
    if (n.equals("downstream_cx_no_route")) {
      return StatName.of("tcp." + statPrefix + "." + n);
    }
    String http = "http." + statPrefix + ".";
    return switch (n) {
      case "downstream_rq_total" ->
          StatName.of(http + "downstream_rq_" + id.getTag("response_code_class"));
      case "downstream_rq_started" -> StatName.of(http + "downstream_rq_total");
      default ->
          StatName.of(
              http + (n.startsWith("http_downstream_cx_") ? n.substring("http_".length()) : n));
    };
  }
}
