package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code outrigger mesh up} midway, or to {@code outrigger lab run} while its clients
 * run, stops every process that command started: they sit in sessions of their own, so nothing else
 * would.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InterruptedMeshProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  @TempDir Path tmp;
  private final List<MeshState.Started> seen = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    seen.forEach(s -> MeshProcesses.find(s).ifPresent(ProcessHandle::destroyForcibly));
  }

  private static Process outrigger(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/outrigger").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(HOME.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Every process the mesh in {@code dir} records now; remembered for the clean-up. */
  private List<MeshState.Started> recorded(Path dir) throws IOException {
    Optional<MeshState> mesh = MeshState.load(dir);
    List<MeshState.Started> out = new ArrayList<>();
    mesh.ifPresent(
        m -> {
          m.nodes().forEach(n -> out.addAll(java.util.Arrays.asList(n.store(), n.sidecar())));
          out.add(m.controlPlane().process());
        });
    out.removeIf(java.util.Objects::isNull);
    seen.addAll(out);
    return out;
  }

  private void assertStopped(Process command, Path dir, Path log) throws Exception {
    command.destroy(); // SIGTERM
    assertThat(command.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(seen).noneMatch(MeshProcesses::alive));
    // Also what was started after the last look at the record: every process of the mesh names
    // its folder (its data, config or logs) on its command line.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(processesNaming(dir)).isEmpty());
    assertThat(MeshState.load(dir)).as(Files.readString(log)).isEmpty();
  }

  private static List<String> processesNaming(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().commandLine().stream())
        .filter(cmd -> cmd.contains(dir.toString()))
        .toList();
  }

  @Test
  void meshUpInterruptedMidwayStopsWhatItStarted() throws Exception {
    Path dir = tmp.resolve("mesh");
    Path log = tmp.resolve("up.log");
    Process up = outrigger(log, "mesh", "up", "--dir", dir.toString());
    // Midway: the control plane and at least one store are up, the mesh is not ready yet.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> recorded(dir).size() >= 2);
    assertThat(Files.readString(log)).doesNotContain("mesh up:");

    assertStopped(up, dir, log);
  }

  @Test
  void labRunInterruptedStopsTheMeshItStarted() throws Exception {
    Path dir = tmp.resolve("mesh");
    Path log = tmp.resolve("lab.log");
    Process lab =
        outrigger(
            log,
            "lab",
            "run",
            "--duration",
            "120s",
            "--mesh-dir",
            dir.toString(),
            "--report",
            tmp.resolve("report").toString());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Files.readString(log).contains("running cp"));
    assertThat(recorded(dir)).hasSize(7);

    assertStopped(lab, dir, log);
  }

  @Test
  void etcdMeshUpInterruptedMidwayStopsTheMembersAndRemovesTheNamespaces() throws Exception {
    assumeRootWithEtcd();
    Path dir = tmp.resolve("mesh");
    Path log = tmp.resolve("up.log");
    Process up = outrigger(log, "mesh", "up", "--store", "etcd", "--dir", dir.toString());
    // Midway: the control plane and the three members run in their namespaces, no sidecar yet.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> recorded(dir).size() >= 4);
    assertThat(Files.readString(log)).doesNotContain("mesh up:");

    assertStopped(up, dir, log);
    assertNetworkRemoved(dir);
  }

  @Test
  void etcdLabRunInterruptedStopsTheEtcdMeshItStarted() throws Exception {
    assumeRootWithEtcd();
    Path dir = tmp.resolve("mesh");
    Path log = tmp.resolve("lab.log");
    Process lab =
        outrigger(
            log,
            "lab",
            "run",
            "--store",
            "etcd",
            "--nemesis",
            "isolate-leader",
            "--duration",
            "120s",
            "--mesh-dir",
            dir.toString(),
            "--report",
            tmp.resolve("report").toString());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Files.readString(log).contains("running cp"));
    assertThat(recorded(dir)).hasSize(7);

    assertStopped(lab, dir, log);
    assertNetworkRemoved(dir);
    assertThat(Files.readString(tmp.resolve("report/report.json")))
        .contains("\"interrupted\": true");
  }

  private static void assumeRootWithEtcd() {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    assumeThat(Files.isExecutable(Path.of("/usr/bin/etcd"))).as("etcd-server").isTrue();
  }

  /** No namespace and no bridge of the mesh in {@code dir} is left. */
  private static void assertNetworkRemoved(Path dir) throws Exception {
    MeshNetwork network = MeshNetwork.plan(dir, List.of("n1", "n2", "n3"));
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String namespaces = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(namespaces).doesNotContain("outrigger-" + network.id() + "-");
    assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
  }
}
