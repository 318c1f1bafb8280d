package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outrigger mesh up --store etcd}: three unchanged etcd members, each in its own network
 * namespace behind its sidecar; their Raft traffic crosses the sidecars over mTLS, an isolated
 * member loses quorum (no write, no linearizable read) while the majority goes on (the partition
 * cuts the Raft streams already open), after the heal it catches up, and {@code down} leaves no
 * process, namespace or bridge. Runs as root with iptables, etcd and etcdctl, as CI does.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MeshEtcdProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
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

  private static MeshInterceptProcessIT.Result outrigger(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
    return new MeshInterceptProcessIT.Result(p.exitValue(), out);
  }

  @Test
  void etcdMembersReplicateThroughTheirSidecarsAndAnIsolatedMemberLosesQuorum() throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    assumeThat(Files.isExecutable(Path.of("/usr/bin/etcd"))).as("etcd-server").isTrue();
    assumeThat(Files.isExecutable(ETCDCTL)).as("etcd-client").isTrue();
    dir = tmp.resolve("mesh");
    var up = outrigger("mesh", "up", "--store", "etcd", "--dir", dir.toString());
    assertThat(up.status()).as(up.out()).isZero();
    assertThat(up.out())
        .contains("3 etcd members, intercepted", "SYNCED")
        .doesNotContain("NOT_SENT");
    MeshState mesh = MeshState.load(dir).orElseThrow();
    URI n1 = mesh.nodes().get(0).storeUrl();
    URI n2 = mesh.nodes().get(1).storeUrl();
    URI n3 = mesh.nodes().get(2).storeUrl();
    assertThat(dir.resolve("n1/etcd/member/wal")).isDirectory();

    assertThat(put(n1, "colour", "blue").statusCode()).isEqualTo(200);
    assertThat(get(n3, "colour")).isEqualTo("blue");
    // Raft crossed the sidecars: n1's outbound chains to its peers' port 2380, over mTLS.
    URI admin = mesh.nodes().get(0).adminUrl();
    assertThat(MeshInterceptProcessIT.stat(admin, "cluster.peer_n2_2380.ssl.handshake"))
        .isPositive();
    assertThat(MeshInterceptProcessIT.stat(admin, "cluster.peer_n3_2380.ssl.handshake"))
        .isPositive();
    // An unmodified gRPC client in n1's namespace dials n3's client port: both sidecars, mTLS.
    var grpc = etcdctl(mesh, "n1", n3, "get", "colour", "--print-value-only");
    assertThat(grpc.status()).as(grpc.out()).isZero();
    assertThat(grpc.out().strip()).isEqualTo("blue");
    assertThat(MeshInterceptProcessIT.stat(admin, "cluster.peer_n3_2379.ssl.handshake"))
        .isPositive();

    var partition = outrigger("mesh", "partition", "n1", "/", "n2,n3", "--dir", dir.toString());
    assertThat(partition.status()).as(partition.out()).isZero();
    // The majority commits; the isolated member cannot, even on the Raft streams it had open.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> put(n2, "colour", "green").statusCode() == 200);
    assertThat(get(n3, "colour")).isEqualTo("green");
    assertThat(fails(() -> put(n1, "colour", "red"))).as("a write on n1").isTrue();
    assertThat(fails(() -> range(n1, "colour"))).as("a linearizable read on n1").isTrue();

    assertThat(outrigger("mesh", "heal", "--dir", dir.toString()).status()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> "green".equals(get(n1, "colour")));

    var down = outrigger("mesh", "down", "--dir", dir.toString());
    assertThat(down.status()).as(down.out()).isZero();
    dir = null;
    for (MeshState.Node node : mesh.nodes()) {
      assertThat(MeshProcesses.alive(node.store())).as("etcd %s", node.name()).isFalse();
      assertThat(MeshProcesses.alive(node.sidecar())).as("sidecar %s", node.name()).isFalse();
    }
    assertThat(MeshProcesses.alive(mesh.controlPlane().process())).isFalse();
    assertThat(run(List.of("ip", "netns", "list")).out())
        .doesNotContain("outrigger-" + mesh.network().id());
    assertThat(Path.of("/sys/class/net", mesh.network().bridge())).doesNotExist();
  }

  private static MeshInterceptProcessIT.Result run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
    return new MeshInterceptProcessIT.Result(p.exitValue(), out);
  }

  /** etcdctl (v3 API, gRPC) run in {@code node}'s namespace against {@code member}. */
  private static MeshInterceptProcessIT.Result etcdctl(
      MeshState mesh, String node, URI member, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(mesh.network().inNamespace(node));
    cmd.addAll(
        List.of(ETCDCTL.toString(), "--endpoints", member.toString(), "--command-timeout", "5s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
    return new MeshInterceptProcessIT.Result(p.exitValue(), out);
  }

  /** A request that etcd refuses (no leader, timed out) or that gets no answer in time. */
  private static boolean fails(Callable<HttpResponse<String>> request) throws Exception {
    try {
      return request.call().statusCode() != 200;
    } catch (HttpTimeoutException e) {
      return true;
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> post(URI member, String path, String json, Duration timeout)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(member.resolve(path))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(URI member, String key, String value) throws Exception {
    return post(
        member,
        "/v3/kv/put",
        "{\"key\":\"%s\",\"value\":\"%s\"}".formatted(b64(key), b64(value)),
        Duration.ofSeconds(5));
  }

  /** A linearizable read (etcd's default). */
  private static HttpResponse<String> range(URI member, String key) throws Exception {
    return post(
        member, "/v3/kv/range", "{\"key\":\"%s\"}".formatted(b64(key)), Duration.ofSeconds(5));
  }

  private static String get(URI member, String key) throws Exception {
    HttpResponse<String> r = range(member, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (!body.has("kvs")) {
      return null;
    }
    String value = body.getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString();
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
