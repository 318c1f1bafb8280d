package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * The {@code *_headers_to_add} and {@code *_headers_to_remove} of one level (route configuration,
 * virtual host or route) for one direction. The removes apply before the adds.
 *
 * @param toAdd headers to add, in order
 * @param toRemove header names to remove, kept lower-case
 */
public record HeaderMutation(List<HeaderValueOption> toAdd, List<String> toRemove) {
  public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

  public HeaderMutation {
    toAdd = List.copyOf(requireNonNull(toAdd, "toAdd"));
    toRemove =
        requireNonNull(toRemove, "toRemove").stream()
            .map(name -> name.toLowerCase(Locale.ROOT))
            .toList();
  }

  public boolean isEmpty() {
    return toAdd.isEmpty() && toRemove.isEmpty();
  }
}
