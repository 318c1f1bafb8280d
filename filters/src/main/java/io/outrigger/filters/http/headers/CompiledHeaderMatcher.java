package io.outrigger.filters.http.headers;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HeaderMatcher;

/**
 * A compiled {@link HeaderMatcher}, Envoy's {@code HeaderUtility::matchHeaders} for one header.
 * Shared by route matching and by filters that select requests by header (the fault filter's {@code
 * headers}). Immutable.
 */
public final class CompiledHeaderMatcher {
  private final HeaderMatcher config;
  private final StringValueMatcher value;

  public CompiledHeaderMatcher(HeaderMatcher config) {
    this.config = requireNonNull(config, "config");
    this.value = config.value().map(StringValueMatcher::new).orElse(null);
  }

  /** The header's lower-case name; may be a pseudo-header such as {@code :path}. */
  public String name() {
    return config.name();
  }

  /**
   * @param headerValue the header's values joined with {@code ","}, or null when it is absent
   */
  public boolean matches(String headerValue) {
    if (headerValue == null) {
      boolean presenceTest = value == null;
      return presenceTest && (config.invertMatch() ? config.present() : !config.present());
    }
    boolean match = value == null ? config.present() : value.matches(headerValue);
    return match != config.invertMatch();
  }
}
