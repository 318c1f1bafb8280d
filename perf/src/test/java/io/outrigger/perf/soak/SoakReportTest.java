package io.outrigger.perf.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakReportTest {
  private static final long T0 = 1_000_000;

  private static SoakReport.Row row(double t, double rssMib, String sync, Map<String, Long> load) {
    return new SoakReport.Row(
        t,
        new SidecarSampler.Sample(
            T0 + (long) (t * 1000), rssMib * 1024, 100, 30, 0, 0, 40, 64, 5, 5, 1, sync, t, 0, 1),
        new Tally.Interval(load, 1, 2, 3));
  }

  private static final SoakEvents FLAP =
      new SoakEvents(
          List.of(
              new SoakEvents.Event(T0 + 10_000, "flap_down", ""),
              new SoakEvents.Event(T0 + 25_000, "flap_up", ""),
              new SoakEvents.Event(T0 + 40_000, "cp_down", ""),
              new SoakEvents.Event(T0 + 45_000, "cp_up", "")));

  private static List<SoakReport.Row> flatRows() {
    return List.of(
        row(10, 200, "SYNCED", Map.of("200", 2900L, "503", 2L)),
        row(50, 201, "SYNCED", Map.of("200", 3000L, "error:IOException", 1L)),
        row(60, 201, "SYNCED", Map.of("200", 3000L)));
  }

  @Test
  void aFailureEndingWhileTheUpstreamIsDownOrWithinTheGraceIsInjected() {
    SoakReport report =
        new SoakReport(
            flatRows(),
            List.of(
                new FailureLog.Failure(T0 + 9_000, 1_500, "503", "flags=UH"), // ends at 10.5 s
                new FailureLog.Failure(T0 + 26_000, 500, "503", ""), // 26.5 s: within 2 s
                new FailureLog.Failure(T0 + 42_000, 10, "error:IOException", "reset")),
            FLAP,
            60);
    assertThat(report.unexpected())
        .extracting(FailureLog.Failure::outcome)
        .containsExactly("error:IOException");
    assertThat(report.passes()).isFalse();
    assertThat(report.markdown())
        .contains("| 503 | 2 | 2 | 0 |")
        .contains("error:IOException reset [cp_down (+2.0 s)")
        .endsWith("FAIL\n");
  }

  @Test
  void passesWhenOnlyInjectedFailuresHappenedAndNothingGrew() {
    SoakReport report =
        new SoakReport(
            flatRows(), List.of(new FailureLog.Failure(T0 + 12_000, 3, "503", "")), FLAP, 60);
    assertThat(report.passes()).isTrue();
    assertThat(report.markdown()).contains("| RSS (MiB) | 200.0 | 201.0 | +0.5 % | pass |");
  }

  @Test
  void failsWhenTheSidecarDidNotEndSynced() {
    List<SoakReport.Row> rows =
        List.of(
            row(10, 200, "SYNCED", Map.of("200", 1L)), row(60, 200, "STALE", Map.of("200", 1L)));
    assertThat(new SoakReport(rows, List.of(), FLAP, 60).passes()).isFalse();
  }

  @Test
  void anUpstreamThatNeverCameBackIsDownToTheEnd() {
    SoakEvents events = new SoakEvents(List.of(new SoakEvents.Event(T0 + 10_000, "flap_down", "")));
    assertThat(events.windows("flap_down", "flap_up", 2_000))
        .containsExactly(new SoakEvents.Window(T0 + 10_000, Long.MAX_VALUE));
  }
}
