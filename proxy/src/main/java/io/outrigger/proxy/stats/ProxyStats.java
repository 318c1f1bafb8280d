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
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.filters.stats.FilterMeters;
import io.outrigger.proxy.stats.envoy.EnvoyStat;
import io.outrigger.proxy.stats.envoy.EnvoyStats;
import io.outrigger.proxy.stats.envoy.HistogramIntervals;
import io.outrigger.proxy.stats.envoy.PrometheusFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The sidecar's statistics: one registry of meters, read in two forms.
 *
 * <p>The meters are Micrometer's, named after Envoy's statistics with the scope as a label ({@code
 * downstream_cx_total{listener="X"}}); that is the Prometheus-idiomatic form ({@link
 * StatsFormat#IDIOMATIC}). {@link #envoy()} reads the same meters as Envoy's statistics ({@code
 * listener.127.0.0.1_10000.downstream_cx_total}), for {@code /stats} and Envoy's Prometheus
 * exposition ({@link StatsFormat#ENVOY}, the default). Meters are created once per listener or
 * cluster at configuration time; the data path only increments them.
 */
public final class ProxyStats implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final StatScopes scopes = new StatScopes();
  private final StatsFormat format;
  private final EnvoyStats envoy;
  private final HistogramIntervals intervals;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Map<String, ListenerStats> listeners = new ConcurrentHashMap<>();
  private final Map<String, ListenerFilterStats> listenerFilters = new ConcurrentHashMap<>();
  private final Map<String, ClusterStats> clusters = new ConcurrentHashMap<>();
  private final Map<Scope, HttpConnectionManagerStats> http = new ConcurrentHashMap<>();
  private final Map<Scope, TcpProxyStats> tcp = new ConcurrentHashMap<>();
  private final FilterMeters filterMeters;
  private final Map<String, OutlierDetectionStats> outlier = new ConcurrentHashMap<>();
  private final Map<String, HealthCheckStats> healthCheck = new ConcurrentHashMap<>();

  /** Envoy's exposition and default {@code stats_config}. */
  public ProxyStats() {
    this(StatsConfig.DEFAULT, StatsFormat.ENVOY, System::nanoTime);
  }

  /**
   * @param config the bootstrap's {@code stats_config}
   * @param format what {@link #scrape()} writes
   * @param nanoClock for the histograms' flush intervals
   */
  public ProxyStats(StatsConfig config, StatsFormat format, LongSupplier nanoClock) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.format = format;
    this.envoy = new EnvoyStats(registry, scopes, config);
    this.intervals = new HistogramIntervals(nanoClock, HistogramIntervals.FLUSH_INTERVAL);
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

  /** What {@code /stats/prometheus} writes: Envoy's exposition, or the idiomatic one. */
  public String scrape() {
    return format == StatsFormat.ENVOY ? scrapeEnvoy(s -> true, true) : scrapeIdiomatic();
  }

  public StatsFormat format() {
    return format;
  }

  /** The Prometheus-idiomatic exposition of every meter. */
  public String scrapeIdiomatic() {
    return registry.scrape();
  }

  /**
   * Envoy's exposition of the statistics {@code keep} keeps.
   *
   * @param jvm then the JVM's meters, which Envoy does not have, as they are in the idiomatic form
   */
  public String scrapeEnvoy(Predicate<EnvoyStat> keep, boolean jvm) {
    String envoyForm = PrometheusFormat.render(envoy.snapshot(), envoy.tags(), keep);
    return jvm ? envoyForm + JvmMeters.only(registry.scrape()) : envoyForm;
  }

  /** The meters read as Envoy's statistics. */
  public EnvoyStats envoy() {
    return envoy;
  }

  /** The histograms' last flush interval, for {@code /stats}. */
  public HistogramIntervals intervals() {
    return intervals;
  }

  /** Where Envoy's names find a listener's address and its filters' prefixes. */
  public StatScopes scopes() {
    return scopes;
  }

  /**
   * Registers Envoy's {@code server.*} gauges.
   *
   * @param live whether the server is LIVE
   * @param state Envoy's state number: 0 LIVE, 1 DRAINING, 2 PRE_INITIALIZING, 3 INITIALIZING
   */
  public void registerServer(
      BooleanSupplier live, IntSupplier state, int concurrency, LongSupplier nanoClock) {
    ServerStats.register(registry, live, state, concurrency, nanoClock);
  }

  /** The statistics of one listener, created on first use and shared after. */
  public ListenerStats listener(String name) {
    return listeners.computeIfAbsent(name, n -> new ListenerStats(registry, n));
  }

  /** The listener filters' statistics of one listener, created on first use and shared after. */
  public ListenerFilterStats listenerFilters(String listener) {
    return listenerFilters.computeIfAbsent(listener, n -> new ListenerFilterStats(registry, n));
  }

  /**
   * The statistics of listener {@code listener}'s HTTP connection managers whose {@code
   * stat_prefix} is {@code statPrefix}, created on first use and shared after (by the filter chains
   * with that prefix, and by later versions of the listener).
   */
  public HttpConnectionManagerStats http(String listener, String statPrefix) {
    return http.computeIfAbsent(
        new Scope(listener, statPrefix),
        s -> new HttpConnectionManagerStats(registry, s.listener(), s.statPrefix()));
  }

  /** The statistics of listener {@code listener}'s {@code tcp_proxy}s with {@code statPrefix}. */
  public TcpProxyStats tcpProxy(String listener, String statPrefix) {
    return tcp.computeIfAbsent(
        new Scope(listener, statPrefix),
        s -> new TcpProxyStats(registry, s.listener(), s.statPrefix()));
  }

  /** A filter's statistics scope: its {@code stat_prefix} in one listener. */
  private record Scope(String listener, String statPrefix) {}

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
