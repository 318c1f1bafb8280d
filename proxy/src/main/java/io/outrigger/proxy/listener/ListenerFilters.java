package io.outrigger.proxy.listener;

import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.ListenerFilterConfig;
import io.outrigger.proxy.listener.filter.HttpInspector;
import io.outrigger.proxy.listener.filter.ListenerFilter;
import io.outrigger.proxy.listener.filter.OriginalDestinationReader;
import io.outrigger.proxy.listener.filter.OriginalDstFilter;
import io.outrigger.proxy.listener.filter.TlsInspector;
import io.outrigger.proxy.stats.ListenerFilterStats;
import io.outrigger.proxy.transport.RawSocketOptions;
import io.outrigger.proxy.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a listener version's {@link ListenerFilter}s from its {@code listener_filters}. */
final class ListenerFilters {
  private static final Logger log = LoggerFactory.getLogger(ListenerFilters.class);

  private ListenerFilters() {}

  /**
   * The configured filters in order. A listener that configures none but has a chain matching on
   * server names, transport protocol or application protocols gets a TLS inspector, as Outrigger
   * listeners always had one built in (Envoy once injected it the same way); configure {@code
   * listener_filters} to choose exactly.
   *
   * @param statsOfListener the listener's filter counters, registered only when a filter needs them
   */
  static List<ListenerFilter> create(
      ListenerConfig config,
      Supplier<ListenerFilterStats> statsOfListener,
      OriginalDestinationReader reader,
      Transport transport) {
    List<ListenerFilter> out = new ArrayList<>();
    boolean implicitTls =
        config.listenerFilters().isEmpty()
            && config.allFilterChains().stream()
                .map(FilterChainConfig::match)
                .anyMatch(m -> m.needsInspection());
    if (config.listenerFilters().isEmpty() && !implicitTls) {
      return out; // no counters registered for a listener without listener filters
    }
    ListenerFilterStats stats = statsOfListener.get();
    if (implicitTls) {
      out.add(new TlsInspector(stats));
      return out;
    }
    for (ListenerFilterConfig f : config.listenerFilters()) {
      out.add(
          switch (f.kind()) {
            case ORIGINAL_DST -> originalDst(config, stats, reader, transport);
            case TLS_INSPECTOR -> new TlsInspector(stats);
            case HTTP_INSPECTOR -> new HttpInspector(stats);
          });
    }
    return out;
  }

  private static ListenerFilter originalDst(
      ListenerConfig config,
      ListenerFilterStats stats,
      OriginalDestinationReader reader,
      Transport transport) {
    String unavailable = RawSocketOptions.unavailableOn(transport);
    if (unavailable != null && reader == OriginalDestinationReader.SOCKET) {
      log.warn(
          "listener {}: original_dst cannot read SO_ORIGINAL_DST on {}: {}; every connection is"
              + " closed and counted in original_dst.read_error",
          config.name(),
          transport,
          unavailable);
    }
    return new OriginalDstFilter(reader, stats);
  }
}
