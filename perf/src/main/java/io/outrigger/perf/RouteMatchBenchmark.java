package io.outrigger.perf;

import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.proxy.http.route.RouteRequest;
import io.outrigger.proxy.http.route.RouteSelection;
import io.outrigger.proxy.http.route.RouteTable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching in a table of 1,000 routes (Envoy matches routes in order, first match wins, as
 * this table does): the first route, the last, one in the middle that needs a header match, and a
 * request that matches no route at all, after trying every one (a 404).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouteMatchBenchmark {
  static final int ROUTES = 1000;

  @Param({"first", "middle-header", "last", "none"})
  public String target;

  private RouteTable table;
  private Request request;
  private final SplittableRandom random = new SplittableRandom(1);

  @Setup
  public void setUp() {
    table = new RouteTable(routes());
    request =
        switch (target) {
          case "first" -> new Request("/svc/0/items", null);
          case "middle-header" -> new Request("/svc/500/items", "canary");
          case "last" -> new Request("/svc/999/items", null);
          default -> new Request("/nowhere", null);
        };
    if (table.select(request, random) == null && !target.equals("none")) {
      throw new IllegalStateException("no route for " + target);
    }
  }

  @Benchmark
  public RouteSelection select() {
    return table.select(request, random);
  }

  /** 1,000 routes: prefix routes, every tenth one also matching a header. */
  static RouteConfig routes() {
    StringBuilder routes = new StringBuilder();
    for (int i = 0; i < ROUTES; i++) {
      routes.append("    - match:\n        prefix: /svc/").append(i).append("/\n");
      if (i % 10 == 0 && i > 0) {
        routes.append("        headers: [{ name: x-track, string_match: { exact: canary } }]\n");
      }
      routes.append("      route: { cluster: backend }\n");
    }
    String yaml =
        Bootstraps.listener(
                """
                route_config:
                  virtual_hosts:
                  - name: api
                    domains: ["api.example.com"]
                    routes:
                """
                    + routes
                    + """
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                """)
            + """
              clusters:
              - name: backend
                load_assignment:
                  cluster_name: backend
                  endpoints:
                  - lb_endpoints:
                    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 8080 } } }
            """;
    var hcm = Bootstraps.connectionManager(Bootstraps.load(yaml));
    return ((io.outrigger.api.model.http.RouteSource.InlineRoutes) hcm.routeSource()).routeConfig();
  }

  /** A request as the route table sees it. */
  record Request(String path, String track) implements RouteRequest {
    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String scheme() {
      return "http";
    }

    @Override
    public String authority() {
      return "api.example.com";
    }

    @Override
    public String header(String lowerCaseName) {
      return lowerCaseName.equals("x-track") ? track : null;
    }

    @Override
    public List<String> headers(String lowerCaseName) {
      String v = header(lowerCaseName);
      return v == null ? List.of() : List.of(v);
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1";
    }
  }
}
