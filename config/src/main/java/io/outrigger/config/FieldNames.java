package io.outrigger.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/** Finds a field by its proto or JSON name, as Envoy does, and suggests one for a typo. */
final class FieldNames {
  private FieldNames() {}

  /** The field named {@code key} (proto name or lowerCamel JSON name); null when none. */
  static FieldDescriptor find(Descriptor type, String key) {
    FieldDescriptor field = type.findFieldByName(key);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor candidate : type.getFields()) {
      if (candidate.getJsonName().equals(key)) {
        return candidate;
      }
    }
    return null;
  }

  /** The reason for an unknown key, with the closest field name when one is close. */
  static String unknown(Descriptor type, String key) {
    String reason = "unknown field of " + type.getFullName();
    String best = null;
    int bestDistance = 3;
    for (FieldDescriptor candidate : type.getFields()) {
      int distance = distance(key, candidate.getName());
      if (distance < bestDistance) {
        best = candidate.getName();
        bestDistance = distance;
      }
    }
    return best == null ? reason : reason + " (did you mean \"" + best + "\"?)";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
