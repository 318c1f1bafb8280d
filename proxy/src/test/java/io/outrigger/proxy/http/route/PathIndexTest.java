package io.outrigger.proxy.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RouteMatch;
import io.outrigger.api.model.http.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathIndexTest {
  @Test
  void theFirstRouteInOrderWinsEvenWhenALongerPrefixComesLater() {
    PathIndex index =
        index(
            RouteMatch.prefix("/api/"),
            RouteMatch.prefix("/api/v2/"),
            exact("/api/v2/items"),
            RouteMatch.prefix("/"));

    assertThat(index.first(req("/api/v2/items"), "/api/v2/items")).isZero();
    assertThat(index.first(req("/other"), "/other")).isEqualTo(3);
  }

  @Test
  void anExactRouteMatchesOnlyTheWholePath() {
    PathIndex index = index(exact("/a/b"), RouteMatch.prefix("/a/b/"));

    assertThat(index.first(req("/a/b"), "/a/b")).isZero();
    assertThat(index.first(req("/a"), "/a")).isEqualTo(-1);
    assertThat(index.first(req("/a/bc"), "/a/bc")).isEqualTo(-1);
    assertThat(index.first(req("/a/b/c"), "/a/b/c")).isEqualTo(1);
  }

  @Test
  void regexAndCaseInsensitiveRoutesAreTriedInTheirPlace() {
    PathIndex index =
        index(
            new RouteMatch(new PathMatch.Prefix("/API/"), false, List.of(), List.of()),
            new RouteMatch(new PathMatch.Regex("/items/[0-9]+"), true, List.of(), List.of()),
            RouteMatch.prefix("/"));

    assertThat(index.first(req("/api/x"), "/api/x")).isZero();
    assertThat(index.first(req("/items/42"), "/items/42")).isEqualTo(1);
    assertThat(index.first(req("/items/x"), "/items/x")).isEqualTo(2);
  }

  @Test
  void aRouteWhosePathFitsButWhoseHeadersDoNotIsPassedOver() {
    PathIndex index =
        index(
            new RouteMatch(
                new PathMatch.Prefix("/svc/"),
                true,
                List.of(HeaderMatcher.of("x-track", StringMatcher.exact("canary"))),
                List.of()),
            RouteMatch.prefix("/svc/"));

    assertThat(index.first(req("/svc/a"), "/svc/a")).isEqualTo(1);
    assertThat(index.first(req("/svc/a").header("x-track", "canary"), "/svc/a")).isZero();
  }

  /** Thousands of random tables and paths: the index answers what trying every route answers. */
  @Test
  void agreesWithTryingEveryRouteInOrderOnRandomTables() {
    SplittableRandom random = new SplittableRandom(42);
    String[] pieces = {"/", "a", "b", "/a", "/b", "ab", "/A"};
    for (int table = 0; table < 2_000; table++) {
      List<RouteMatch> matches = new ArrayList<>();
      int size = 1 + random.nextInt(8);
      for (int i = 0; i < size; i++) {
        matches.add(randomMatch(random, pieces));
      }
      RequestMatcher[] matchers = matchers(matches);
      PathIndex index = new PathIndex(matches, matchers);
      for (int p = 0; p < 10; p++) {
        String path = randomPath(random, pieces);
        TestRequest req = req(path);
        if (random.nextBoolean()) {
          req.header("x-h", "1");
        }
        int linear = -1;
        for (int i = 0; i < matchers.length; i++) {
          if (matchers[i].matches(req, path)) {
            linear = i;
            break;
          }
        }
        assertThat(index.first(req, path)).as("%s on %s", path, matches).isEqualTo(linear);
      }
    }
  }

  private static RouteMatch randomMatch(SplittableRandom random, String[] pieces) {
    String text = randomPath(random, pieces);
    List<HeaderMatcher> headers =
        random.nextInt(4) == 0 ? List.of(HeaderMatcher.present("x-h")) : List.of();
    boolean caseSensitive = random.nextInt(5) != 0;
    PathMatch path =
        switch (random.nextInt(5)) {
          case 0 -> new PathMatch.Exact(text);
          case 1 -> new PathMatch.Regex(text.replace("a", "[a-z]") + ".*");
          default -> new PathMatch.Prefix(random.nextInt(6) == 0 ? "" : text);
        };
    return new RouteMatch(path, caseSensitive, headers, List.of());
  }

  private static String randomPath(SplittableRandom random, String[] pieces) {
    StringBuilder b = new StringBuilder("/");
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  private static PathIndex index(RouteMatch... matches) {
    List<RouteMatch> list = List.of(matches);
    return new PathIndex(list, matchers(list));
  }

  private static RequestMatcher[] matchers(List<RouteMatch> matches) {
    return matches.stream().map(RequestMatcher::new).toArray(RequestMatcher[]::new);
  }

  private static RouteMatch exact(String path) {
    return new RouteMatch(new PathMatch.Exact(path), true, List.of(), List.of());
  }

  private static TestRequest req(String path) {
    return TestRequest.get("example.com", path);
  }
}
