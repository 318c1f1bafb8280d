package io.outrigger.controlplane.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.PartitionRule;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.controlplane.Fixtures;
import io.outrigger.controlplane.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault state survives the control plane: what a journal keeps is what the next control plane
 * starts from, so a restart does not heal a partition nobody healed.
 */
class FaultJournalTest {
  private static final Set<String> KNOWN = Set.of("n1", "n2", "n3");

  @TempDir Path dir;

  @Test
  void keepsEveryRuleKindWhole() throws IOException {
    FaultJournal journal = new FaultJournal(dir);
    FaultRegistry registry = new FaultRegistry(journal.load(), journal::save);
    registry.partition(List.of(List.of("n1"), List.of("n2", "n3")), KNOWN);
    registry.link(
        new LinkRule(
            "n2", new PartitionRule("n3", PartitionRule.Action.DELAY, Duration.ofMillis(250), 1)),
        false,
        KNOWN);
    registry.link(
        new LinkRule("n3", new PartitionRule("n2", PartitionRule.Action.LOSE, Duration.ZERO, 0.25)),
        false,
        KNOWN);

    assertThat(new FaultJournal(dir).load()).isEqualTo(registry.current());
    assertThat(registry.current().version()).isEqualTo(3);
  }

  @Test
  void aChangeThatCannotBeKeptIsRefusedAndTheOldStateStays() throws IOException {
    FaultRegistry registry =
        new FaultRegistry(
            FaultState.INITIAL,
            s -> {
              throw new UncheckedIOException(new IOException("disk full"));
            });

    assertThatThrownBy(() -> registry.isolate("n1", KNOWN))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(registry.current()).isEqualTo(FaultState.INITIAL);
  }

  @Test
  void aDamagedJournalIsReportedNotTakenForHealed() throws IOException {
    Files.writeString(dir.resolve(FaultJournal.FILE), "{\"version\": 3, \"links\": [ {\"from\":");
    assertThatThrownBy(() -> new FaultJournal(dir).load())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(FaultJournal.FILE);
  }

  @Test
  void aRestartedControlPlaneKeepsThePartitionInForce() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("n1")).resolve("n1.yaml"), "[]\n");
    Files.writeString(Files.createDirectories(dir.resolve("n2")).resolve("n2.yaml"), "[]\n");
    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("kv", 8080));
    FaultState partitioned;
    try (ControlPlane cp = ControlPlane.start(options())) {
      partitioned = cp.changeFaults((faults, known) -> faults.isolate("n1", known)).state();
    }
    try (ControlPlane restarted = ControlPlane.start(options())) {
      assertThat(restarted.faultStatus().state()).isEqualTo(partitioned);
      assertThat(restarted.faultStatus().state().rulesFrom("n1")).isNotEmpty();
    }
  }

  private ControlPlaneOptions options() {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    return new ControlPlaneOptions(
        dir,
        any,
        any,
        Duration.ofMillis(50),
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        new ManualClock(Instant.parse("2025-01-01T00:00:00Z")),
        Map.of());
  }
}
