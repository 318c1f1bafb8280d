package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A counter per response code ({@code upstream_rq_code{cluster,response_code}}, Envoy's {@code
 * cluster.X.upstream_rq_503}), registered at a code's first response. Codes are 100..599, so a
 * cluster has at most 500 of them; in practice a handful.
 */
final class ResponseCodeCounters {
  private final MeterRegistry registry;
  private final String name;
  private final String scopeKey;
  private final String scope;
  private final String help;
  private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(600);

  ResponseCodeCounters(
      MeterRegistry registry, String name, String scopeKey, String scope, String help) {
    this.registry = registry;
    this.name = name;
    this.scopeKey = scopeKey;
    this.scope = scope;
    this.help = help;
  }

  void count(int status) {
    if (status < 100 || status > 599) {
      return;
    }
    Counter c = byCode.get(status);
    if (c == null) {
      // Registering twice returns the same counter, so a race costs nothing but the lookup.
      c =
          Counter.builder(name)
              .description(help)
              .tag(scopeKey, scope)
              .tag("response_code", Integer.toString(status))
              .register(registry);
      byCode.set(status, c);
    }
    c.increment();
  }
}
