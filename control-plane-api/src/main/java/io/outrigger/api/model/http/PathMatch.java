package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * A route's path specifier ({@code RouteMatch.path_specifier}): exactly one of {@code prefix},
 * {@code path} or {@code safe_regex}. Compared with the request path without its query string.
 */
public sealed interface PathMatch {

  /** {@code prefix}: the path starts with {@code prefix}; {@code "/"} matches every request. */
  record Prefix(String prefix) implements PathMatch {
    public Prefix {
      requireNonNull(prefix, "prefix");
    }
  }

  /** {@code path}: the path is exactly {@code path}. */
  record Exact(String path) implements PathMatch {
    public Exact {
      requireNonNull(path, "path");
      if (path.isEmpty()) {
        throw new IllegalArgumentException("path: empty (expected: a path such as \"/\")");
      }
    }
  }

  /**
   * {@code safe_regex}: the RE2 pattern matches the whole path; case sensitivity does not apply.
   */
  record Regex(String regex) implements PathMatch {
    public Regex {
      requireNonNull(regex, "regex");
      Re2Syntax.check("regex", regex);
    }
  }
}
