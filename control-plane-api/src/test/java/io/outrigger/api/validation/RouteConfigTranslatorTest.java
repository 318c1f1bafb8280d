package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.HashPolicy;
import io.outrigger.api.model.http.HeaderAppendAction;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RedirectResponseCode;
import io.outrigger.api.model.http.RedirectRoute;
import io.outrigger.api.model.http.RouteConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteConfigTranslatorTest {
  private static final String PATH = "rc";
  private static final String ROUTE0 = "rc.virtual_hosts[0].routes[0]";

  @Test
  void translatesMatchersOldAndNewForms() throws Exception {
    Route.Builder route =
        HttpProtos.route("/API", "svc")
            .setMatch(
                RouteMatch.newBuilder()
                    .setPrefix("/API")
                    .setCaseSensitive(BoolValue.of(false))
                    .addHeaders(
                        HeaderMatcher.newBuilder().setName("X-Canary").setExactMatch("true"))
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName("x-user")
                            .setStringMatch(
                                StringMatcher.newBuilder().setPrefix("adm").setIgnoreCase(true))
                            .setInvertMatch(true))
                    .addHeaders(
                        HeaderMatcher.newBuilder().setName("x-debug").setPresentMatch(false))
                    .addQueryParameters(
                        QueryParameterMatcher.newBuilder().setName("v").setPresentMatch(true)));

    var match = translate(route).virtualHosts().get(0).routes().get(0).match();

    assertThat(match.path()).isEqualTo(new PathMatch.Prefix("/API"));
    assertThat(match.caseSensitive()).isFalse();
    assertThat(match.headers().get(0).name()).isEqualTo("x-canary");
    assertThat(match.headers().get(0).value())
        .contains(io.outrigger.api.model.http.StringMatcher.exact("true"));
    assertThat(match.headers().get(1).invertMatch()).isTrue();
    assertThat(match.headers().get(1).value().orElseThrow().ignoreCase()).isTrue();
    assertThat(match.headers().get(2).present()).isFalse();
    assertThat(match.queryParameters().get(0).value()).isEmpty();
  }

  @Test
  void translatesWeightedClustersHashPoliciesAndRewrites() throws Exception {
    RouteAction action =
        RouteAction.newBuilder()
            .setWeightedClusters(
                WeightedCluster.newBuilder()
                    .addClusters(cw("a", 90))
                    .addClusters(cw("b", 10))
                    .setTotalWeight(UInt32Value.of(100)))
            .setPrefixRewrite("/v2/")
            .setHostRewriteLiteral("internal")
            .setTimeout(Protos.seconds(0, 0))
            .addHashPolicy(
                RouteAction.HashPolicy.newBuilder()
                    .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName("X-User"))
                    .setTerminal(true))
            .addHashPolicy(
                RouteAction.HashPolicy.newBuilder()
                    .setConnectionProperties(
                        RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true)))
            .build();

    ClusterRoute route = (ClusterRoute) action(HttpProtos.route("/v1/", "x").setRoute(action));

    assertThat(route.cluster())
        .isEqualTo(
            new ClusterSpecifier.WeightedClusters(
                List.of(
                    new ClusterSpecifier.ClusterWeight("a", 90),
                    new ClusterSpecifier.ClusterWeight("b", 10))));
    assertThat(route.prefixRewrite()).contains("/v2/");
    assertThat(route.hostRewriteLiteral()).contains("internal");
    assertThat(route.timeout()).isZero();
    assertThat(route.hashPolicies())
        .containsExactly(new HashPolicy.Header("x-user", true), new HashPolicy.SourceIp(false));
  }

  @Test
  void translatesRedirectAndDirectResponse() throws Exception {
    Route.Builder redirect =
        HttpProtos.route("/old", "x")
            .setRedirect(
                RedirectAction.newBuilder()
                    .setHttpsRedirect(true)
                    .setPrefixRewrite("/new")
                    .setResponseCode(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT));
    Route.Builder direct =
        HttpProtos.route("/healthz", "x")
            .setDirectResponse(
                DirectResponseAction.newBuilder()
                    .setStatus(200)
                    .setBody(DataSource.newBuilder().setInlineString("ok")));

    assertThat(action(redirect))
        .isEqualTo(
            new RedirectRoute(
                Optional.of("https"),
                Optional.empty(),
                0,
                Optional.empty(),
                Optional.of("/new"),
                RedirectResponseCode.PERMANENT_REDIRECT,
                false));
    assertThat(action(direct))
        .isEqualTo(new DirectResponseRoute(200, "ok".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void translatesHeaderMutationsWithAppendForms() throws Exception {
    RouteConfiguration proto =
        RouteConfiguration.newBuilder()
            .addVirtualHosts(HttpProtos.virtualHost(HttpProtos.route("/", "svc")))
            .addRequestHeadersToAdd(header("x-a", "100%%").setAppend(BoolValue.of(false)))
            .addResponseHeadersToAdd(
                header("x-b", "1")
                    .setAppendAction(HeaderValueOption.HeaderAppendAction.ADD_IF_ABSENT))
            .addResponseHeadersToRemove("X-Powered-By")
            .build();

    RouteConfig config = RouteConfigTranslator.translate(proto, PATH);

    assertThat(config.requestHeaders().toAdd())
        .containsExactly(
            new io.outrigger.api.model.http.HeaderValueOption(
                "x-a", "100%", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
    assertThat(config.responseHeaders().toAdd().get(0).appendAction())
        .isEqualTo(HeaderAppendAction.ADD_IF_ABSENT);
    assertThat(config.responseHeaders().toRemove()).containsExactly("x-powered-by");
  }

  @Test
  void refusesCommandOperatorInHeaderValue() {
    RouteConfiguration proto =
        RouteConfiguration.newBuilder()
            .addVirtualHosts(
                HttpProtos.virtualHost(HttpProtos.route("/", "svc"))
                    .addRequestHeadersToAdd(header("x-client", "%DOWNSTREAM_REMOTE_ADDRESS%")))
            .build();

    assertRefused(
        proto,
        "rc.virtual_hosts[0].request_headers_to_add[0].header.value:"
            + " \"%DOWNSTREAM_REMOTE_ADDRESS%\" uses an Envoy command operator (%...%), which"
            + " Outrigger does not support; write %% for a literal %");
  }

  @Test
  void refusesMutatingHostAndPseudoHeaders() {
    assertRefused(
        withRoute(HttpProtos.route("/", "svc").addRequestHeadersToRemove("Host")),
        ROUTE0
            + ".request_headers_to_remove[0]: \"Host\" may not be mutated (pseudo-headers, host"
            + " and hop-by-hop headers belong to the proxy)");
    assertRefused(
        withRoute(HttpProtos.route("/", "svc").addRequestHeadersToAdd(header(":path", "/x"))),
        ROUTE0
            + ".request_headers_to_add[0].header.key: \":path\" may not be mutated"
            + " (pseudo-headers, host and hop-by-hop headers belong to the proxy)");
  }

  @Test
  void refusesWeightsSummingToZero() {
    Route.Builder route =
        HttpProtos.route("/", "x")
            .setRoute(
                RouteAction.newBuilder()
                    .setWeightedClusters(
                        WeightedCluster.newBuilder()
                            .addClusters(cw("a", 0))
                            .addClusters(cw("b", 0))));

    assertRefused(
        withRoute(route),
        ROUTE0
            + ".route.weighted_clusters.clusters: weights sum to 0 (expected: a sum greater than"
            + " 0)");
  }

  @Test
  void refusesTotalWeightThatIsNotTheSum() {
    Route.Builder route =
        HttpProtos.route("/", "x")
            .setRoute(
                RouteAction.newBuilder()
                    .setWeightedClusters(
                        WeightedCluster.newBuilder()
                            .addClusters(cw("a", 60))
                            .setTotalWeight(UInt32Value.of(100))));

    assertRefused(
        withRoute(route),
        ROUTE0
            + ".route.weighted_clusters.total_weight: 100 but the weights sum to 60"
            + " (total_weight is deprecated: remove it, or make it the sum)");
  }

  @Test
  void refusesBadAndNonRe2Regexes() {
    Route.Builder bad =
        HttpProtos.route("/", "svc")
            .setMatch(
                RouteMatch.newBuilder()
                    .setSafeRegex(RegexMatcher.newBuilder().setRegex("/users/(\\d+")));
    Route.Builder lookahead =
        HttpProtos.route("/", "svc")
            .setMatch(
                RouteMatch.newBuilder()
                    .setSafeRegex(RegexMatcher.newBuilder().setRegex("/(?!admin).*")));

    assertRefused(
        withRoute(bad),
        ROUTE0 + ".match.safe_regex.regex: invalid regex \"/users/(\\d+\": Unclosed group");
    assertRefused(
        withRoute(lookahead),
        ROUTE0
            + ".match.safe_regex.regex: regex \"/(?!admin).*\" uses lookaround, which RE2 does"
            + " not support");
  }

  @Test
  void refusesPrefixRewriteWithRegexMatch() {
    Route.Builder route =
        HttpProtos.route("/", "svc")
            .setMatch(
                RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/a.*")))
            .setRoute(RouteAction.newBuilder().setCluster("svc").setPrefixRewrite("/b"));

    assertRefused(
        withRoute(route),
        ROUTE0
            + ".route.prefix_rewrite: cannot be used with a safe_regex match (expected: prefix or"
            + " path)");
  }

  @Test
  void refusesRegexRewriteTogetherWithPrefixRewrite() {
    Route.Builder route =
        HttpProtos.route("/", "svc")
            .setRoute(
                RouteAction.newBuilder()
                    .setCluster("svc")
                    .setPrefixRewrite("/b")
                    .setRegexRewrite(
                        RegexMatchAndSubstitute.newBuilder()
                            .setPattern(RegexMatcher.newBuilder().setRegex("a"))
                            .setSubstitution("b")));

    assertRefused(
        withRoute(route),
        ROUTE0 + ".route.regex_rewrite: cannot be set together with prefix_rewrite");
  }

  @Test
  void refusesCookieGeneration() {
    Route.Builder route =
        HttpProtos.route("/", "svc")
            .setRoute(
                RouteAction.newBuilder()
                    .setCluster("svc")
                    .addHashPolicy(
                        RouteAction.HashPolicy.newBuilder()
                            .setCookie(
                                RouteAction.HashPolicy.Cookie.newBuilder()
                                    .setName("session")
                                    .setTtl(Protos.seconds(60, 0)))));

    assertRefused(
        withRoute(route),
        ROUTE0
            + ".route.hash_policy[0].cookie.ttl: generating the hash cookie is not supported"
            + " (without ttl, an existing cookie is hashed)");
  }

  @Test
  void refusesAnUnknownRetryConditionByName() {
    Route.Builder route =
        HttpProtos.route("/", "svc")
            .setRoute(
                RouteAction.newBuilder()
                    .setCluster("svc")
                    .setRetryPolicy(
                        io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
                            .setRetryOn("5xx,envoy-ratelimited")));

    assertThatThrownBy(() -> RouteConfigTranslator.translate(withRoute(route), PATH))
        .hasMessageStartingWith(
            ROUTE0 + ".route.retry_policy.retry_on: \"envoy-ratelimited\" not supported");
  }

  @Test
  void refusesDuplicateDomainsAndBadWildcards() {
    RouteConfiguration duplicate =
        RouteConfiguration.newBuilder()
            .addVirtualHosts(HttpProtos.virtualHost(HttpProtos.route("/", "a")))
            .addVirtualHosts(
                VirtualHost.newBuilder().setName("other").addDomains("example.com").addDomains("*"))
            .build();
    RouteConfiguration wildcard =
        RouteConfiguration.newBuilder()
            .addVirtualHosts(VirtualHost.newBuilder().setName("w").addDomains("a.*.com"))
            .build();

    assertRefused(
        duplicate,
        "rc.virtual_hosts[1].domains[1]: duplicate domain \"*\" (first in rc.virtual_hosts[0]); a"
            + " domain may belong to one virtual host only");
    assertRefused(
        wildcard,
        "rc.virtual_hosts[0].domains[0]: \"a.*.com\" (expected: \"*\" alone, or one \"*\" at the"
            + " start or at the end)");
  }

  @Test
  void refusesDirectResponseStatusOutOfRange() {
    Route.Builder route =
        HttpProtos.route("/", "svc")
            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(100));

    assertRefused(withRoute(route), ROUTE0 + ".direct_response.status: 100 (expected: 200..599)");
  }

  private static WeightedCluster.ClusterWeight cw(String name, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder()
        .setName(name)
        .setWeight(UInt32Value.of(weight))
        .build();
  }

  private static HeaderValueOption.Builder header(String key, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(key).setValue(value));
  }

  private static RouteConfiguration withRoute(Route.Builder route) {
    return RouteConfiguration.newBuilder().addVirtualHosts(HttpProtos.virtualHost(route)).build();
  }

  private static RouteConfig translate(Route.Builder route) throws ConfigException {
    return RouteConfigTranslator.translate(withRoute(route), PATH);
  }

  private static io.outrigger.api.model.http.RouteAction action(Route.Builder route)
      throws ConfigException {
    return translate(route).virtualHosts().get(0).routes().get(0).action();
  }

  private static void assertRefused(RouteConfiguration proto, String message) {
    assertThatThrownBy(() -> RouteConfigTranslator.translate(proto, PATH))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }
}
