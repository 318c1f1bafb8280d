package io.outrigger.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.lab.Lab;
import io.outrigger.lab.LabOptions;
import io.outrigger.lab.LabResult;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Ops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files for a hand-made history with a planted stale read. */
class ReportFilesTest {
  @TempDir Path dir;
  private final Ops k = new Ops("k1");
  private final Operation wa = k.write(0, "c0-1", 0, 10);
  private final Operation wb = k.write(1, "c1-1", 20, 30);
  private final Operation stale = k.read(2, "c0-1", 40, 50);
  private final FaultWindow window =
      new FaultWindow(
          15_000_000,
          45_000_000,
          "isolate n3",
          Map.of("n1", "majority", "n2", "majority", "n3", "minority"),
          12,
          2);

  private LabResult write(String mode) throws Exception {
    History history =
        new History(
            List.of(
                k.read(0, null, 1, 2),
                wa,
                wb,
                stale,
                k.infoWrite(0, "c0-2", 12, 60),
                k.failedRead(1, 35, 38)),
            List.of(window));
    LabOptions options =
        new LabOptions(
            mode,
            "isolate-one",
            3,
            1,
            Duration.ofSeconds(1),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            99,
            dir);
    Convergence convergence =
        new Convergence(
            true,
            5,
            Map.of("k1", Map.of("n1", new Convergence.LocalValue("c1-1", "3.n2", null))),
            List.of());
    return Lab.write(
        dir,
        Lab.check(
            options,
            List.of("n1", "n2", "n3"),
            List.of("k1"),
            Instant.parse("2026-11-26T08:00:00Z"),
            history,
            convergence,
            List.of()));
  }

  @Test
  void reportJsonHasTheAgreedShape() throws Exception {
    LabResult result = write("cp");
    assertThat(result.validity()).isEqualTo(Validity.INVALID);
    JsonObject json =
        JsonParser.parseString(Files.readString(result.reportJson())).getAsJsonObject();
    assertThat(json.keySet())
        .contains(
            "mode",
            "nemesis",
            "valid",
            "counts",
            "availability",
            "linearizable",
            "converged",
            "convergence_ms",
            "faults",
            "witness",
            "final_reads",
            "seed");
    assertThat(json.get("valid").getAsBoolean()).isFalse();
    assertThat(json.getAsJsonObject("counts").toString())
        .isEqualTo("{\"ok\":4,\"fail\":1,\"info\":1,\"total\":6}");
    JsonObject availability = json.getAsJsonObject("availability");
    assertThat(availability.get("overall").getAsDouble())
        .isEqualTo(4 / 6.0, org.assertj.core.data.Offset.offset(1e-4));
    JsonObject firstWindow = availability.getAsJsonArray("windows").get(0).getAsJsonObject();
    assertThat(firstWindow.get("in_force_from_ms").getAsDouble()).isEqualTo(27.0);
    assertThat(firstWindow.get("in_force_until_ms").getAsDouble()).isEqualTo(43.0);
    // The write at 20 ms was invoked before every sidecar had ACKed the fault: not counted.
    assertThat(firstWindow.getAsJsonObject("sides").toString())
        .isEqualTo(
            "{\"majority\":{\"ok\":0,\"attempted\":1,\"availability\":0.0},"
                + "\"minority\":{\"ok\":1,\"attempted\":1,\"availability\":1.0}}");
    JsonObject fault = json.getAsJsonArray("faults").get(0).getAsJsonObject();
    assertThat(fault.get("description").getAsString()).isEqualTo("isolate n3");
    assertThat(fault.get("start_ms").getAsDouble()).isEqualTo(15.0);
    assertThat(fault.get("apply_ms").getAsLong()).isEqualTo(12);
    assertThat(fault.get("heal_ms").getAsLong()).isEqualTo(2);
    JsonObject witness = json.getAsJsonObject("witness");
    JsonArray ops = witness.getAsJsonArray("operations");
    assertThat(ops).hasSize(3);
    assertThat(ops.get(2).getAsJsonObject().get("id").getAsInt()).isEqualTo(stale.id());
    assertThat(witness.get("explanation").getAsString()).contains("stale");
  }

  @Test
  void reportHtmlIsSelfContainedAndShowsTheWitness() throws Exception {
    LabResult result = write("cp");
    String html = Files.readString(result.reportHtml());
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("INVALID")
        .contains("Why it is not linearizable");
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContain(" src=")
        .doesNotContain("href=");
    // Two timelines (the witness's and the whole run's), the fault window shaded and labelled.
    assertThat(html.split("<svg", -1)).hasSize(3);
    assertThat(html).contains("<g class=\"fault\">").contains("isolate n3</text>");
    // The witness's three operations are outlined, and listed in its table.
    assertThat(html.split("witness\" x=", -1)).hasSize(1 + 2 * 3);
    assertThat(html).contains("<td>" + stale.id() + "</td>").contains("<td>" + wb.id() + "</td>");
    // Hover titles carry the details.
    assertThat(html).contains("read k1 → &quot;c0-1&quot;");
  }

  @Test
  void apReportCarriesStaleReadsInsteadOfLinearizability() throws Exception {
    LabResult result = write("ap");
    JsonObject json =
        JsonParser.parseString(Files.readString(result.reportJson())).getAsJsonObject();
    assertThat(json.has("linearizable")).isFalse();
    assertThat(json.get("stale_reads").getAsInt()).isEqualTo(1);
    assertThat(json.get("converged").getAsBoolean()).isTrue();
    assertThat(json.get("convergence_ms").getAsLong()).isEqualTo(5);
    // 4 of 6 is below the ap availability bar.
    assertThat(json.get("valid").getAsBoolean()).isFalse();
    assertThat(Files.readString(result.reportHtml())).contains("Stale reads").contains("missed");
  }

  @Test
  void historyJsonlHasInvokeAndCompletionEvents() throws Exception {
    LabResult result = write("cp");
    List<String> lines = Files.readAllLines(result.history());
    assertThat(lines).hasSize(6 * 2 + 2);
    assertThat(lines.get(0)).contains("\"type\":\"invoke\"").contains("\"time_ms\":0.0");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("\"process\":\"nemesis\"").contains("\"f\":\"start\""));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("\"type\":\"info\"").contains("\"value\":\"c0-2\""));
  }
}
