package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outrigger mesh up --intercept}: three unchanged replicas, each in a network namespace
 * of its own, calling each other at their plain addresses; iptables sends that through the sidecars
 * (proven by the sidecars' counters and handshakes), a partition still cuts replicas apart, a
 * destination the mesh does not know goes through {@code PassthroughCluster}, and {@code down}
 * leaves no namespace or bridge. Runs as root with {@code ip} and {@code iptables}, as CI does.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MeshInterceptProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path tmp;
  private Path dir;

  @AfterEach
  void down() throws Exception {
    if (dir != null) {
      outrigger("mesh", "down", "--dir", dir.toString());
    }
  }

  private static Result outrigger(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static Result run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int status, String out) {}

  @Test
  void unchangedReplicasTalkThroughTheirSidecarsAndPartitionsStillCut() throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    dir = tmp.resolve("mesh");
    Result up = outrigger("mesh", "up", "--intercept", "--nodes", "3", "--dir", dir.toString());
    assertThat(up.status()).as(up.out()).isZero();
    assertThat(up.out()).contains("intercepted", "SYNCED");
    MeshState mesh = MeshState.load(dir).orElseThrow();
    MeshState.Node n1 = mesh.nodes().get(0);
    MeshState.Node n2 = mesh.nodes().get(1);
    MeshState.Node n3 = mesh.nodes().get(2);

    // The host reaches each replica at its own address; a write through n1 is read through n3.
    assertThat(put(n1.storeUrl(), "colour", "blue").statusCode()).isEqualTo(200);
    assertThat(value(get(n3.storeUrl(), "colour"))).isEqualTo("blue");
    // The replicas dialled each other's plain addresses; n1's sidecar carried it, over mTLS.
    assertThat(n1.storeUrl().getHost()).isNotEqualTo("127.0.0.1");
    assertThat(stat(n1.adminUrl(), "cluster.peer_n2.upstream_rq_total")).isPositive();
    assertThat(stat(n1.adminUrl(), "cluster.peer_n2.ssl.handshake")).isPositive();
    assertThat(stat(n2.adminUrl(), "listener.*_15006.ssl.handshake")).isPositive();

    // An unmodified client inside n1's namespace, at n2's address: through both sidecars.
    Result curl =
        run(
            List.of(
                "ip",
                "netns",
                "exec",
                mesh.network().namespace("n1"),
                "curl",
                "-sS",
                "--max-time",
                "5",
                n2.storeUrl() + "/kv/colour"));
    assertThat(curl.out()).contains("\"value\":\"blue\"");

    passthroughCarriesADestinationTheMeshDoesNotKnow(mesh);

    Result isolate = outrigger("mesh", "isolate", "n1", "--dir", dir.toString());
    assertThat(isolate.status()).as(isolate.out()).isZero();
    HttpResponse<String> minority = put(n1.storeUrl(), "colour", "red");
    assertThat(minority.statusCode()).isEqualTo(503);
    assertThat(minority.body()).contains("no quorum");
    assertThat(put(n2.storeUrl(), "colour", "green").statusCode()).isEqualTo(200);
    assertThat(outrigger("mesh", "heal", "--dir", dir.toString()).status()).isZero();
    assertThat(value(get(n1.storeUrl(), "colour"))).isEqualTo("green");

    Result down = outrigger("mesh", "down", "--dir", dir.toString());
    assertThat(down.status()).as(down.out()).isZero();
    dir = null;
    assertThat(run(List.of("ip", "netns", "list")).out())
        .doesNotContain("outrigger-" + mesh.network().id());
    assertThat(Path.of("/sys/class/net", mesh.network().bridge())).doesNotExist();
  }

  /**
   * A TCP server on the host's end of the bridge, which no cluster names: a connection to it from
   * n1's namespace is redirected to n1's sidecar, matches no peer chain, and goes out through
   * {@code PassthroughCluster} to where it was meant to go, bytes unchanged.
   */
  private static void passthroughCarriesADestinationTheMeshDoesNotKnow(MeshState mesh)
      throws Exception {
    InetAddress host = InetAddress.getByName(mesh.network().hostAddress());
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(host, 0));
      CompletableFuture<String> echoed =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept()) {
                  s.setSoTimeout(10_000);
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream();
                  byte[] line = in.readNBytes(6);
                  out.write(line);
                  out.flush();
                  return new String(line, StandardCharsets.US_ASCII);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Result nc =
          run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  mesh.network().namespace("n1"),
                  "bash",
                  "-c",
                  "exec 3<>/dev/tcp/"
                      + mesh.network().hostAddress()
                      + "/"
                      + server.getLocalPort()
                      + "; printf 'ping!\\n' >&3; head -c 6 <&3"));
      assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("ping!\n");
      assertThat(nc.out()).isEqualTo("ping!\n");
    }
    assertThat(
            stat(
                mesh.nodes().get(0).adminUrl(),
                "cluster." + InterceptResources.PASSTHROUGH + ".upstream_cx_total"))
        .isPositive();
  }

  private static HttpResponse<String> put(URI store, String key, String value) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(store.resolve("/kv/" + key))
            .timeout(Duration.ofSeconds(5))
            .PUT(HttpRequest.BodyPublishers.ofString(value))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI store, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(store.resolve("/kv/" + key)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String value(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject().get("value").getAsString();
  }

  /**
   * A statistic from the sidecar's {@code /stats}, by Envoy's dotted name, where {@code *} stands
   * for any text (a listener's address); summed over what matches, 0 when absent.
   */
  static double stat(URI admin, String name) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(admin.resolve("/stats"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String glob =
        java.util.Arrays.stream(name.split("\\*", -1))
            .map(java.util.regex.Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*"));
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("^" + glob + ": (\\d+)$");
    return body.lines()
        .map(line::matcher)
        .filter(java.util.regex.Matcher::matches)
        .mapToDouble(m -> Double.parseDouble(m.group(1)))
        .sum();
  }
}
