package io.outrigger.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The admin server's routes, Envoy's paths and semantics, over a {@link SidecarControl}. */
public final class AdminEndpoints {
  private AdminEndpoints() {}

  public static List<AdminRoute> routes(SidecarControl sidecar) {
    List<AdminRoute> routes = new ArrayList<>();
    routes.add(
        AdminRoute.get("/ready", "200 LIVE when serving, 503 otherwise", r -> ready(sidecar)));
    routes.add(
        AdminRoute.get(
            "/stats/prometheus",
            "all statistics, Prometheus text format",
            r ->
                new AdminResponse(
                    io.netty.handler.codec.http.HttpResponseStatus.OK,
                    AdminResponse.PROMETHEUS,
                    sidecar.stats().scrape(),
                    () -> {})));
    routes.add(AdminRoute.get("/stats", "all statistics, ?filter=REGEX", r -> stats(sidecar, r)));
    routes.add(
        AdminRoute.get(
            "/config_dump",
            "the effective configuration (admin.v3.ConfigDump)",
            r ->
                AdminResponse.json(
                    ConfigDumpView.render(
                        sidecar.bootstrap().proto(),
                        sidecar.bootstrapLoadedAt(),
                        sidecar.dynamicResources()))));
    routes.add(
        AdminRoute.get(
            "/clusters",
            "clusters and hosts with counters and health, ?format=json",
            r ->
                "json".equals(r.param("format"))
                    ? AdminResponse.json(ClustersView.json(sidecar.clusters()))
                    : AdminResponse.ok(ClustersView.text(sidecar.clusters()))));
    routes.add(
        AdminRoute.post(
            "/drain_listeners",
            "stop accepting on every listener; /ready turns 503",
            r -> {
              sidecar.drainListeners();
              return AdminResponse.ok("OK\n");
            }));
    routes.add(
        AdminRoute.getOrPost(
            "/logging", "show or set log levels: ?level=L or ?LOGGER=L", AdminEndpoints::logging));
    routes.add(
        AdminRoute.post(
            "/quitquitquit",
            "exit at once (no drain)",
            r -> AdminResponse.ok("OK\n").then(sidecar::quit)));
    routes.add(AdminRoute.get("/", "this list", r -> AdminResponse.ok(index(routes))));
    return routes;
  }

  private static AdminResponse ready(SidecarControl sidecar) {
    ServerState state = sidecar.state();
    return state == ServerState.LIVE
        ? AdminResponse.ok("LIVE\n")
        : AdminResponse.text(SERVICE_UNAVAILABLE, state.name() + "\n");
  }

  private static AdminResponse stats(SidecarControl sidecar, AdminRequest r) {
    String filter = r.param("filter");
    Pattern pattern = null;
    if (filter != null) {
      try {
        pattern = Pattern.compile(filter);
      } catch (PatternSyntaxException e) {
        return AdminResponse.text(
            BAD_REQUEST, "filter: invalid regex: " + e.getDescription() + "\n");
      }
    }
    return AdminResponse.ok(StatsView.render(sidecar.stats().registry(), pattern));
  }

  private static AdminResponse logging(AdminRequest r) {
    if (r.method().equals(HttpMethod.POST)) {
      for (Map.Entry<String, List<String>> e : r.params().entrySet()) {
        String value = e.getValue().isEmpty() ? "" : e.getValue().get(0);
        if (!LogLevels.isLevel(value)) {
          return AdminResponse.text(
              BAD_REQUEST,
              e.getKey()
                  + ": unknown level \""
                  + value
                  + "\" (expected: trace, debug, info, warning, error, critical, off)\n");
        }
      }
      r.params()
          .forEach(
              (k, v) -> {
                if (k.equals("level")) {
                  LogLevels.setAll(v.get(0));
                } else {
                  LogLevels.set(k, v.get(0));
                }
              });
    }
    StringBuilder sb = new StringBuilder("active loggers:\n");
    LogLevels.explicitLevels()
        .forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    return AdminResponse.ok(sb.toString());
  }

  private static String index(List<AdminRoute> routes) {
    StringBuilder sb = new StringBuilder("admin commands are:\n");
    for (AdminRoute route : routes) {
      sb.append("  ")
          .append(route.path())
          .append(" (")
          .append(
              String.join("|", route.methods().stream().map(HttpMethod::name).sorted().toList()))
          .append("): ")
          .append(route.help())
          .append('\n');
    }
    return sb.toString();
  }
}
