package io.outrigger.lab.checker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether every replica holds the same value for every key, judged from the local reads ({@code GET
 * /kv/{key}?local=true}) after the heal.
 *
 * @param converged every replica answered every key, and all answers for a key are equal (value and
 *     version)
 * @param convergenceMillis from the final heal being in force to the first round of local reads
 *     that agreed; -1 when they never agreed within the bound
 * @param finalReads key to node to what that replica held (the last round read)
 * @param divergent the keys whose replicas disagreed in the last round
 */
public record Convergence(
    boolean converged,
    long convergenceMillis,
    Map<String, Map<String, LocalValue>> finalReads,
    List<String> divergent) {

  public Convergence {
    finalReads = Map.copyOf(finalReads);
    divergent = List.copyOf(divergent);
  }

  /**
   * What one replica answered to a local read.
   *
   * @param value the value, null when missing
   * @param version the version text ({@code 7.n2}), null when missing
   * @param error why there is no answer, null when there is
   */
  public record LocalValue(String value, String version, String error) {}

  /** The keys whose replicas do not all hold the same answer in {@code round}. */
  public static List<String> divergentKeys(Map<String, Map<String, LocalValue>> round) {
    return new TreeMap<>(round)
        .entrySet().stream().filter(e -> !agree(e.getValue())).map(Map.Entry::getKey).toList();
  }

  private static boolean agree(Map<String, LocalValue> replicas) {
    LocalValue first = null;
    for (LocalValue v : replicas.values()) {
      if (v.error() != null) {
        return false;
      }
      if (first == null) {
        first = v;
      } else if (!Objects.equals(first.value(), v.value())
          || !Objects.equals(first.version(), v.version())) {
        return false;
      }
    }
    return true;
  }
}
