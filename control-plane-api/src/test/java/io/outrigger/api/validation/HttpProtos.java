package io.outrigger.api.validation;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/** Small valid HTTP protos; each test changes the one thing it is about. */
final class HttpProtos {
  private HttpProtos() {}

  static HttpFilter router() {
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance()))
        .build();
  }

  static Route.Builder route(String prefix, String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  static VirtualHost.Builder virtualHost(Route.Builder... routes) {
    VirtualHost.Builder host = VirtualHost.newBuilder().setName("local").addDomains("*");
    for (Route.Builder r : routes) {
      host.addRoutes(r);
    }
    return host;
  }

  static HttpConnectionManager.Builder hcm(Route.Builder... routes) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix("ingress_http")
        .setRouteConfig(
            RouteConfiguration.newBuilder()
                .setName("local_route")
                .addVirtualHosts(virtualHost(routes)))
        .addHttpFilters(router());
  }

  static Listener listener(HttpConnectionManager hcm) {
    return Protos.listener("in", "unused")
        .setFilterChains(
            0,
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }
}
