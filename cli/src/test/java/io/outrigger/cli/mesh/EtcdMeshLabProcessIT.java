package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outrigger lab run --store etcd --nemesis isolate-leader} with no endpoints: the lab
 * starts an etcd mesh ({@code mesh up --store etcd}, each member behind its intercepting sidecar),
 * cuts off whichever member leads, twice, through the control plane, checks the history and stops
 * the mesh. etcd stays linearizable, the majority elects a new leader while the cut holds (the
 * report says how long it took), and nothing of the mesh is left. Runs as root with iptables and
 * etcd, as CI does.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EtcdMeshLabProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  @TempDir Path tmp;
  private Path meshDir;

  @AfterEach
  void down() throws Exception {
    if (meshDir != null && MeshState.load(meshDir).isPresent()) {
      new ProcessBuilder(
              HOME.resolve("bin/outrigger").toString(), "mesh", "down", "--dir", meshDir.toString())
          .redirectErrorStream(true)
          .start()
          .waitFor(120, TimeUnit.SECONDS);
    }
  }

  @Test
  void isolatingTheLeaderElectsAnotherWhileTheHistoryStaysLinearizable() throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    assumeThat(Files.isExecutable(Path.of("/usr/bin/etcd"))).as("etcd-server").isTrue();
    meshDir = tmp.resolve("mesh");
    Path report = tmp.resolve("report");
    List<String> cmd =
        List.of(
            HOME.resolve("bin/outrigger").toString(),
            "lab",
            "run",
            "--store",
            "etcd",
            "--nemesis",
            "isolate-leader",
            "--duration",
            "24s",
            "--interval",
            "6s",
            "--seed",
            "19",
            "--mesh-dir",
            meshDir.toString(),
            "--report",
            report.toString());
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("3-node etcd mesh with interception", "VALID");
    JsonObject json =
        JsonParser.parseString(Files.readString(report.resolve("report.json"))).getAsJsonObject();

    assertThat(json.get("store").getAsString()).isEqualTo("etcd");
    assertThat(json.get("linearizable").getAsBoolean()).isTrue();
    assertThat(json.getAsJsonObject("counts").get("ok").getAsInt()).isGreaterThan(100);
    assertThat(json.getAsJsonArray("faults")).isNotEmpty();
    for (JsonElement f : json.getAsJsonArray("faults")) {
      assertThat(f.getAsJsonObject().get("description").getAsString())
          .startsWith("isolate leader n");
    }
    // The majority elected another leader while the old one was cut off, and the report timed it.
    List<JsonObject> elected = new ArrayList<>();
    for (JsonElement e : json.getAsJsonObject("leaders").getAsJsonArray("elections")) {
      JsonObject election = e.getAsJsonObject();
      if (election.get("leader_cut").getAsBoolean() && !election.get("election_ms").isJsonNull()) {
        elected.add(election);
      }
    }
    assertThat(elected).as(json.getAsJsonObject("leaders").toString()).isNotEmpty();
    for (JsonObject election : elected) {
      assertThat(election.get("new_leader").getAsString())
          .isNotEqualTo(election.get("leader_before").getAsString());
      assertThat(election.get("election_ms").getAsDouble()).isPositive().isLessThan(6000);
    }
    assertThat(json.getAsJsonObject("leaders").get("changes").getAsInt())
        .isGreaterThanOrEqualTo(elected.size());
    // The cut-off leader's side answered less than the majority's.
    double[] minority = new double[2];
    double[] majority = new double[2];
    for (JsonElement w : json.getAsJsonObject("availability").getAsJsonArray("windows")) {
      JsonObject sides = w.getAsJsonObject().getAsJsonObject("sides");
      add(minority, sides.getAsJsonObject("minority"));
      add(majority, sides.getAsJsonObject("majority"));
    }
    assertThat(minority[0] / minority[1]).isLessThan(majority[0] / majority[1]);

    assertThat(MeshState.load(meshDir)).as("the lab stops the mesh it started").isEmpty();
    MeshNetwork network = MeshNetwork.plan(meshDir, List.of("n1", "n2", "n3"));
    Process netns = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String namespaces = new String(netns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(netns.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(namespaces).doesNotContain("outrigger-" + network.id() + "-");
    assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
    meshDir = null;
  }

  private static void add(double[] okAndAttempted, JsonObject side) {
    okAndAttempted[0] += side.get("ok").getAsDouble();
    okAndAttempted[1] += side.get("attempted").getAsDouble();
  }
}
