package io.outrigger.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import io.netty.handler.codec.http.HttpMethod;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.stats.StatsFormat;
import io.outrigger.proxy.stats.envoy.EnvoyStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
            "all statistics, Prometheus text format (--stats-format), ?filter=REGEX, ?usedonly",
            r -> prometheus(sidecar, r, false)));
    routes.add(
        AdminRoute.get(
            "/stats",
            "all statistics, ?filter=REGEX, ?usedonly, ?format=json|prometheus",
            r -> stats(sidecar, r)));
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
    String format = r.param("format");
    if ("prometheus".equals(format)) {
      return prometheus(sidecar, r, true);
    }
    if (format != null && !format.equals("json") && !format.equals("text")) {
      return AdminResponse.text(
          BAD_REQUEST, "format: \"" + format + "\" unknown (expected: json, prometheus, text)\n");
    }
    Predicate<EnvoyStat> keep;
    try {
      keep = StatsView.keep(filter(r), r.params().containsKey("usedonly"));
    } catch (PatternSyntaxException e) {
      return badFilter(e);
    }
    ProxyStats stats = sidecar.stats();
    List<EnvoyStat> all = stats.envoy().snapshot();
    var intervals = stats.intervals().intervals(all);
    return "json".equals(format)
        ? AdminResponse.json(StatsView.json(all, intervals, keep))
        : AdminResponse.ok(StatsView.text(all, intervals, keep));
  }

  /**
   * @param envoy Envoy's exposition whatever {@code --stats-format} says ({@code
   *     /stats?format=prometheus} is Envoy's admin API)
   */
  private static AdminResponse prometheus(SidecarControl sidecar, AdminRequest r, boolean envoy) {
    ProxyStats stats = sidecar.stats();
    String body;
    if (!envoy && stats.format() == StatsFormat.IDIOMATIC) {
      body = stats.scrapeIdiomatic();
    } else {
      try {
        Pattern filter = filter(r);
        boolean usedOnly = r.params().containsKey("usedonly");
        // The JVM's meters are no statistics a filter could name: only the whole list has them.
        body = stats.scrapeEnvoy(StatsView.keep(filter, usedOnly), filter == null && !usedOnly);
      } catch (PatternSyntaxException e) {
        return badFilter(e);
      }
    }
    return new AdminResponse(OK, AdminResponse.PROMETHEUS, body, () -> {});
  }

  private static Pattern filter(AdminRequest r) {
    String filter = r.param("filter");
    return filter == null ? null : Pattern.compile(filter);
  }

  private static AdminResponse badFilter(PatternSyntaxException e) {
    return AdminResponse.text(BAD_REQUEST, "filter: invalid regex: " + e.getDescription() + "\n");
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
