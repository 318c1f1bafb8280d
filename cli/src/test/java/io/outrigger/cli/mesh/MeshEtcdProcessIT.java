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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outrigger mesh up --store etcd}: three unchanged etcd members, each in its own network
 * namespace behind its sidecar; their Raft traffic crosses the sidecars over mTLS, an isolated
 * member stops committing while the majority goes on (the partition cuts the Raft streams already
 * open), and after the heal it catches up. Runs as root with iptables and etcd, as CI does.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MeshEtcdProcessIT {
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

  private static MeshInterceptProcessIT.Result outrigger(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
    return new MeshInterceptProcessIT.Result(p.exitValue(), out);
  }

  @Test
  void etcdMembersReplicateThroughTheirSidecarsAndAnIsolatedMemberStopsCommitting()
      throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    assumeThat(Files.isExecutable(Path.of("/usr/bin/etcd"))).as("etcd-server").isTrue();
    dir = tmp.resolve("mesh");
    var up = outrigger("mesh", "up", "--store", "etcd", "--dir", dir.toString());
    assertThat(up.status()).as(up.out()).isZero();
    assertThat(up.out()).contains("3 etcd members, intercepted", "SYNCED");
    MeshState mesh = MeshState.load(dir).orElseThrow();
    URI n1 = mesh.nodes().get(0).storeUrl();
    URI n2 = mesh.nodes().get(1).storeUrl();
    URI n3 = mesh.nodes().get(2).storeUrl();

    assertThat(put(n1, "colour", "blue").statusCode()).isEqualTo(200);
    assertThat(get(n3, "colour")).isEqualTo("blue");
    // Raft crossed the sidecars: n1's outbound chains to its peers' port 2380, over mTLS.
    URI admin = mesh.nodes().get(0).adminUrl();
    assertThat(MeshInterceptProcessIT.stat(admin, "cluster.peer_n2_2380.ssl.handshake"))
        .isPositive();
    assertThat(MeshInterceptProcessIT.stat(admin, "cluster.peer_n3_2380.upstream_cx_total"))
        .isPositive();

    var isolate = outrigger("mesh", "isolate", "n1", "--dir", dir.toString());
    assertThat(isolate.status()).as(isolate.out()).isZero();
    // The majority commits; the isolated member cannot, even on connections it had open.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> put(n2, "colour", "green").statusCode() == 200);
    assertThat(get(n3, "colour")).isEqualTo("green");
    assertThat(putFails(n1, "colour", "red")).isTrue();

    assertThat(outrigger("mesh", "heal", "--dir", dir.toString()).status()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> "green".equals(get(n1, "colour")));

    assertThat(outrigger("mesh", "down", "--dir", dir.toString()).status()).isZero();
    dir = null;
    assertThat(Path.of("/sys/class/net", mesh.network().bridge())).doesNotExist();
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

  /** A put on an isolated member: etcd's own timeout (an error) or ours. */
  private static boolean putFails(URI member, String key, String value) throws Exception {
    try {
      return put(member, key, value).statusCode() != 200;
    } catch (HttpTimeoutException e) {
      return true;
    }
  }

  private static String get(URI member, String key) throws Exception {
    HttpResponse<String> r =
        post(member, "/v3/kv/range", "{\"key\":\"%s\"}".formatted(b64(key)), Duration.ofSeconds(5));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (!body.has("kvs")) {
      return null;
    }
    String value = body.getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString();
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
