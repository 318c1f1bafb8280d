package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box test of {@code bin/outrigger mesh}: a three-replica CP mesh as processes, a write and a
 * read through two different sidecars, an isolated node that answers "no quorum" while the majority
 * goes on, a heal, and a {@code down} that leaves none of the recorded processes alive.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MeshProcessIT {
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

  /** Runs {@code bin/outrigger ARGS}; returns the exit status and what it printed. */
  private static Result outrigger(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).as("outrigger %s exits", args[1]).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int status, String out) {}

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

  @Test
  void upPartitionHealDown() throws Exception {
    dir = tmp.resolve("mesh");
    Result up = outrigger("mesh", "up", "--nodes", "3", "--mode", "cp", "--dir", dir.toString());
    assertThat(up.status()).as(up.out()).isZero();
    assertThat(up.out()).contains("mesh up: 3 replicas", "n1", "n2", "n3", "SYNCED");

    Result status = outrigger("mesh", "status", "--json", "--dir", dir.toString());
    assertThat(status.status()).as(status.out()).isZero();
    JsonObject nodes =
        JsonParser.parseString(status.out()).getAsJsonObject().getAsJsonObject("nodes");
    assertThat(nodes.keySet()).containsExactly("n1", "n2", "n3");
    URI n1 = URI.create(nodes.getAsJsonObject("n1").get("store_url").getAsString());
    URI n2 = URI.create(nodes.getAsJsonObject("n2").get("store_url").getAsString());
    URI n3 = URI.create(nodes.getAsJsonObject("n3").get("store_url").getAsString());
    nodes
        .entrySet()
        .forEach(
            n -> assertThat(n.getValue().getAsJsonObject().get("healthy").getAsBoolean()).isTrue());

    assertThat(put(n1, "colour", "blue").statusCode()).isEqualTo(200);
    assertThat(value(get(n3, "colour"))).isEqualTo("blue");
    processesMapTheLaunchersArchiveUnrelocated(MeshState.load(dir).orElseThrow());
    peersTalkMtlsAndOtherIdentitiesAreRefused(dir, nodes, n1);
    roguesGetNothingFromTheControlPlane(dir);

    Result isolate = outrigger("mesh", "isolate", "n1", "--dir", dir.toString());
    assertThat(isolate.status()).as(isolate.out()).isZero();
    assertThat(isolate.out()).contains("n1->n2 drop", "n2->n1 drop", "applied on every node");

    HttpResponse<String> minority = put(n1, "colour", "red");
    assertThat(minority.statusCode()).isEqualTo(503);
    assertThat(minority.body()).contains("no quorum");
    assertThat(put(n2, "colour", "green").statusCode()).isEqualTo(200);
    assertThat(value(get(n3, "colour"))).isEqualTo("green");

    Result heal = outrigger("mesh", "heal", "--dir", dir.toString());
    assertThat(heal.status()).as(heal.out()).isZero();
    assertThat(heal.out()).contains("faults: none");
    assertThat(value(get(n1, "colour"))).isEqualTo("green");
    assertThat(put(n1, "colour", "violet").statusCode()).isEqualTo(200);

    MeshState recorded = MeshState.load(dir).orElseThrow();
    Result down = outrigger("mesh", "down", "--dir", dir.toString());
    assertThat(down.status()).as(down.out()).isZero();
    assertThat(down.out()).contains("stopped 7 processes");
    dir = null;
    List<MeshState.Started> all = new ArrayList<>();
    recorded.nodes().forEach(n -> all.addAll(List.of(n.store(), n.sidecar())));
    all.add(recorded.controlPlane().process());
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(all).noneMatch(MeshProcesses::alive));
  }

  /**
   * {@code bin/outrigger} maps the class-data archive the build writes when the archive is not
   * older than the jar (in CI it never is), and then so does every JVM of the mesh, at the address
   * the archive was written for ({@code MeshProcesses.sharedArchive}): right above 0x800000000,
   * Java's default base (the JDK's own archive first, then ours), where a relocated one would not
   * be.
   */
  private static void processesMapTheLaunchersArchiveUnrelocated(MeshState mesh)
      throws IOException {
    Path archive = HOME.resolve("cli/target/outrigger.jsa");
    Path jar = HOME.resolve("cli/target/outrigger.jar");
    if (!Files.exists(archive)
        || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
      return; // the launcher maps none, so the mesh has none to pass on
    }
    String mapped = archive.toRealPath().toString();
    List<MeshState.Started> all = new ArrayList<>();
    mesh.nodes().forEach(n -> all.addAll(List.of(n.store(), n.sidecar())));
    all.add(mesh.controlPlane().process());
    for (MeshState.Started p : all) {
      assertThat(Files.readAllLines(Path.of("/proc/" + p.pid() + "/maps")))
          .as("process %d (%s) maps %s at its own address", p.pid(), p.log(), archive)
          .anyMatch(
              l -> {
                long start = Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16);
                return l.endsWith(mapped) && start >= 0x8_0000_0000L && start < 0x8_4000_0000L;
              });
    }
  }

  /**
   * The write above crossed the mesh over mTLS (handshakes on n1's peer clusters, decisions by n1's
   * inbound RBAC on the peers' requests); a workload certificate from the same CA but with another
   * identity gets 403 from the inbound TLS chain, and the refusal is counted.
   */
  private static void peersTalkMtlsAndOtherIdentitiesAreRefused(Path dir, JsonObject nodes, URI n1)
      throws Exception {
    URI admin = URI.create(nodes.getAsJsonObject("n1").get("admin_url").getAsString());
    assertThat(metric(admin, "envoy_cluster_ssl_handshake{envoy_cluster_name=\"peer_n2\"}"))
        .isPositive();
    // Envoy scopes a listener by its address: every TLS listener of n1 together.
    assertThat(metric(admin, "envoy_listener_ssl_handshake{")).isPositive();
    assertThat(metric(admin, "envoy_http_rbac_allowed{envoy_http_conn_manager_prefix=\"inbound\"}"))
        .isPositive();

    io.outrigger.certs.MeshCa ca =
        io.outrigger.certs.MeshCa.load(
            dir.resolve("ca"), java.time.Clock.systemUTC(), new java.security.SecureRandom());
    io.outrigger.certs.WorkloadCertificate intruder =
        ca.issue(
            io.outrigger.certs.SpiffeId.parse("spiffe://outrigger.local/ns/default/sa/intruder"),
            Duration.ofHours(1));
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "intruder",
        intruder.privateKey(),
        new char[0],
        new java.security.cert.Certificate[] {intruder.certificate()});
    javax.net.ssl.KeyManagerFactory kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    // A plain TLS socket: the workload certificate names no host, so only the chain is verified
    // (the JDK's HttpClient would insist on the host name).
    String refused;
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", n1.getPort())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              "GET /kv/colour HTTP/1.1\r\nHost: n1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      refused = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(refused).startsWith("HTTP/1.1 403");
    assertThat(refused).contains("RBAC: access denied");
    assertThat(metric(admin, "envoy_http_rbac_denied{envoy_http_conn_manager_prefix=\"inbound\"}"))
        .isEqualTo(1.0);
  }

  /**
   * The issue-20 rogue: a caller without a token cannot open ADS, one with n3's token cannot claim
   * n2 (by node.cluster or by metadata), a plaintext caller cannot talk to the TLS port; each gets
   * no response, and the refusals are counted. The API refuses a call without a token, and `cp
   * status --mesh-dir` carries the mesh's token.
   */
  private static void roguesGetNothingFromTheControlPlane(Path dir) throws Exception {
    MeshState mesh = MeshState.load(dir).orElseThrow();
    String n3Token = MeshTokens.read(MeshTokens.dir(dir).resolve("n3.token"));
    java.security.cert.X509Certificate ca =
        io.outrigger.certs.Pem.readCertificate(
            java.nio.file.Files.readString(dir.resolve("ca").resolve("ca.pem")));
    int xds = mesh.controlPlane().xdsPort();

    assertThat(RogueAds.ask(xds, ca, null, "rogue-1", "n2", java.util.Map.of()))
        .isEqualTo("UNAUTHENTICATED");
    assertThat(RogueAds.ask(xds, ca, n3Token, "rogue-2", "n2", java.util.Map.of()))
        .isEqualTo("PERMISSION_DENIED");
    assertThat(
            RogueAds.ask(
                xds, ca, n3Token, "rogue-3", "n3", java.util.Map.of("SERVICE_ACCOUNT", "n2")))
        .isEqualTo("PERMISSION_DENIED");
    assertThat(RogueAds.ask(xds, null, n3Token, "rogue-4", "n3", java.util.Map.of()))
        .isEqualTo("UNAVAILABLE");

    URI metrics = mesh.controlPlane().url().resolve("/metrics");
    assertThat(
            HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    String scrape =
        HTTP.send(
                HttpRequest.newBuilder(metrics)
                    .header("Authorization", "Bearer " + MeshTokens.read(MeshTokens.apiFile(dir)))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(scrape)
        .contains("cp_auth_refused_total{reason=\"missing_token\",surface=\"xds\"} 1.0")
        .contains("cp_auth_refused_total{reason=\"identity_mismatch\",surface=\"xds\"} 2.0")
        .contains("cp_auth_refused_total{reason=\"missing_token\",surface=\"http\"} 1.0");

    Result status = outrigger("cp", "status", "--mesh-dir", dir.toString());
    assertThat(status.status()).as(status.out()).isZero();
    assertThat(status.out()).contains("n1", "SYNCED");
  }

  /**
   * One sample of a sidecar's Prometheus scrape, or the sum of a family's samples when {@code
   * sample} ends in <code>{</code>; 0 when absent.
   */
  private static double metric(URI admin, String sample) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(admin.resolve("/stats/prometheus"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> sample.endsWith("{") ? l.startsWith(sample) : l.startsWith(sample + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * kill -9 of a cp replica loses no acknowledged write: one writer keeps writing while replica A
   * is killed and restarted on its data; then replica B is killed too, so that every read must be
   * answered by A and C. Each acknowledged write was stored on two of the three replicas; had A
   * lost what it had acknowledged, a read through A and C would miss it.
   */
  @Test
  void killingAReplicaLosesNoAcknowledgedWrite() throws Exception {
    dir = tmp.resolve("mesh");
    Result up = outrigger("mesh", "up", "--nodes", "3", "--mode", "cp", "--dir", dir.toString());
    assertThat(up.status()).as(up.out()).isZero();
    MeshState mesh = MeshState.load(dir).orElseThrow();
    List<URI> stores = mesh.nodes().stream().map(MeshState.Node::storeUrl).toList();

    Writer writer = new Writer(stores);
    Thread thread = new Thread(writer, "writer");
    thread.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> writer.acked() >= 40);
    Result kill = outrigger("mesh", "kill", "n1", "--dir", dir.toString());
    assertThat(kill.out()).contains("killed the store of n1");
    int ackedAtKill = writer.acked();
    await().atMost(Duration.ofSeconds(20)).until(() -> writer.acked() >= ackedAtKill + 40);
    Result restart = outrigger("mesh", "restart", "n1", "--dir", dir.toString());
    assertThat(restart.status()).as(restart.out()).isZero();
    int ackedAtRestart = writer.acked();
    await().atMost(Duration.ofSeconds(20)).until(() -> writer.acked() >= ackedAtRestart + 40);
    writer.stop();
    thread.join(10_000);

    assertThat(outrigger("mesh", "kill", "n2", "--dir", dir.toString()).out())
        .contains("killed the store of n2");
    URI n1 = mesh.node("n1").orElseThrow().storeUrl();
    URI n3 = mesh.node("n3").orElseThrow().storeUrl();
    for (var e : writer.expected().entrySet()) {
      for (URI store : List.of(n1, n3)) {
        HttpResponse<String> read = get(store, e.getKey());
        assertThat(read.statusCode()).as("read %s at %s", e.getKey(), store).isEqualTo(200);
        assertThat(e.getValue()).as("value of %s", e.getKey()).contains(value(read));
      }
    }
  }

  /**
   * Writes keys k0..k9 in turn with unique values, through a rotating replica, and remembers per
   * key the last acknowledged value and any value written after it whose outcome is unknown (a read
   * may return either). Keys never acknowledged are not checked.
   */
  static final class Writer implements Runnable {
    private final List<URI> stores;
    private final java.util.Map<String, List<String>> expected =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger acked =
        new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running = true;

    Writer(List<URI> stores) {
      this.stores = stores;
    }

    int acked() {
      return acked.get();
    }

    void stop() {
      running = false;
    }

    java.util.Map<String, List<String>> expected() {
      return expected;
    }

    @Override
    public void run() {
      for (int i = 0; running; i++) {
        String key = "k" + (i % 10);
        String value = "v" + i;
        int status;
        String body;
        try {
          HttpResponse<String> r = put(stores.get(i % stores.size()), key, value);
          status = r.statusCode();
          body = r.body();
        } catch (Exception e) {
          status = 0;
          body = "";
        }
        if (status == 200) {
          expected.put(key, new ArrayList<>(List.of(value)));
          acked.incrementAndGet();
        } else if (status == 0 || body.contains("\"unknown\"")) {
          expected.computeIfPresent(
              key,
              (k, values) -> {
                values.add(value);
                return values;
              });
        }
      }
    }
  }

  @Test
  void upRefusesAnUnknownModeWithExitTwo() throws Exception {
    Result r = outrigger("mesh", "up", "--mode", "maybe", "--dir", tmp.resolve("m").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).contains("--mode: maybe (expected: cp, cp-unsafe or ap)");
  }
}
