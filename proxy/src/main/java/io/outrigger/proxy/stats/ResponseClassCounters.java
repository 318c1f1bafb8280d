package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A counter per response class ({@code 1xx} … {@code 5xx}) under one name and scope labels, created
 * up front so that counting a response allocates nothing.
 */
final class ResponseClassCounters {
  private final Counter[] byClass = new Counter[6];

  ResponseClassCounters(
      MeterRegistry registry, String name, String scopeKey, String scope, String help) {
    this(registry, name, Tags.of(scopeKey, scope), help);
  }

  ResponseClassCounters(MeterRegistry registry, String name, Tags scope, String help) {
    for (int c = 1; c <= 5; c++) {
      byClass[c] =
          Counter.builder(name)
              .description(help)
              .tags(scope)
              .tag("response_code_class", c + "xx")
              .register(registry);
    }
  }

  void count(int status) {
    int c = status / 100;
    if (c >= 1 && c <= 5) {
      byClass[c].increment();
    }
  }
}
