package io.outrigger.proxy.stats.envoy;

import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.stats.StatsMatcherConfig;
import io.outrigger.filters.http.headers.StringValueMatcher;
import java.util.List;

/** The bootstrap's {@code stats_matcher}, compiled: which dotted names are exported. */
final class StatsFilter {
  private final StatsMatcherConfig.Mode mode;
  private final List<StringValueMatcher> patterns;

  StatsFilter(StatsMatcherConfig config) {
    this.mode = config.mode();
    this.patterns = config.patterns().stream().map(StatsFilter::compile).toList();
  }

  private static StringValueMatcher compile(StringMatcher m) {
    return new StringValueMatcher(m);
  }

  boolean accepts(String statName) {
    return switch (mode) {
      case ACCEPT_ALL -> true;
      case REJECT_ALL -> false;
      case INCLUSION -> matchesAny(statName);
      case EXCLUSION -> !matchesAny(statName);
    };
  }

  private boolean matchesAny(String statName) {
    for (StringValueMatcher p : patterns) {
      if (p.matches(statName)) {
        return true;
      }
    }
    return false;
  }
}
