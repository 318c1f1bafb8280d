package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.RouteAction;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates {@code route.v3.RouteConfiguration} into {@link RouteConfig}: the connection manager's
 * inline {@code route_config}, and (later) each RDS resource.
 */
public final class RouteConfigTranslator {
  private RouteConfigTranslator() {}

  /**
   * @param proto an inline {@code route_config} or an RDS resource
   * @param path where it sits, e.g. {@code
   *     static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config}
   */
  public static RouteConfig translate(RouteConfiguration proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    List<io.outrigger.api.model.http.VirtualHost> hosts = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> domains = new HashMap<>();
    for (int i = 0; i < proto.getVirtualHostsCount(); i++) {
      String at = Paths.item(path, "virtual_hosts", i);
      io.outrigger.api.model.http.VirtualHost host = virtualHost(proto.getVirtualHosts(i), at);
      String first = names.putIfAbsent(host.name(), at);
      if (first != null) {
        throw ConfigException.at(
            Paths.field(at, "name"),
            "duplicate virtual host name \"" + host.name() + "\" (first at " + first + ")");
      }
      for (int d = 0; d < host.domains().size(); d++) {
        String firstDomain = domains.putIfAbsent(host.domains().get(d), at);
        if (firstDomain != null) {
          throw ConfigException.at(
              Paths.item(at, "domains", d),
              "duplicate domain \""
                  + host.domains().get(d)
                  + "\" (first in "
                  + firstDomain
                  + "); a domain may belong to one virtual host only");
        }
      }
      hosts.add(host);
    }
    return new RouteConfig(
        proto.getName(),
        hosts,
        HeaderMutationTranslator.translate(
            proto.getRequestHeadersToAddList(),
            proto.getRequestHeadersToRemoveList(),
            path,
            "request_headers_to_add",
            "request_headers_to_remove"),
        HeaderMutationTranslator.translate(
            proto.getResponseHeadersToAddList(),
            proto.getResponseHeadersToRemoveList(),
            path,
            "response_headers_to_add",
            "response_headers_to_remove"));
  }

  private static io.outrigger.api.model.http.VirtualHost virtualHost(VirtualHost proto, String path)
      throws ConfigException {
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "name"), "required");
    }
    if (proto.getDomainsCount() == 0) {
      throw ConfigException.at(
          Paths.field(path, "domains"), "required (expected: at least one domain, or \"*\")");
    }
    RetryPolicyTranslator.HostDefaults retry = RetryPolicyTranslator.hostDefaults(proto, path);
    List<io.outrigger.api.model.http.Route> routes = new ArrayList<>();
    for (int i = 0; i < proto.getRoutesCount(); i++) {
      routes.add(route(proto.getRoutes(i), Paths.item(path, "routes", i), retry));
    }
    HeaderMutation request =
        HeaderMutationTranslator.translate(
            proto.getRequestHeadersToAddList(),
            proto.getRequestHeadersToRemoveList(),
            path,
            "request_headers_to_add",
            "request_headers_to_remove");
    HeaderMutation response =
        HeaderMutationTranslator.translate(
            proto.getResponseHeadersToAddList(),
            proto.getResponseHeadersToRemoveList(),
            path,
            "response_headers_to_add",
            "response_headers_to_remove");
    for (int i = 0; i < proto.getDomainsCount(); i++) {
      try {
        new io.outrigger.api.model.http.VirtualHost(
            "d", List.of(proto.getDomains(i)), List.of(), HeaderMutation.NONE, HeaderMutation.NONE);
      } catch (IllegalArgumentException e) {
        throw ConfigException.at(
            Paths.item(path, "domains", i), e.getMessage().substring("domains: ".length()));
      }
    }
    return new io.outrigger.api.model.http.VirtualHost(
        proto.getName(),
        proto.getDomainsList(),
        routes,
        request,
        response,
        HttpFilterTranslator.perFilterConfigs(proto.getTypedPerFilterConfigMap(), path));
  }

  private static io.outrigger.api.model.http.Route route(
      Route proto, String path, RetryPolicyTranslator.HostDefaults retry) throws ConfigException {
    if (!proto.hasMatch()) {
      throw ConfigException.at(Paths.field(path, "match"), "required");
    }
    RouteMatch match = RouteMatchTranslator.translate(proto.getMatch(), Paths.field(path, "match"));
    RouteAction action =
        switch (proto.getActionCase()) {
          case ROUTE ->
              RouteActionTranslator.cluster(
                      proto.getRoute(), match.path(), Paths.field(path, "route"))
                  .withRetry(
                      RetryPolicyTranslator.routeRetry(
                          proto, proto.getRoute(), Paths.field(path, "route"), retry));
          case REDIRECT ->
              RouteActionTranslator.redirect(
                  proto.getRedirect(), match.path(), Paths.field(path, "redirect"));
          case DIRECT_RESPONSE ->
              RouteActionTranslator.directResponse(
                  proto.getDirectResponse(), Paths.field(path, "direct_response"));
          default ->
              throw ConfigException.at(path, "one of route, redirect or direct_response required");
        };
    return new io.outrigger.api.model.http.Route(
        proto.getName(),
        match,
        action,
        HeaderMutationTranslator.translate(
            proto.getRequestHeadersToAddList(),
            proto.getRequestHeadersToRemoveList(),
            path,
            "request_headers_to_add",
            "request_headers_to_remove"),
        HeaderMutationTranslator.translate(
            proto.getResponseHeadersToAddList(),
            proto.getResponseHeadersToRemoveList(),
            path,
            "response_headers_to_add",
            "response_headers_to_remove"),
        HttpFilterTranslator.perFilterConfigs(proto.getTypedPerFilterConfigMap(), path));
  }
}
