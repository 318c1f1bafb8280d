package io.outrigger.filters.http.headers;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.HeaderValueOption;

/**
 * Applies a {@link HeaderMutation} to Netty headers, as Envoy does: the removes first, then the
 * adds by their append action; an empty value is not added (Envoy without {@code
 * keep_empty_value}).
 */
public final class HeaderMutations {
  private HeaderMutations() {}

  public static void apply(HeaderMutation mutation, HttpHeaders headers) {
    for (String name : mutation.toRemove()) {
      headers.remove(name);
    }
    for (HeaderValueOption add : mutation.toAdd()) {
      add(add, headers);
    }
  }

  private static void add(HeaderValueOption add, HttpHeaders headers) {
    if (add.value().isEmpty()) {
      return;
    }
    switch (add.appendAction()) {
      case APPEND_IF_EXISTS_OR_ADD -> headers.add(add.key(), add.value());
      case ADD_IF_ABSENT -> {
        if (!headers.contains(add.key())) {
          headers.add(add.key(), add.value());
        }
      }
      case OVERWRITE_IF_EXISTS_OR_ADD -> headers.set(add.key(), add.value());
      case OVERWRITE_IF_EXISTS -> {
        if (headers.contains(add.key())) {
          headers.set(add.key(), add.value());
        }
      }
    }
  }
}
