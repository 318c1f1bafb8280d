package io.outrigger.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.lab.Lab;
import io.outrigger.lab.LabOptions;
import io.outrigger.lab.LabResult;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.History;
import io.outrigger.lab.leader.Elections;
import io.outrigger.lab.leader.LeaderObservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store, the interruption and the leaders in report.json and report.html. */
class LeadersReportTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  @TempDir Path dir;

  private static long ms(long ms) {
    return ms * 1_000_000;
  }

  private LabResult write(List<FaultWindow> faults, Lab.RunFacts facts) throws Exception {
    LabOptions options =
        new LabOptions(
            "cp",
            facts.elections() == null ? "none" : "isolate-leader",
            2,
            1,
            Duration.ofSeconds(4),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            3,
            dir);
    return Lab.write(
        dir,
        Lab.check(
            options,
            NODES,
            List.of("k"),
            Instant.parse("2026-12-06T09:00:00Z"),
            new History(List.of(), faults),
            new Convergence(true, 0, Map.of(), List.of()),
            List.of(),
            facts));
  }

  @Test
  void anEtcdReportShowsLeaderChangesAndTheElectionAfterTheCut() throws Exception {
    FaultWindow cut =
        new FaultWindow(
            ms(1_000),
            ms(3_000),
            "isolate leader n1",
            Map.of("n1", "minority", "n2", "majority", "n3", "majority"),
            20,
            30);
    List<LeaderObservation> polls = new ArrayList<>();
    NODES.forEach(n -> polls.add(new LeaderObservation(ms(100), n, "n1", 2)));
    polls.add(new LeaderObservation(ms(2_000), "n2", "n2", 3));
    polls.add(new LeaderObservation(ms(2_020), "n3", "n2", 3));
    Elections elections = Elections.of(polls, List.of(cut), NODES, 100);
    LabResult result =
        write(
            List.of(cut),
            new Lab.RunFacts("etcd", "etcd v3 JSON gateway, linearizable reads", false, elections));

    JsonObject json =
        JsonParser.parseString(Files.readString(result.reportJson())).getAsJsonObject();
    assertThat(json.get("store").getAsString()).isEqualTo("etcd");
    assertThat(json.get("interrupted").getAsBoolean()).isFalse();
    JsonObject leaders = json.getAsJsonObject("leaders");
    assertThat(leaders.get("changes").getAsInt()).isEqualTo(1);
    assertThat(leaders.getAsJsonArray("leaderships")).hasSize(2);
    JsonObject election = leaders.getAsJsonArray("elections").get(0).getAsJsonObject();
    assertThat(election.get("leader_before").getAsString()).isEqualTo("n1");
    assertThat(election.get("leader_cut").getAsBoolean()).isTrue();
    assertThat(election.get("new_leader").getAsString()).isEqualTo("n2");
    assertThat(election.get("election_ms").getAsDouble()).isEqualTo(1_000.0);
    String html = Files.readString(result.reportHtml());
    assertThat(html)
        .contains("<h2>Leaders</h2>", "1000 ms", "slowest election after a cut", "etcd (cp)")
        .doesNotContain("class=\"interrupted\"");
  }

  @Test
  void theProjectsStoreHasNoLeadersSection() throws Exception {
    LabResult result = write(List.of(), Lab.RunFacts.kvstore());
    JsonObject json =
        JsonParser.parseString(Files.readString(result.reportJson())).getAsJsonObject();
    assertThat(json.has("leaders")).isFalse();
    assertThat(json.get("store").getAsString()).isEqualTo("kvstore");
    assertThat(Files.readString(result.reportHtml())).doesNotContain("<h2>Leaders</h2>");
  }
}
