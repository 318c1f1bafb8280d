package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.proxy.stats.StatScopes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar's meters read as Envoy's statistics: named by {@link EnvoyStatNames}, kept or dropped
 * by the bootstrap's {@code stats_matcher}, tagged by its {@code stats_tags} and Envoy's default
 * tag extractors. Statistics that two meters share a name with (two listeners with one connection
 * manager {@code stat_prefix}) are summed, as Envoy's one counter would have counted both.
 *
 * <p>Thread-safe: each {@link #snapshot()} reads the registry afresh.
 */
public final class EnvoyStats {
  private static final Comparator<EnvoyStat> ORDER =
      Comparator.comparing((EnvoyStat s) -> s.name().name())
          .thenComparing(s -> s.name().labels().toString());

  private final MeterRegistry registry;
  private final EnvoyStatNames names;
  private final StatsFilter filter;
  private final TagProducer tags;

  public EnvoyStats(MeterRegistry registry, StatScopes scopes, StatsConfig config) {
    this.registry = registry;
    this.names = new EnvoyStatNames(scopes);
    this.filter = new StatsFilter(config.matcher());
    this.tags = new TagProducer(config);
  }

  /** Splits dotted names into Envoy's tag-extracted names and tags. */
  public TagProducer tags() {
    return tags;
  }

  /** Every statistic the {@code stats_matcher} keeps, sorted by name. */
  public List<EnvoyStat> snapshot() {
    Map<StatName, EnvoyStat> byName = new LinkedHashMap<>();
    for (Meter meter : registry.getMeters()) {
      List<StatName> statNames = names.names(meter.getId());
      if (statNames.isEmpty()) {
        continue;
      }
      EnvoyStat read = null;
      for (StatName name : statNames) {
        if (!filter.accepts(name.name())) {
          continue;
        }
        if (read == null) {
          read = read(meter, name);
        }
        EnvoyStat stat = new EnvoyStat(name, read.kind(), read.value(), read.histogram());
        byName.merge(name, stat, EnvoyStat::plus);
      }
    }
    List<EnvoyStat> stats = new ArrayList<>(byName.values());
    stats.sort(ORDER);
    return stats;
  }

  private static EnvoyStat read(Meter meter, StatName name) {
    return meter.match(
        g -> new EnvoyStat(name, EnvoyStat.Kind.GAUGE, g.value(), null),
        c -> new EnvoyStat(name, EnvoyStat.Kind.COUNTER, c.count(), null),
        t -> histogram(name, t),
        s -> new EnvoyStat(name, EnvoyStat.Kind.GAUGE, s.count(), null),
        l -> new EnvoyStat(name, EnvoyStat.Kind.GAUGE, l.activeTasks(), null),
        tg -> new EnvoyStat(name, EnvoyStat.Kind.GAUGE, tg.value(), null),
        fc -> new EnvoyStat(name, EnvoyStat.Kind.COUNTER, fc.count(), null),
        ft -> new EnvoyStat(name, EnvoyStat.Kind.COUNTER, ft.count(), null),
        m -> new EnvoyStat(name, EnvoyStat.Kind.GAUGE, first(m), null));
  }

  private static double first(Meter m) {
    var it = m.measure().iterator();
    return it.hasNext() ? it.next().getValue() : 0;
  }

  private static EnvoyStat histogram(StatName name, Timer timer) {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    CountAtBucket[] buckets = snapshot.histogramCounts();
    double[] bounds = new double[buckets.length];
    double[] counts = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
      counts[i] = buckets[i].count();
    }
    HistogramData data =
        new HistogramData(bounds, counts, snapshot.count(), snapshot.total(TimeUnit.MILLISECONDS));
    return new EnvoyStat(name, EnvoyStat.Kind.HISTOGRAM, snapshot.count(), data);
  }
}
