package io.outrigger.proxy.stats.envoy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A meter's name in Envoy's form.
 *
 * @param name the dotted name, e.g. {@code cluster.backend.upstream_rq_5xx}
 * @param labels Outrigger's own labels that have no place in a dotted name (a peer, a file path);
 *     most statistics have none
 */
public record StatName(String name, List<Tag> labels) {
  public StatName {
    requireNonNull(name, "name");
    labels = List.copyOf(requireNonNull(labels, "labels"));
  }

  static StatName of(String name) {
    return new StatName(name, List.of());
  }

  static StatName of(String name, String label, String value) {
    return new StatName(name, List.of(new Tag(label, value)));
  }
}
