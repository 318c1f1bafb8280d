package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.http.StringMatcher.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Translates {@code route.v3.RouteMatch} with its header and query parameter matchers. */
final class RouteMatchTranslator {
  private RouteMatchTranslator() {}

  static io.outrigger.api.model.http.RouteMatch translate(RouteMatch proto, String path)
      throws ConfigException {
    PathMatch pathMatch = pathMatch(proto, path);
    boolean caseSensitive = !proto.hasCaseSensitive() || proto.getCaseSensitive().getValue();
    List<io.outrigger.api.model.http.HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < proto.getHeadersCount(); i++) {
      headers.add(header(proto.getHeaders(i), Paths.item(path, "headers", i)));
    }
    List<io.outrigger.api.model.http.QueryParameterMatcher> params = new ArrayList<>();
    for (int i = 0; i < proto.getQueryParametersCount(); i++) {
      params.add(
          queryParameter(proto.getQueryParameters(i), Paths.item(path, "query_parameters", i)));
    }
    return new io.outrigger.api.model.http.RouteMatch(pathMatch, caseSensitive, headers, params);
  }

  private static PathMatch pathMatch(RouteMatch proto, String path) throws ConfigException {
    try {
      return switch (proto.getPathSpecifierCase()) {
        case PREFIX -> new PathMatch.Prefix(proto.getPrefix());
        case PATH -> new PathMatch.Exact(proto.getPath());
        case SAFE_REGEX ->
            new PathMatch.Regex(
                StringMatcherTranslator.regex(
                    proto.getSafeRegex(), Paths.field(path, "safe_regex")));
        default -> throw ConfigException.at(path, "one of prefix, path or safe_regex required");
      };
    } catch (IllegalArgumentException e) {
      String at =
          proto.getPathSpecifierCase() == RouteMatch.PathSpecifierCase.SAFE_REGEX
              ? Paths.field(path, "safe_regex")
              : path;
      throw Paths.fromModel(at, e);
    }
  }

  static io.outrigger.api.model.http.HeaderMatcher header(HeaderMatcher proto, String path)
      throws ConfigException {
    Optional<StringMatcher> value = Optional.empty();
    boolean present = true;
    String at = path;
    try {
      switch (proto.getHeaderMatchSpecifierCase()) {
        case STRING_MATCH -> {
          at = Paths.field(path, "string_match");
          value = Optional.of(StringMatcherTranslator.translate(proto.getStringMatch(), at));
        }
        // Envoy: an empty exact_match matches any value of a present header.
        case EXACT_MATCH ->
            value =
                proto.getExactMatch().isEmpty()
                    ? Optional.empty()
                    : Optional.of(StringMatcher.exact(proto.getExactMatch()));
        case PREFIX_MATCH ->
            value = Optional.of(new StringMatcher(Kind.PREFIX, proto.getPrefixMatch(), false));
        case SUFFIX_MATCH ->
            value = Optional.of(new StringMatcher(Kind.SUFFIX, proto.getSuffixMatch(), false));
        case CONTAINS_MATCH ->
            value = Optional.of(new StringMatcher(Kind.CONTAINS, proto.getContainsMatch(), false));
        case SAFE_REGEX_MATCH -> {
          at = Paths.field(path, "safe_regex_match");
          value =
              Optional.of(
                  StringMatcher.regex(
                      StringMatcherTranslator.regex(proto.getSafeRegexMatch(), at)));
        }
        case PRESENT_MATCH -> present = proto.getPresentMatch();
        default -> {
          // Envoy: no specifier is a presence test.
        }
      }
      return new io.outrigger.api.model.http.HeaderMatcher(
          proto.getName(), value, present, proto.getInvertMatch());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }

  private static io.outrigger.api.model.http.QueryParameterMatcher queryParameter(
      QueryParameterMatcher proto, String path) throws ConfigException {
    Optional<StringMatcher> value;
    switch (proto.getQueryParameterMatchSpecifierCase()) {
      case STRING_MATCH ->
          value =
              Optional.of(
                  StringMatcherTranslator.translate(
                      proto.getStringMatch(), Paths.field(path, "string_match")));
      case PRESENT_MATCH -> {
        if (!proto.getPresentMatch()) {
          throw ConfigException.at(
              Paths.field(path, "present_match"),
              "false not supported (expected: true; an absent parameter never matches)");
        }
        value = Optional.empty();
      }
      default -> throw ConfigException.at(path, "one of string_match or present_match required");
    }
    try {
      return new io.outrigger.api.model.http.QueryParameterMatcher(proto.getName(), value);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
