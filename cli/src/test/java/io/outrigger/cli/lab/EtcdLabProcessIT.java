package io.outrigger.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outrigger lab run --store etcd} against three real etcd members on loopback (no
 * sidecars, so no faults: {@code --nemesis none}); the members and the lab are processes, killed at
 * the end whatever happens.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EtcdLabProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final Pattern REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");

  @TempDir Path tmp;
  private EtcdCluster etcd;
  private Process lab;

  @BeforeEach
  void startEtcd() throws IOException {
    assumeThat(Files.isExecutable(EtcdCluster.ETCD))
        .as("etcd is installed by .ci/run (Debian package etcd-server)")
        .isTrue();
    etcd = EtcdCluster.start(Files.createDirectories(tmp.resolve("etcd")), 3);
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (lab != null && lab.isAlive()) {
      lab.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (etcd != null) {
      etcd.close();
      assertThat(etcd.anyAlive()).as("every etcd member is gone").isFalse();
    }
  }

  private Process startLab(String duration, String... extra) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                HOME.resolve("bin/outrigger").toString(),
                "lab",
                "run",
                "--store",
                "etcd",
                "--etcd-endpoints",
                etcd.endpoints(),
                "--nemesis",
                "none",
                "--duration",
                duration,
                "--seed",
                "19",
                "--report",
                tmp.resolve("report").toString()));
    cmd.addAll(List.of(extra));
    lab =
        new ProcessBuilder(cmd)
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("lab.out").toFile())
            .start();
    return lab;
  }

  private JsonObject finish(Process p, int expectedExit) throws Exception {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(tmp.resolve("lab.out"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    Path report = tmp.resolve("report");
    assertThat(report.resolve("report.html")).as("the report; the lab said:%n%s", out).exists();
    assertThat(report.resolve("history.jsonl")).exists();
    return JsonParser.parseString(Files.readString(report.resolve("report.json")))
        .getAsJsonObject();
  }

  @Test
  void linearizableReadsGiveALinearizableHistory() throws Exception {
    JsonObject report = finish(startLab("8s"), 0);

    assertThat(report.get("store").getAsString()).isEqualTo("etcd");
    assertThat(report.get("store_description").getAsString()).contains("linearizable reads");
    assertThat(report.get("linearizable").getAsBoolean()).isTrue();
    assertThat(report.get("interrupted").getAsBoolean()).isFalse();
    JsonObject counts = report.getAsJsonObject("counts");
    assertThat(counts.get("ok").getAsInt()).isGreaterThan(100);
    // A healthy cluster answers nearly everything (a loaded machine may time out a few).
    assertThat(counts.get("fail").getAsInt() + counts.get("info").getAsInt())
        .isLessThan(counts.get("ok").getAsInt() / 20);
    // The final reads of every key on every member agree (one revision per write everywhere).
    assertThat(report.get("converged").getAsBoolean()).isTrue();
    JsonObject leaders = report.getAsJsonObject("leaders");
    assertThat(leaders.getAsJsonArray("leaderships")).hasSize(1);
    assertThat(leaders.get("changes").getAsInt()).isZero();
    assertThat(
            leaders
                .getAsJsonArray("leaderships")
                .get(0)
                .getAsJsonObject()
                .get("leader")
                .getAsString())
        .isIn("n1", "n2", "n3");
  }

  @Test
  void serializableReadsRun() throws Exception {
    Process p = startLab("5s", "--etcd-reads", "serializable");
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    // Without partitions a follower's serializable read is rarely behind: either verdict may come.
    assertThat(p.exitValue()).isIn(0, 1);
    JsonObject report = finish(p, p.exitValue());

    assertThat(report.get("store_description").getAsString()).contains("serializable reads");
    assertThat(report.getAsJsonObject("counts").get("ok").getAsInt()).isGreaterThan(100);
    assertThat(report.get("linearizable").isJsonPrimitive()).isTrue();
  }

  @Test
  void sigtermStopsTheRunEarlyAndTheReportSaysInterrupted() throws Exception {
    Process p = startLab("120s");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(() -> revision() > 50);

    p.destroy(); // SIGTERM

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the lab ends soon after SIGTERM").isTrue();
    JsonObject report = finish(p, 1);
    assertThat(report.get("interrupted").getAsBoolean()).isTrue();
    assertThat(report.getAsJsonObject("counts").get("ok").getAsInt()).isGreaterThan(20);
    assertThat(Files.readString(tmp.resolve("report/report.html"))).contains("INTERRUPTED");
    assertThat(Files.readString(tmp.resolve("lab.out"))).contains("SIGTERM");
  }

  /** The cluster's revision, from the first member: grows by one per write. */
  private long revision() throws IOException, InterruptedException {
    String body = etcd.status(etcd.clientUrls().get("n1")).body();
    Matcher m = REVISION.matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
