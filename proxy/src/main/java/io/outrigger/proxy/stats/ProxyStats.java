package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outrigger.filters.stats.FilterMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's statistics, named after Envoy's and exported in Prometheus text format.
 *
 * <p>Envoy's dotted stat names ({@code listener.X.downstream_cx_total}) become one Prometheus name
 * with the scope as a label ({@code downstream_cx_total{listener="X"}}). Meters are created once
 * per listener or cluster at configuration time; the data path only increments them.
 */
public final class ProxyStats implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Map<String, ListenerStats> listeners = new ConcurrentHashMap<>();
  private final Map<String, ListenerFilterStats> listenerFilters = new ConcurrentHashMap<>();
  private final Map<String, ClusterStats> clusters = new ConcurrentHashMap<>();
  private final Map<String, HttpListenerStats> http = new ConcurrentHashMap<>();
  private final FilterMeters filterMeters;
  private final Map<String, OutlierDetectionStats> outlier = new ConcurrentHashMap<>();
  private final Map<String, HealthCheckStats> healthCheck = new ConcurrentHashMap<>();

  public ProxyStats() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.filterMeters = new FilterMeters(registry);
  }

  /** The HTTP filters' meters, shared by every configuration snapshot. */
  public FilterMeters filterMeters() {
    return filterMeters;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Everything in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  /** The statistics of one listener, created on first use and shared after. */
  public ListenerStats listener(String name) {
    return listeners.computeIfAbsent(name, n -> new ListenerStats(registry, n));
  }

  /** The listener filters' statistics of one listener, created on first use and shared after. */
  public ListenerFilterStats listenerFilters(String listener) {
    return listenerFilters.computeIfAbsent(listener, n -> new ListenerFilterStats(registry, n));
  }

  /** The HTTP statistics of one connection manager, by its listener's name. */
  public HttpListenerStats http(String listener) {
    return http.computeIfAbsent(listener, n -> new HttpListenerStats(registry, n));
  }

  /** The statistics of one cluster, created on first use and shared after. */
  public ClusterStats cluster(String name) {
    return clusters.computeIfAbsent(name, n -> new ClusterStats(registry, n));
  }

  /** The outlier-detection statistics of one cluster, created on first use and shared after. */
  public OutlierDetectionStats outlierDetection(String cluster) {
    return outlier.computeIfAbsent(cluster, n -> new OutlierDetectionStats(registry, n));
  }

  /** The active health-check statistics of one cluster, created on first use and shared after. */
  public HealthCheckStats healthCheck(String cluster) {
    return healthCheck.computeIfAbsent(cluster, n -> new HealthCheckStats(registry, n));
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
