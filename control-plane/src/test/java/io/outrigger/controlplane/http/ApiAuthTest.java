package io.outrigger.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.controlplane.AccessOptions;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.Fixtures;
import io.outrigger.controlplane.ManualClock;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP API route: 401 without a token (or with one not granted), 403 with a token outside its
 * scope or a node token, and the route's own answer with the right scope; nothing changes on a
 * refusal.
 */
class ApiAuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String EXTRA_CLUSTER =
      Fixtures.edsCluster("extra") + Fixtures.assignment("extra", 9090);

  @TempDir Path dir;
  private final SplittableRandom random = new SplittableRandom(4);
  private final Map<Scope, String> tokens =
      Map.of(
          Scope.STATUS, TokenFile.newToken(random),
          Scope.FAULTS, TokenFile.newToken(random),
          Scope.RESOURCES, TokenFile.newToken(random));
  private final String nodeToken = TokenFile.newToken(random);
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    Path resources = Files.createDirectories(dir.resolve("resources"));
    Files.writeString(resources.resolve("mesh.yaml"), Fixtures.mesh("kv", 8080));
    for (String n : List.of("n1", "n2")) {
      Files.writeString(
          Files.createDirectories(resources.resolve(n)).resolve("own.yaml"),
          Fixtures.edsCluster("own_" + n) + Fixtures.assignment("own_" + n, 8081));
    }
    StringBuilder file = new StringBuilder();
    tokens.forEach((scope, t) -> file.append(TokenFile.apiLine(t, Set.of(scope))).append('\n'));
    file.append(TokenFile.nodeLine(nodeToken, new WorkloadIdentity("default", "n1")));
    Path tokenFile = Files.writeString(dir.resolve("tokens"), file);
    cp =
        ControlPlane.start(
            Fixtures.options(resources, new ManualClock(Instant.parse("2026-12-06T00:00:00Z")))
                .withAccess(new AccessOptions(Optional.of(tokenFile), false, List.of())));
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  /** A route: what it needs beyond reading, and the answer of a caller that has it. */
  record Route(String method, String path, String body, Scope scope, int ok) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static Stream<Arguments> routes() {
    String endpoint = "{\"cluster\":\"kv\",\"address\":\"127.0.0.1\",\"port\":9001}";
    return Stream.of(
            new Route("GET", "/v1/status", "", Scope.STATUS, 200),
            new Route("GET", "/metrics", "", Scope.STATUS, 200),
            new Route("GET", "/v1/resources", "", Scope.STATUS, 200),
            new Route("PUT", "/v1/resources", EXTRA_CLUSTER, Scope.RESOURCES, 200),
            new Route("DELETE", "/v1/resources/clusters/own_n2", "", Scope.RESOURCES, 200),
            new Route("GET", "/v1/endpoints", "", Scope.STATUS, 200),
            new Route("POST", "/v1/endpoints", endpoint, Scope.RESOURCES, 201),
            new Route("DELETE", "/v1/endpoints/kv/127.0.0.1/9001", "", Scope.RESOURCES, 404),
            new Route("GET", "/v1/faults", "", Scope.STATUS, 200),
            new Route(
                "POST",
                "/v1/faults/partition",
                "{\"groups\":[[\"n1\"],[\"n2\"]]}",
                Scope.FAULTS,
                200),
            new Route("POST", "/v1/faults/isolate", "{\"node\":\"n1\"}", Scope.FAULTS, 200),
            new Route(
                "POST",
                "/v1/faults/link",
                "{\"from\":\"n1\",\"to\":\"n2\",\"action\":\"drop\"}",
                Scope.FAULTS,
                200),
            new Route("DELETE", "/v1/faults", "", Scope.FAULTS, 200))
        .map(Arguments::of);
  }

  private HttpResponse<String> send(Route r, Optional<String> token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cp.httpAddress().getPort() + r.path()))
            .method(
                r.method(),
                r.body().isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(r.body()));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String state() {
    return cp.faultStatus() + "|" + cp.registry().all() + "|" + cp.folderContents();
  }

  private static Scope wrong(Scope needed) {
    return needed == Scope.STATUS ? Scope.FAULTS : Scope.STATUS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void refusesWithoutTokenAndOutsideScopeAndServesTheRightScope(Route r) throws Exception {
    String before = state();

    HttpResponse<String> none = send(r, Optional.empty());
    HttpResponse<String> unknown = send(r, Optional.of("ort_not-granted"));
    HttpResponse<String> wrongScope = send(r, Optional.of(tokens.get(wrong(r.scope()))));
    HttpResponse<String> node = send(r, Optional.of(nodeToken));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrongScope.statusCode()).isEqualTo(403);
    assertThat(wrongScope.body()).contains(r.scope().wireName());
    assertThat(node.statusCode()).isEqualTo(403);
    assertThat(state()).isEqualTo(before);
    assertThat(cp.refusals().count("http", "missing_token")).isEqualTo(1);
    assertThat(cp.refusals().count("http", "scope")).isEqualTo(1);

    HttpResponse<String> ok = send(r, Optional.of(tokens.get(r.scope())));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(r.ok());
  }

  @Test
  void aWriteWithTheRightScopeChangesWhatIsServed() throws Exception {
    Route partition =
        new Route(
            "POST", "/v1/faults/partition", "{\"groups\":[[\"n1\"],[\"n2\"]]}", Scope.FAULTS, 200);
    String before = cp.faultStatus().toString();
    send(partition, Optional.of(tokens.get(Scope.STATUS)));
    assertThat(cp.faultStatus().toString()).isEqualTo(before);

    assertThat(send(partition, Optional.of(tokens.get(Scope.FAULTS))).statusCode()).isEqualTo(200);
    assertThat(cp.faultStatus().toString()).isNotEqualTo(before);
  }
}
