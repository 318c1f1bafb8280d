package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.http.HeaderMatcher;
import java.util.List;

/**
 * Compiled {@link HeaderMatcher}s applied to a plain header block (a response's headers, say), with
 * Envoy's rules: several values of one header are joined with {@code ","}; an absent header matches
 * only a presence test.
 */
public final class HeadersMatcher {
  private final HeaderMatcher[] configs;
  private final ValueMatcher[] values;

  private HeadersMatcher(List<HeaderMatcher> matchers) {
    this.configs = matchers.toArray(HeaderMatcher[]::new);
    this.values = new ValueMatcher[configs.length];
    for (int i = 0; i < configs.length; i++) {
      values[i] = configs[i].value().map(ValueMatcher::new).orElse(null);
    }
  }

  public static HeadersMatcher of(List<HeaderMatcher> matchers) {
    return new HeadersMatcher(matchers);
  }

  /** Whether any of the matchers matches (Envoy's {@code retriable_headers} semantics). */
  public boolean anyMatches(HttpHeaders headers) {
    for (int i = 0; i < configs.length; i++) {
      if (matches(i, headers)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(int i, HttpHeaders headers) {
    HeaderMatcher config = configs[i];
    List<String> all = headers.getAll(config.name());
    if (all.isEmpty()) {
      return values[i] == null && (config.invertMatch() ? config.present() : !config.present());
    }
    String value = all.size() == 1 ? all.get(0) : String.join(",", all);
    boolean match = values[i] == null ? config.present() : values[i].matches(value);
    return match != config.invertMatch();
  }
}
