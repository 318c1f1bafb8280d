package io.outrigger.proxy.stats.envoy;

import static java.util.Objects.requireNonNull;

/**
 * A statistic's tag: {@code envoy.cluster_name=backend}, or one of Outrigger's own labels.
 *
 * @param name the tag name as Envoy spells it (dots allowed; Prometheus gets them as {@code _})
 * @param value the value
 */
public record Tag(String name, String value) {
  public Tag {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }
}
