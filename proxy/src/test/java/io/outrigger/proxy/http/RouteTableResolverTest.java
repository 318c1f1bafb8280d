package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteMatch;
import io.outrigger.api.model.http.UpgradeConfig;
import io.outrigger.api.model.http.VirtualHost;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.http.route.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteTableResolverTest {

  @Test
  void aRouteThatReadsNothingOfTheRequestGetsOneDecisionForEveryRequest() {
    RouteTableResolver resolver = resolver(Set.of());

    RouteDecision first = resolver.resolve(get("/api/a"), "http", "10.0.0.1");
    RouteDecision second = resolver.resolve(get("/api/b?q=1"), "https", "10.0.0.2");
    RouteDecision health = resolver.resolve(get("/healthz"), "http", "10.0.0.1");

    assertThat(second).isSameAs(first);
    assertThat(first)
        .isInstanceOfSatisfying(
            RouteDecision.Forward.class,
            f -> {
              assertThat(f.cluster()).isEqualTo("api");
              assertThat(f.upgradeAllowed()).isTrue();
              assertThat(f.hash()).isEmpty();
            });
    assertThat(resolver.resolve(get("/healthz/deep"), "http", "10.0.0.3")).isSameAs(health);
    assertThat(health)
        .isInstanceOfSatisfying(
            RouteDecision.Respond.class,
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            });
  }

  @Test
  void anUpgradeRequestIsDecidedByItsOwnRouteAndListenerUpgradeSettings() {
    RouteTableResolver resolver = resolver(Set.of("websocket", "h2c"));
    RouteDecision plain = resolver.resolve(get("/api/a"), "http", "10.0.0.1");

    RouteDecision websocket = resolver.resolve(upgrade("/api/a", "websocket"), "http", "10.0.0.1");
    RouteDecision h2c = resolver.resolve(upgrade("/api/a", "h2c"), "http", "10.0.0.1");
    RouteDecision unknown = resolver.resolve(upgrade("/api/a", "spdy/3"), "http", "10.0.0.1");

    assertThat(websocket).isNotSameAs(plain);
    assertThat(((RouteDecision.Forward) websocket).upgradeAllowed()).isFalse(); // the route's own
    assertThat(((RouteDecision.Forward) h2c).upgradeAllowed()).isTrue(); // the listener's
    assertThat(((RouteDecision.Forward) unknown).upgradeAllowed()).isFalse();
    assertThat(((RouteDecision.Forward) plain).upgradeAllowed()).isTrue();
  }

  @Test
  void aRouteThatDrawsPerRequestGetsADecisionPerRequest() {
    RouteTableResolver resolver = resolver(Set.of());

    RouteDecision first = resolver.resolve(get("/split"), "http", "10.0.0.1");
    RouteDecision second = resolver.resolve(get("/split"), "http", "10.0.0.1");

    assertThat(second).isNotSameAs(first);
    assertThat(((RouteDecision.Forward) first).cluster()).isIn("blue", "green");
    assertThat(resolver.resolve(get("/nowhere"), "http", "10.0.0.1"))
        .isInstanceOf(RouteDecision.NoRoute.class);
  }

  private static RouteTableResolver resolver(Set<String> listenerUpgrades) {
    ClusterRoute noWebSocket =
        route(
            new ClusterSpecifier.SingleCluster("api"),
            List.of(new UpgradeConfig("websocket", false)));
    ClusterRoute split =
        route(
            new ClusterSpecifier.WeightedClusters(
                List.of(
                    new ClusterSpecifier.ClusterWeight("blue", 50),
                    new ClusterSpecifier.ClusterWeight("green", 50))),
            List.of());
    VirtualHost host =
        new VirtualHost(
            "all",
            List.of("*"),
            List.of(
                Route.of(
                    RouteMatch.prefix("/healthz"),
                    new DirectResponseRoute(200, "ok".getBytes(StandardCharsets.US_ASCII))),
                Route.of(RouteMatch.prefix("/api"), noWebSocket),
                Route.of(RouteMatch.prefix("/split"), split)),
            HeaderMutation.NONE,
            HeaderMutation.NONE);
    RouteTable table =
        new RouteTable(
            new RouteConfig("rc", List.of(host), HeaderMutation.NONE, HeaderMutation.NONE));
    return new RouteTableResolver(table, new SplittableRandom(3), listenerUpgrades);
  }

  /** A cluster route with every default but its clusters and its {@code upgrade_configs}. */
  private static ClusterRoute route(ClusterSpecifier clusters, List<UpgradeConfig> upgrades) {
    return new ClusterRoute(
        clusters,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        ClusterRoute.DEFAULT_TIMEOUT,
        Optional.empty(),
        List.of(),
        upgrades);
  }

  private static HttpRequest get(String uri) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    r.headers().set("host", "svc.local");
    return r;
  }

  private static HttpRequest upgrade(String uri, String protocol) {
    HttpRequest r = get(uri);
    r.headers().set("connection", "Upgrade").set("upgrade", protocol);
    return r;
  }
}
