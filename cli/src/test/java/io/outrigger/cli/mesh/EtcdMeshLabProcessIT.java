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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * report says how long it took), and nothing of the mesh is left. With {@code --etcd-reads
 * serializable}, a member cut off by {@code --nemesis isolate-one} answers stale reads and the run
 * is caught not linearizable. Runs as root with iptables and etcd, as CI does.
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
    LabRun run =
        runLab(
            "--nemesis", "isolate-leader", "--duration", "24s", "--interval", "6s", "--seed", "19");
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("VALID");
    JsonObject json = run.json();

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

    assertMeshStopped();
  }

  /**
   * Issue 19: serializable reads are answered from the member's own state, and the lab reaches
   * every member from the host on its client port, which a cut between the members leaves open. The
   * isolated member keeps answering from what it had applied when it was cut while the majority
   * commits new writes, for one whole 10 s interval (long enough when the member cut is the leader
   * and the others first elect another): the checker must say not linearizable and show a stale
   * read.
   *
   * <p>The report carries only the smallest witness of all keys, and serializable reads are stale
   * on a healthy cluster too (a follower applies a committed write a few milliseconds after the
   * leader acknowledged it), so the witness may be one of those, on any node, before the cut. What
   * only the partition explains is checked on the history: reads at the isolated member, invoked
   * while it was cut off, that returned an older revision than a write or read of the key had
   * completed with more than a second before they began.
   */
  @Test
  void serializableReadsAtAnIsolatedMemberAreStaleAndNotLinearizable() throws Exception {
    LabRun run =
        runLab(
            "--etcd-reads",
            "serializable",
            "--nemesis",
            "isolate-one",
            "--clients",
            "8",
            "--keys",
            "2",
            "--duration",
            "20s",
            "--interval",
            "10s",
            "--seed",
            "19");
    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out()).contains("serializable reads", "INVALID");
    JsonObject json = run.json();
    assertThat(json.get("valid").getAsBoolean()).isFalse();
    assertThat(json.get("linearizable").getAsBoolean()).isFalse();

    // The witness holds a read that returned an older revision than a write, or a read, that had
    // completed before it began. The checker words it by its shape ("the read is stale", "returned
    // the older", "a register holds one of them", or the generic sentence), so the revisions
    // decide.
    JsonObject witness = json.getAsJsonObject("witness");
    assertThat(witness.get("explanation").getAsString()).isNotBlank();
    List<Op> shown = new ArrayList<>();
    witness.getAsJsonArray("operations").forEach(o -> shown.add(Op.of(o.getAsJsonObject())));
    assertThat(staleReads(shown)).as(witness.toString()).isNotEmpty();

    // One member cut off for the whole interval, and it answered reads from before the cut.
    JsonObject fault = json.getAsJsonArray("faults").get(0).getAsJsonObject();
    String isolated =
        fault.getAsJsonObject("sides").entrySet().stream()
            .filter(e -> e.getValue().getAsString().equals("minority"))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    JsonElement applied = fault.get("apply_ms"); // null when not every sidecar acked it in 5 s
    double cutFrom =
        fault.get("start_ms").getAsDouble() + (applied.isJsonNull() ? 0 : applied.getAsDouble());
    double cutUntil = fault.get("end_ms").getAsDouble();
    List<Op> history = history(run.report().resolve("history.jsonl"));
    Map<Op, Double> stale = staleReads(history);
    List<Op> staleWhileCut =
        stale.entrySet().stream()
            .filter(e -> e.getKey().node().equals(isolated) && e.getKey().startMs() > cutFrom)
            .filter(e -> e.getKey().startMs() < cutUntil && e.getValue() > 1000)
            .map(Map.Entry::getKey)
            .toList();
    System.out.printf(
        "isolate %s %.0f-%.0f ms: %d stale reads in the history, %d of them at %s while cut off"
            + " and over 1 s old (oldest %.0f ms); witness at %s from %.0f ms: %s%n",
        isolated,
        cutFrom,
        cutUntil,
        stale.size(),
        staleWhileCut.size(),
        isolated,
        stale.values().stream().mapToDouble(Double::doubleValue).max().orElse(0),
        staleReads(shown).keySet().iterator().next().node(),
        staleReads(shown).keySet().iterator().next().startMs(),
        witness.get("explanation").getAsString());
    assertThat(staleWhileCut).as(stale.toString()).hasSizeGreaterThanOrEqualTo(3);

    assertMeshStopped();
  }

  private record LabRun(int exit, String out, Path report, JsonObject json) {}

  /** {@code bin/outrigger lab run --store etcd ARGS} on a mesh the lab starts and stops. */
  private LabRun runLab(String... args) throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    assumeThat(Files.isExecutable(Path.of("/usr/bin/etcd"))).as("etcd-server").isTrue();
    meshDir = tmp.resolve("mesh");
    Path report = tmp.resolve("report");
    List<String> cmd =
        new ArrayList<>(
            List.of(HOME.resolve("bin/outrigger").toString(), "lab", "run", "--store", "etcd"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--mesh-dir", meshDir.toString(), "--report", report.toString()));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("3-node etcd mesh with interception");
    assertThat(report.resolve("report.json")).as(out).exists();
    JsonObject json =
        JsonParser.parseString(Files.readString(report.resolve("report.json"))).getAsJsonObject();
    return new LabRun(p.exitValue(), out, report, json);
  }

  /** The lab stopped the mesh it started: no state, namespace or bridge of it is left. */
  private void assertMeshStopped() throws Exception {
    assertThat(MeshState.load(meshDir)).as("the lab stops the mesh it started").isEmpty();
    MeshNetwork network = MeshNetwork.plan(meshDir, List.of("n1", "n2", "n3"));
    Process netns = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String namespaces = new String(netns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(netns.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(namespaces).doesNotContain("outrigger-" + network.id() + "-");
    assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
    meshDir = null;
  }

  /** A completed read or write as the report and history.jsonl give it; revision 0 for none. */
  private record Op(
      String f,
      String type,
      String key,
      String value,
      String node,
      long revision,
      double startMs,
      double endMs) {
    static Op of(JsonObject o) {
      JsonElement version = o.get("version");
      return new Op(
          o.get("f").getAsString(),
          o.get("type").getAsString(),
          o.get("key").getAsString(),
          text(o.get("value")),
          o.get("node").getAsString(),
          version == null || version.isJsonNull()
              ? 0
              : Long.parseLong(version.getAsString().split("\\.")[0]),
          o.get("start_ms").getAsDouble(),
          o.get("end_ms").getAsDouble());
    }

    boolean okRead() {
      return f.equals("read") && type.equals("ok");
    }

    boolean okWrite() {
      return f.equals("write") && type.equals("ok");
    }
  }

  private static String text(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /**
   * Each ok read that returned an older revision than an ok write or read of its key that had
   * completed before it began, with how long before (ms) the first such operation had completed.
   */
  private static Map<Op, Double> staleReads(List<Op> ops) {
    Map<Op, Double> stale = new LinkedHashMap<>();
    for (Op r : ops) {
      if (!r.okRead()) {
        continue;
      }
      ops.stream()
          .filter(o -> (o.okWrite() || o.okRead()) && o.key().equals(r.key()))
          .filter(o -> o.endMs() <= r.startMs())
          .filter(o -> o.revision() > r.revision() && !Objects.equals(o.value(), r.value()))
          .mapToDouble(Op::endMs)
          .min()
          .ifPresent(first -> stale.put(r, r.startMs() - first));
    }
    return stale;
  }

  /** The operations of history.jsonl (final reads too), each invocation joined to its end. */
  private static List<Op> history(Path jsonl) throws Exception {
    Map<Long, Double> invoked = new HashMap<>();
    List<Op> ops = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl)) {
      JsonObject e = JsonParser.parseString(line).getAsJsonObject();
      if (!e.has("id")) {
        continue; // the nemesis's events
      }
      long id = e.get("id").getAsLong();
      if (e.get("type").getAsString().equals("invoke")) {
        invoked.put(id, e.get("time_ms").getAsDouble());
        continue;
      }
      e.addProperty("start_ms", invoked.get(id));
      e.addProperty("end_ms", e.get("time_ms").getAsDouble());
      ops.add(Op.of(e));
    }
    return ops;
  }

  private static void add(double[] okAndAttempted, JsonObject side) {
    okAndAttempted[0] += side.get("ok").getAsDouble();
    okAndAttempted[1] += side.get("attempted").getAsDouble();
  }
}
