package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteMatch;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.RouterFilterConfig;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.http.VirtualHost;
import io.outrigger.api.validation.ConfigException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpBootstrapLoaderTest {
  private static final String HCM =
      "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";

  @Test
  void readsEnvoyDocumentationFrontProxy() throws Exception {
    BootstrapConfig config =
        BootstrapLoader.load(resource("bootstrap/front-proxy-docs.yaml"), Map.of()).config();

    HttpConnectionManagerConfig hcm = hcm(config);
    assertThat(hcm.statPrefix()).isEqualTo("ingress_http");
    assertThat(hcm.httpFilters())
        .containsExactly(new RouterFilterConfig("envoy.filters.http.router"));
    RouteConfig routes = ((RouteSource.InlineRoutes) hcm.routeSource()).routeConfig();
    assertThat(routes.name()).isEqualTo("local_route");
    VirtualHost host = routes.virtualHosts().get(0);
    assertThat(host.domains()).containsExactly("*");
    assertThat(host.routes().get(0).match()).isEqualTo(RouteMatch.prefix("/"));
    assertThat(host.routes().get(0).action()).isEqualTo(ClusterRoute.to("service"));
  }

  @Test
  void loadsTheFrontProxyExample() throws Exception {
    Path example = Path.of("..", "examples", "front-proxy", "front-proxy.yaml");
    BootstrapConfig config =
        BootstrapLoader.load(example, Map.of("API_PORT", "9001", "CANARY_PORT", "9002")).config();

    assertThat(config.clusters()).extracting(c -> c.name()).containsExactly("api", "canary");
    RouteConfig routes = ((RouteSource.InlineRoutes) hcm(config).routeSource()).routeConfig();
    var list = routes.virtualHosts().get(0).routes();
    assertThat(list.get(0).action())
        .isEqualTo(new DirectResponseRoute(200, "ok\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(list.get(1).match().headers())
        .containsExactly(HeaderMatcher.of("x-canary", StringMatcher.exact("true")));
    assertThat(((ClusterRoute) list.get(2).action()).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(((ClusterRoute) list.get(3).action()).cluster())
        .isEqualTo(
            new ClusterSpecifier.WeightedClusters(
                List.of(
                    new ClusterSpecifier.ClusterWeight("api", 90),
                    new ClusterSpecifier.ClusterWeight("canary", 10))));
    assertThat(routes.responseHeaders().toRemove()).containsExactly("x-powered-by");
  }

  @Test
  void refusesBothPrefixAndPathWithTheLine() throws Exception {
    String yaml =
        Files.readString(resource("bootstrap/front-proxy-docs.yaml"))
            .replace("match: { prefix: \"/\" }", "match: { prefix: \"/\", path: \"/x\" }");

    assertThatThrownBy(() -> BootstrapLoader.load(yaml, "front.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "front.yaml: line 20: "
                + HCM
                + ".route_config.virtual_hosts[0].routes[0].match.path: only one of path_specifier"
                + " may be set, and prefix is");
  }

  @Test
  void refusesRouteToUnknownClusterWithTheLine() throws Exception {
    String yaml =
        Files.readString(resource("bootstrap/front-proxy-docs.yaml"))
            .replace("route: { cluster: service }", "route: { cluster: nowhere }");

    assertThatThrownBy(() -> BootstrapLoader.load(yaml, "front.yaml", Map.of()))
        .hasMessage(
            "front.yaml: line 21: "
                + HCM
                + ".route_config.virtual_hosts[0].routes[0].route.cluster: unknown cluster"
                + " \"nowhere\"");
  }

  private static HttpConnectionManagerConfig hcm(BootstrapConfig config) {
    return (HttpConnectionManagerConfig)
        config.listeners().get(0).firstFilterChain().terminalFilter();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(HttpBootstrapLoaderTest.class.getClassLoader().getResource(name).toURI());
  }
}
