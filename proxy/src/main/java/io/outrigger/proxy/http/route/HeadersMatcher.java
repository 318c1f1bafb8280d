package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.filters.http.headers.CompiledHeaderMatcher;
import java.util.List;

/**
 * Compiled {@link HeaderMatcher}s applied to a plain header block (a response's headers, say), with
 * Envoy's rules: several values of one header are joined with {@code ","}; an absent header matches
 * only a presence test.
 */
public final class HeadersMatcher {
  private final CompiledHeaderMatcher[] matchers;

  private HeadersMatcher(List<HeaderMatcher> matchers) {
    this.matchers =
        matchers.stream().map(CompiledHeaderMatcher::new).toArray(CompiledHeaderMatcher[]::new);
  }

  public static HeadersMatcher of(List<HeaderMatcher> matchers) {
    return new HeadersMatcher(matchers);
  }

  /** Whether any of the matchers matches (Envoy's {@code retriable_headers} semantics). */
  public boolean anyMatches(HttpHeaders headers) {
    for (CompiledHeaderMatcher m : matchers) {
      List<String> all = headers.getAll(m.name());
      String value = all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(",", all);
      if (m.matches(value)) {
        return true;
      }
    }
    return false;
  }
}
