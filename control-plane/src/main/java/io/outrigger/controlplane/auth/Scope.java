package io.outrigger.controlplane.auth;

import java.util.Locale;
import java.util.Optional;

/** What an API token may do on the control plane's HTTP API. */
public enum Scope {
  /** Read: {@code GET} of status, resources, endpoints, faults and metrics. */
  STATUS,
  /** Change the fault rules: {@code POST|DELETE /v1/faults...}. */
  FAULTS,
  /** Change what is served: {@code PUT|DELETE /v1/resources}, {@code POST|DELETE /v1/endpoints}. */
  RESOURCES;

  /** The name in a token file: lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code name} in a token file, if any. */
  public static Optional<Scope> of(String name) {
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
