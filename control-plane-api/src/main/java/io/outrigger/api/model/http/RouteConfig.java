package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code route.v3.RouteConfiguration}: the virtual hosts of a connection manager.
 *
 * @param name may be empty for an inline configuration; the resource name under RDS
 * @param virtualHosts names unique, every domain in at most one of them
 * @param requestHeaders request header mutation applied to every route
 * @param responseHeaders response header mutation applied to every route
 */
public record RouteConfig(
    String name,
    List<VirtualHost> virtualHosts,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders) {
  public RouteConfig {
    requireNonNull(name, "name");
    virtualHosts = List.copyOf(requireNonNull(virtualHosts, "virtualHosts"));
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
  }
}
