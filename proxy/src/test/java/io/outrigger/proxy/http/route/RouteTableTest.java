package io.outrigger.proxy.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.HashPolicy;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.QueryParameterMatcher;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteMatch;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.http.VirtualHost;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static final RandomGenerator RANDOM = new Random(7);

  @Test
  void picksVirtualHostExactThenLongestSuffixThenLongestPrefixThenStar() {
    RouteTable table =
        table(
            host("exact", "api.example.com"),
            host("suffix", "*.example.com"),
            host("longer-suffix", "*.eu.example.com"),
            host("prefix", "api.*"),
            host("longer-prefix", "api.eu.*"),
            host("star", "*"));

    assertThat(vhost(table, "API.Example.com")).isEqualTo("exact");
    assertThat(vhost(table, "api.example.com:8080")).isEqualTo("exact");
    assertThat(vhost(table, "web.example.com")).isEqualTo("suffix");
    assertThat(vhost(table, "web.eu.example.com:443")).isEqualTo("longer-suffix");
    assertThat(vhost(table, "api.eu.other.org")).isEqualTo("longer-prefix");
    assertThat(vhost(table, "api.other.org")).isEqualTo("prefix");
    assertThat(vhost(table, "other.org")).isEqualTo("star");
    assertThat(vhost(table, "")).isEqualTo("star");
  }

  @Test
  void wildcardsWithoutExactDomainsAndAStarAloneMatchAsWithEveryKind() {
    RouteTable wildcards =
        table(host("suffix", "*.example.com"), host("ported", "*.example.com:8443"));
    RouteTable star = table(host("star", "*"));

    assertThat(vhost(wildcards, "web.example.com:80")).isEqualTo("suffix");
    assertThat(vhost(wildcards, "WEB.example.com:8443")).isEqualTo("ported");
    assertThat(wildcards.select(TestRequest.get("example.org:80", "/"), RANDOM)).isNull();
    assertThat(vhost(star, "Any.Host:1")).isEqualTo("star");
    assertThat(vhost(star, "")).isEqualTo("star");
  }

  @Test
  void domainWithPortMatchesOnlyThatPortAndNoStarMeansNoRoute() {
    RouteTable table = table(host("ported", "example.com:8080"));

    assertThat(vhost(table, "example.com:8080")).isEqualTo("ported");
    assertThat(table.select(TestRequest.get("example.com:9090", "/"), RANDOM)).isNull();
    assertThat(table.select(TestRequest.get("example.com", "/"), RANDOM)).isNull();
  }

  @Test
  void firstMatchingRouteWinsAndPathIgnoresTheQuery() {
    RouteTable table =
        table(
            routes(
                route(new PathMatch.Exact("/exact"), "exact"),
                route(new PathMatch.Regex("/users/[0-9]+"), "regex"),
                route(new PathMatch.Prefix("/api"), "api"),
                route(new PathMatch.Prefix("/"), "default")));

    assertThat(cluster(table, TestRequest.get("h", "/exact?x=1"))).isEqualTo("exact");
    assertThat(cluster(table, TestRequest.get("h", "/exact/more"))).isEqualTo("default");
    assertThat(cluster(table, TestRequest.get("h", "/users/42?full=true"))).isEqualTo("regex");
    assertThat(cluster(table, TestRequest.get("h", "/users/me"))).isEqualTo("default");
    assertThat(cluster(table, TestRequest.get("h", "/api/v1"))).isEqualTo("api");
    assertThat(cluster(table, TestRequest.get("h", "/API/v1"))).isEqualTo("default");
  }

  @Test
  void pathComparedInPlaceStopsAtTheQueryForEveryKindOfMatch() {
    RouteTable table =
        table(
            routes(
                route(new PathMatch.Exact("/a"), "exact"),
                route(new PathMatch.Prefix("/b?x"), "prefix-with-query-char"),
                route(new PathMatch.Regex("/c.*"), "regex"),
                route(new PathMatch.Prefix("/"), "default")));

    assertThat(cluster(table, TestRequest.get("h", "/a?b"))).isEqualTo("exact");
    assertThat(cluster(table, TestRequest.get("h", "/a#frag"))).isEqualTo("exact");
    assertThat(cluster(table, TestRequest.get("h", "/ab?x"))).isEqualTo("default");
    // A prefix is compared with the path only, never with the query after it.
    assertThat(cluster(table, TestRequest.get("h", "/b?x=1"))).isEqualTo("default");
    assertThat(cluster(table, TestRequest.get("h", "/c?q"))).isEqualTo("regex");
    assertThat(cluster(table, TestRequest.get("h", "/d?c"))).isEqualTo("default");
  }

  @Test
  void caseInsensitivePrefixAndPath() {
    RouteTable table =
        table(
            routes(
                Route.of(
                    new RouteMatch(new PathMatch.Prefix("/Api"), false, List.of(), List.of()),
                    ClusterRoute.to("api"))));

    assertThat(cluster(table, TestRequest.get("h", "/aPI/x"))).isEqualTo("api");
    assertThat(table.select(TestRequest.get("h", "/other"), RANDOM)).isNull();
  }

  @Test
  void headerMatchersOfEveryKind() {
    assertThat(headerMatch(HeaderMatcher.of("x-v", StringMatcher.exact("1")), "1")).isTrue();
    assertThat(headerMatch(HeaderMatcher.of("x-v", StringMatcher.exact("1")), "2")).isFalse();
    assertThat(headerMatch(HeaderMatcher.of("x-v", StringMatcher.prefix("ab")), "abc")).isTrue();
    assertThat(headerMatch(matcher(StringMatcher.Kind.SUFFIX, "bc", false), "abc")).isTrue();
    assertThat(headerMatch(matcher(StringMatcher.Kind.CONTAINS, "b", false), "abc")).isTrue();
    assertThat(headerMatch(matcher(StringMatcher.Kind.CONTAINS, "B", false), "abc")).isFalse();
    assertThat(headerMatch(matcher(StringMatcher.Kind.CONTAINS, "B", true), "abc")).isTrue();
    assertThat(headerMatch(HeaderMatcher.of("x-v", StringMatcher.regex("v[0-9]+")), "v12"))
        .isTrue();
    assertThat(headerMatch(HeaderMatcher.of("x-v", StringMatcher.regex("v[0-9]")), "v12"))
        .isFalse();
    assertThat(headerMatch(HeaderMatcher.present("x-v"), "anything")).isTrue();
    assertThat(headerMatch(HeaderMatcher.present("x-v"), null)).isFalse();
  }

  @Test
  void invertAndAbsenceFollowEnvoy() {
    HeaderMatcher notCanary =
        new HeaderMatcher("x-canary", Optional.of(StringMatcher.exact("true")), true, true);
    HeaderMatcher absent = new HeaderMatcher("x-canary", Optional.empty(), false, false);
    HeaderMatcher invertedPresent = new HeaderMatcher("x-canary", Optional.empty(), true, true);

    assertThat(headerMatch(notCanary, "true")).isFalse();
    assertThat(headerMatch(notCanary, "false")).isTrue();
    assertThat(headerMatch(notCanary, null)).isFalse();
    assertThat(headerMatch(absent, null)).isTrue();
    assertThat(headerMatch(absent, "x")).isFalse();
    assertThat(headerMatch(invertedPresent, null)).isTrue();
    assertThat(headerMatch(invertedPresent, "x")).isFalse();
  }

  @Test
  void severalHeaderValuesAreJoinedWithComma() {
    RouteTable table = headerTable(HeaderMatcher.of("x-v", StringMatcher.exact("a,b")));

    TestRequest req = TestRequest.get("h", "/").header("x-v", "a").header("x-v", "b");
    assertThat(table.select(req, RANDOM)).isNotNull();
  }

  @Test
  void pseudoHeaderMatchersReadTheRequestLine() {
    RouteTable table = headerTable(HeaderMatcher.of(":method", StringMatcher.exact("POST")));

    assertThat(table.select(TestRequest.get("h", "/").method("POST"), RANDOM)).isNotNull();
    assertThat(table.select(TestRequest.get("h", "/"), RANDOM)).isNull();
  }

  @Test
  void queryParametersMatchTheFirstDecodedValue() {
    RouteMatch match =
        new RouteMatch(
            new PathMatch.Prefix("/"),
            true,
            List.of(),
            List.of(
                new QueryParameterMatcher("debug", Optional.empty()),
                new QueryParameterMatcher("user", Optional.of(StringMatcher.exact("a b")))));
    RouteTable table = table(routes(Route.of(match, ClusterRoute.to("q"))));

    assertThat(table.select(TestRequest.get("h", "/x?debug&user=a%20b&user=c"), RANDOM))
        .isNotNull();
    assertThat(table.select(TestRequest.get("h", "/x?user=a%20b"), RANDOM)).isNull();
    assertThat(table.select(TestRequest.get("h", "/x?debug=1&user=c&user=a%20b"), RANDOM)).isNull();
  }

  @Test
  void weightedClustersSplitWithinTwoPercent() {
    ClusterRoute split =
        withCluster(
            new ClusterSpecifier.WeightedClusters(
                List.of(
                    new ClusterSpecifier.ClusterWeight("a", 90),
                    new ClusterSpecifier.ClusterWeight("b", 10),
                    new ClusterSpecifier.ClusterWeight("never", 0))));
    RouteTable table = table(routes(Route.of(RouteMatch.prefix("/"), split)));
    RandomGenerator random = new Random(42);

    int a = 0;
    int b = 0;
    for (int i = 0; i < 100_000; i++) {
      String cluster = table.select(TestRequest.get("h", "/"), random).clusterName();
      if (cluster.equals("a")) {
        a++;
      } else if (cluster.equals("b")) {
        b++;
      }
    }
    assertThat(a + b).isEqualTo(100_000);
    assertThat(a).isBetween(88_000, 92_000);
    assertThat(b).isBetween(8_000, 12_000);
  }

  @Test
  void clusterHeaderNamesTheClusterOrReportsWhyNot() {
    RouteTable table =
        table(
            routes(
                Route.of(
                    RouteMatch.prefix("/"),
                    withCluster(new ClusterSpecifier.ClusterHeader("X-Cluster")))));

    RouteSelection named =
        table.select(TestRequest.get("h", "/").header("x-cluster", "blue"), RANDOM);
    RouteSelection missing = table.select(TestRequest.get("h", "/"), RANDOM);

    assertThat(named.clusterName()).isEqualTo("blue");
    assertThat(named.clusterNotFound()).isFalse();
    assertThat(missing.clusterName()).isNull();
    assertThat(missing.clusterNotFound()).isTrue();
    assertThat(missing.clusterNotFoundReason())
        .isEqualTo("cluster_header \"x-cluster\" absent from the request");
  }

  @Test
  void directResponseRouteHasNoCluster() {
    RouteTable table =
        table(
            routes(
                Route.of(
                    RouteMatch.prefix("/healthz"), new DirectResponseRoute(200, new byte[0]))));

    RouteSelection s = table.select(TestRequest.get("h", "/healthz"), RANDOM);
    assertThat(s.route().action()).isInstanceOf(DirectResponseRoute.class);
    assertThat(s.clusterName()).isNull();
    assertThat(s.clusterNotFound()).isFalse();
  }

  @Test
  void aSelectionThatReadsNothingOfTheRequestIsMadeOnceAndOneThatDoesIsMadePerRequest() {
    RouteTable table =
        table(
            routes(
                Route.of(RouteMatch.prefix("/healthz"), new DirectResponseRoute(200, new byte[0])),
                Route.of(
                    RouteMatch.prefix("/header"),
                    withCluster(new ClusterSpecifier.ClusterHeader("x-cluster"))),
                route(new PathMatch.Prefix("/"), "one")));
    RouteTable hashed = hashTable(new HashPolicy.Header("x-user", false));

    RouteSelection one = table.select(TestRequest.get("h", "/a"), RANDOM);
    assertThat(table.select(TestRequest.get("h", "/b?q"), RANDOM)).isSameAs(one);
    assertThat(one.clusterName()).isEqualTo("one");
    assertThat(one.hash()).isEmpty();
    assertThat(table.select(TestRequest.get("h", "/healthz"), RANDOM))
        .isSameAs(table.select(TestRequest.get("h", "/healthz/x"), RANDOM));
    RouteSelection blue =
        table.select(TestRequest.get("h", "/header").header("x-cluster", "blue"), RANDOM);
    RouteSelection green =
        table.select(TestRequest.get("h", "/header").header("x-cluster", "green"), RANDOM);
    assertThat(blue.clusterName()).isEqualTo("blue");
    assertThat(green.clusterName()).isEqualTo("green");
    assertThat(hash(hashed, TestRequest.get("h", "/").header("x-user", "alice")))
        .isNotEqualTo(hash(hashed, TestRequest.get("h", "/").header("x-user", "bob")));
  }

  @Test
  void headerHashIsStableAndDiffersByValue() {
    RouteTable table = hashTable(new HashPolicy.Header("x-user", false));

    long alice1 = hash(table, TestRequest.get("h", "/").header("x-user", "alice"));
    long alice2 = hash(table, TestRequest.get("h", "/other").header("X-User", "alice"));
    long bob = hash(table, TestRequest.get("h", "/").header("x-user", "bob"));

    assertThat(alice1).isEqualTo(alice2);
    assertThat(alice1).isNotEqualTo(bob);
    assertThat(table.select(TestRequest.get("h", "/"), RANDOM).hash()).isEmpty();
  }

  @Test
  void cookieAndSourceIpHashes() {
    RouteTable cookie = hashTable(new HashPolicy.Cookie("session", false));
    RouteTable source = hashTable(new HashPolicy.SourceIp(false));

    long s1 = hash(cookie, TestRequest.get("h", "/").header("cookie", "a=1; session=xyz; b=2"));
    long s2 = hash(cookie, TestRequest.get("h", "/").header("cookie", "session=xyz"));
    assertThat(s1).isEqualTo(s2);
    assertThat(hash(source, TestRequest.get("h", "/").remote("10.0.0.1")))
        .isEqualTo(hash(source, TestRequest.get("h", "/x").remote("10.0.0.1")))
        .isNotEqualTo(hash(source, TestRequest.get("h", "/").remote("10.0.0.2")));
  }

  @Test
  void policiesCombineByRotateXorAndTerminalStops() {
    RouteTable header = hashTable(new HashPolicy.Header("x-user", false));
    RouteTable ip = hashTable(new HashPolicy.SourceIp(false));
    RouteTable both =
        hashTable(new HashPolicy.Header("x-user", false), new HashPolicy.SourceIp(false));
    RouteTable terminal =
        hashTable(new HashPolicy.Header("x-user", true), new HashPolicy.SourceIp(false));
    TestRequest req = TestRequest.get("h", "/").header("x-user", "alice").remote("10.0.0.9");

    long h = hash(header, req);
    assertThat(hash(both, req)).isEqualTo(Long.rotateLeft(h, 1) ^ hash(ip, req));
    assertThat(hash(terminal, req)).isEqualTo(h);
    TestRequest anonymous = TestRequest.get("h", "/").remote("10.0.0.9");
    assertThat(hash(terminal, anonymous)).isEqualTo(hash(ip, anonymous));
  }

  @Test
  void selectionCarriesTheRoutesRewriterAndMutator() {
    ClusterRoute rewrite =
        new ClusterRoute(
            new ClusterSpecifier.SingleCluster("api"),
            Optional.of("/v2/"),
            Optional.empty(),
            Optional.of("internal.api"),
            false,
            Duration.ofSeconds(15),
            Optional.empty(),
            List.of(),
            List.of());
    RouteTable table = table(routes(Route.of(RouteMatch.prefix("/api/"), rewrite)));

    RouteSelection s = table.select(TestRequest.get("h", "/api/users?id=1"), RANDOM);
    assertThat(s.pathRewriter().rewritePath("/api/users?id=1")).isEqualTo("/v2/users?id=1");
    assertThat(s.pathRewriter().rewriteAuthority("h")).isEqualTo("internal.api");
  }

  // helpers

  private static boolean headerMatch(HeaderMatcher matcher, String value) {
    TestRequest req = TestRequest.get("h", "/");
    if (value != null) {
      req.header(matcher.name(), value);
    }
    return headerTable(matcher).select(req, RANDOM) != null;
  }

  private static HeaderMatcher matcher(StringMatcher.Kind kind, String value, boolean ignoreCase) {
    return HeaderMatcher.of("x-v", new StringMatcher(kind, value, ignoreCase));
  }

  private static RouteTable headerTable(HeaderMatcher matcher) {
    RouteMatch match = new RouteMatch(new PathMatch.Prefix("/"), true, List.of(matcher), List.of());
    return table(routes(Route.of(match, ClusterRoute.to("c"))));
  }

  private static RouteTable hashTable(HashPolicy... policies) {
    ClusterRoute c = ClusterRoute.to("c");
    ClusterRoute hashed =
        new ClusterRoute(
            c.cluster(),
            c.prefixRewrite(),
            c.regexRewrite(),
            c.hostRewriteLiteral(),
            false,
            c.timeout(),
            c.idleTimeout(),
            List.of(policies),
            List.of());
    return table(routes(Route.of(RouteMatch.prefix("/"), hashed)));
  }

  private static long hash(RouteTable table, TestRequest req) {
    return table.select(req, RANDOM).hash().orElseThrow();
  }

  private static ClusterRoute withCluster(ClusterSpecifier specifier) {
    ClusterRoute c = ClusterRoute.to("unused");
    return new ClusterRoute(
        specifier,
        c.prefixRewrite(),
        c.regexRewrite(),
        c.hostRewriteLiteral(),
        false,
        c.timeout(),
        c.idleTimeout(),
        List.of(),
        List.of());
  }

  private static Route route(PathMatch path, String cluster) {
    return Route.of(new RouteMatch(path, true, List.of(), List.of()), ClusterRoute.to(cluster));
  }

  private static VirtualHost routes(Route... routes) {
    return new VirtualHost(
        "only", List.of("*"), List.of(routes), HeaderMutation.NONE, HeaderMutation.NONE);
  }

  private static VirtualHost host(String name, String domain) {
    return new VirtualHost(
        name,
        List.of(domain),
        List.of(Route.of(RouteMatch.prefix("/"), ClusterRoute.to(name))),
        HeaderMutation.NONE,
        HeaderMutation.NONE);
  }

  private static RouteTable table(VirtualHost... hosts) {
    return new RouteTable(
        new RouteConfig("rc", List.of(hosts), HeaderMutation.NONE, HeaderMutation.NONE));
  }

  private static String vhost(RouteTable table, String authority) {
    return table.select(TestRequest.get(authority, "/"), RANDOM).virtualHost().name();
  }

  private static String cluster(RouteTable table, TestRequest req) {
    return table.select(req, RANDOM).clusterName();
  }
}
