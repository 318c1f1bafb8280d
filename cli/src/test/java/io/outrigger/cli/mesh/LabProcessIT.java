package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of {@code bin/outrigger lab run}, each starting its own three-node mesh: the cp store
 * stays linearizable and its isolated minority refuses while the majority answers; the ap store
 * answers everything and converges after the heal.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LabProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  @TempDir Path tmp;

  private JsonObject lab(String mode, String nemesis, int expectedExit, String... more)
      throws Exception {
    return lab(mode, nemesis, "3s", expectedExit, more);
  }

  private JsonObject lab(
      String mode, String nemesis, String interval, int expectedExit, String... more)
      throws Exception {
    Path report = tmp.resolve("report");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                HOME.resolve("bin/outrigger").toString(),
                "lab",
                "run",
                "--mode",
                mode,
                "--nemesis",
                nemesis,
                "--duration",
                "15s",
                "--interval",
                interval,
                "--seed",
                "7",
                "--mesh-dir",
                tmp.resolve("mesh").toString(),
                "--report",
                report.toString()));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    assertThat(report.resolve("report.html")).as("the lab's report; its output:%n%s", out).exists();
    assertThat(Files.readString(report.resolve("report.html"))).contains("<svg");
    assertThat(Files.exists(report.resolve("history.jsonl"))).isTrue();
    assertThat(MeshState.load(tmp.resolve("mesh")))
        .as("the lab stops the mesh it started")
        .isEmpty();
    return JsonParser.parseString(Files.readString(report.resolve("report.json")))
        .getAsJsonObject();
  }

  @Test
  void cpStaysLinearizableAndItsIsolatedMinorityRefuses() throws Exception {
    cpIsLinearizableAndItsMinorityRefuses(lab("cp", "isolate-one", 0));
  }

  /**
   * The same run on a mesh with interception: the replicas, unchanged, call each other at their own
   * addresses, and the partition made by the sidecars still cuts them apart.
   */
  @Test
  void overInterceptionCpStaysLinearizableAndItsIsolatedMinorityRefuses() throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root for namespaces").isEqualTo("root");
    assumeThat(Files.isExecutable(Path.of("/usr/sbin/iptables"))).isTrue();
    // A partition reaches intercepting sidecars as a listener update, which on a busy machine
    // (eight JVMs on two cores) took 1.7 to 2.6 s to take hold. Availability counts from every
    // sidecar's ACK: counted from the request, the minority's fast successes before the cut
    // outweighed its 1 s quorum timeouts after it (0.56 of 68 requests in an 8 s fault in CI).
    // The longer fault still gives the minority more requests to refuse.
    cpIsLinearizableAndItsMinorityRefuses(lab("cp", "isolate-one", "8s", 0, "--intercept"));
  }

  private static void cpIsLinearizableAndItsMinorityRefuses(JsonObject report) {

    assertThat(report.get("valid").getAsBoolean()).isTrue();
    assertThat(report.get("linearizable").getAsBoolean()).isTrue();
    assertThat(report.getAsJsonObject("counts").get("ok").getAsInt()).isGreaterThan(100);
    JsonObject availability = report.getAsJsonObject("availability");
    assertThat(availability.getAsJsonArray("windows")).isNotEmpty();
    for (var w : availability.getAsJsonArray("windows")) {
      JsonObject sides = w.getAsJsonObject().getAsJsonObject("sides");
      assertThat(sides.getAsJsonObject("majority").get("availability").getAsDouble())
          .as("majority side of %s", w)
          .isGreaterThan(0.8);
      assertThat(sides.getAsJsonObject("minority").get("availability").getAsDouble())
          .as("minority side of %s", w)
          .isLessThan(0.5);
    }
  }

  @Test
  void apAnswersEverythingAndConvergesAfterTheHeal() throws Exception {
    JsonObject report = lab("ap", "halves", 0);

    assertThat(report.get("valid").getAsBoolean()).isTrue();
    assertThat(report.get("converged").getAsBoolean()).isTrue();
    assertThat(report.getAsJsonObject("counts").get("fail").getAsInt()).isZero();
    assertThat(report.getAsJsonObject("availability").get("during_faults").getAsDouble())
        .isEqualTo(1.0);
  }

  @Test
  void catchesTheUnsafeModeReadingItsLocalReplica() throws Exception {
    JsonObject report = lab("cp-unsafe", "isolate-one", 1);

    assertThat(report.get("valid").getAsBoolean()).isFalse();
    assertThat(report.get("linearizable").getAsBoolean()).isFalse();
    assertThat(report.getAsJsonObject("witness").get("explanation").getAsString())
        .contains("stale");
  }
}
