package io.outrigger.api.validation;

import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.http.StringMatcher.Kind;

/** Translates {@code type.matcher.v3.StringMatcher} and {@code RegexMatcher}. */
final class StringMatcherTranslator {
  private StringMatcherTranslator() {}

  /**
   * @param path where the matcher sits, e.g. {@code ...headers[0].string_match}
   */
  static StringMatcher translate(
      io.envoyproxy.envoy.type.matcher.v3.StringMatcher proto, String path) throws ConfigException {
    boolean ignoreCase = proto.getIgnoreCase();
    try {
      return switch (proto.getMatchPatternCase()) {
        case EXACT -> new StringMatcher(Kind.EXACT, proto.getExact(), ignoreCase);
        case PREFIX -> new StringMatcher(Kind.PREFIX, proto.getPrefix(), ignoreCase);
        case SUFFIX -> new StringMatcher(Kind.SUFFIX, proto.getSuffix(), ignoreCase);
        case CONTAINS -> new StringMatcher(Kind.CONTAINS, proto.getContains(), ignoreCase);
        case SAFE_REGEX ->
            new StringMatcher(
                Kind.SAFE_REGEX,
                regex(proto.getSafeRegex(), Paths.field(path, "safe_regex")),
                ignoreCase);
        default ->
            throw ConfigException.at(
                path, "one of exact, prefix, suffix, contains or safe_regex required");
      };
    } catch (IllegalArgumentException e) {
      String at =
          proto.getMatchPatternCase()
                  == io.envoyproxy.envoy.type.matcher.v3.StringMatcher.MatchPatternCase.SAFE_REGEX
              ? Paths.field(path, "safe_regex")
              : path;
      throw Paths.fromModel(at, e);
    }
  }

  /** The pattern of a {@code RegexMatcher}; its syntax is checked by the model record using it. */
  static String regex(RegexMatcher proto, String path) throws ConfigException {
    if (proto.getRegex().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "regex"), "required");
    }
    return proto.getRegex();
  }
}
