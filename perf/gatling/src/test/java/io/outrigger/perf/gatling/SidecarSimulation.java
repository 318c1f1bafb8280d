package io.outrigger.perf.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Load through a sidecar, in either of Gatling's two workload models (set by system properties,
 * which {@code perf/gatling} passes):
 *
 * <ul>
 *   <li>{@code model=closed}: {@code users} virtual users, each sending its next request as soon as
 *       the last one answered, on its own keep-alive connection, for {@code seconds}. Throughput is
 *       what the system gives; this is wrk's model.
 *   <li>{@code model=open}: {@code rate} new users per second, each sending one request over the
 *       shared connection pool, for {@code seconds}. Arrivals do not wait for answers, so a slow
 *       proxy shows as latency and queueing rather than as a lower rate (no coordinated omission).
 * </ul>
 *
 * <p>{@code workload=get} sends {@code GET /} (an nginx backend); {@code workload=kv} is the
 * store's: half {@code PUT /kv/k<0..99>} with a unique value, half {@code GET} of such a key (404
 * allowed). The run fails when more than 1 % of requests fail.
 */
public class SidecarSimulation extends Simulation {
  private static final String TARGET = System.getProperty("target", "http://127.0.0.1:10000");
  private static final String MODEL = System.getProperty("model", "closed");
  private static final String WORKLOAD = System.getProperty("workload", "get");
  private static final int USERS = Integer.getInteger("users", 50);
  private static final int RATE = Integer.getInteger("rate", 500);
  private static final Duration DURATION = Duration.ofSeconds(Integer.getInteger("seconds", 30));

  private final HttpProtocolBuilder protocol =
      http.baseUrl(TARGET).acceptHeader("*/*").userAgentHeader("gatling-outrigger");

  private static ChainBuilder request() {
    if (WORKLOAD.equals("kv")) {
      return CoreDsl.exec(
          randomSwitch()
              .on(
                  new Choice.WithWeight(
                      50.0,
                      CoreDsl.exec(
                          http("put")
                              .put(s -> "/kv/k" + ThreadLocalRandom.current().nextInt(100))
                              .body(StringBody(s -> "v-" + System.nanoTime()))
                              .check(status().is(200)))),
                  new Choice.WithWeight(
                      50.0,
                      CoreDsl.exec(
                          http("get")
                              .get(s -> "/kv/k" + ThreadLocalRandom.current().nextInt(100))
                              .check(status().in(200, 404))))));
    }
    return CoreDsl.exec(http("get /").get("/").check(status().is(200)));
  }

  private PopulationBuilder population() {
    if (MODEL.equals("open")) {
      ScenarioBuilder one = scenario("open: " + RATE + " users/s").exec(request());
      return one.injectOpen(constantUsersPerSec(RATE).during(DURATION));
    }
    ScenarioBuilder loop = scenario("closed: " + USERS + " users").during(DURATION).on(request());
    return loop.injectOpen(atOnceUsers(USERS));
  }

  {
    HttpProtocolBuilder p = MODEL.equals("open") ? protocol.shareConnections() : protocol;
    setUp(population()).protocols(p).assertions(global().failedRequests().percent().lt(1.0));
  }
}
