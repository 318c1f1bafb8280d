package io.outrigger.controlplane.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRule.Action;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault state's transitions, step by step. */
class FaultRegistryTest {
  private static final Set<String> KNOWN = Set.of("n1", "n2", "n3");
  private final FaultRegistry registry = new FaultRegistry();

  private static List<String> links(FaultState s) {
    return s.links().stream()
        .map(l -> l.from() + ">" + l.to() + ":" + l.rule().action().configName())
        .toList();
  }

  @Test
  void startsEmptyAtVersionZero() {
    assertThat(registry.current()).isEqualTo(FaultState.INITIAL);
    assertThat(registry.current().version()).isZero();
  }

  @Test
  void partitionDropsBothWaysAcrossGroupsOnly() {
    FaultState s = registry.partition(List.of(List.of("n1"), List.of("n2", "n3")), KNOWN);

    assertThat(s.version()).isEqualTo(1);
    assertThat(links(s)).containsExactly("n1>n2:drop", "n1>n3:drop", "n2>n1:drop", "n3>n1:drop");
    assertThat(s.rulesFrom("n2")).containsExactly(PartitionRule.of("n1", Action.DROP));
  }

  @Test
  void isolateReplacesTheStateWithDropsAroundTheNode() {
    registry.link(
        new LinkRule("n2", new PartitionRule("n3", Action.DELAY, Duration.ofMillis(200), 1.0)),
        false,
        KNOWN);

    FaultState s = registry.isolate("n3", KNOWN);

    assertThat(s.version()).isEqualTo(2);
    assertThat(links(s)).containsExactly("n1>n3:drop", "n2>n3:drop", "n3>n1:drop", "n3>n2:drop");
  }

  @Test
  void linkAddsOrReplacesOneDirectionOrBoth() {
    registry.partition(List.of(List.of("n1"), List.of("n2")), KNOWN);

    FaultState s =
        registry.link(
            new LinkRule("n1", new PartitionRule("n2", Action.LOSE, Duration.ZERO, 0.5)),
            false,
            KNOWN);
    assertThat(links(s)).containsExactly("n1>n2:lose", "n2>n1:drop");

    s = registry.link(new LinkRule("n3", PartitionRule.of("n1", Action.REFUSE)), true, KNOWN);
    assertThat(links(s))
        .containsExactly("n1>n2:lose", "n1>n3:refuse", "n2>n1:drop", "n3>n1:refuse");
    assertThat(s.version()).isEqualTo(3);
  }

  @Test
  void healEmptiesTheStateWithANewVersion() {
    registry.isolate("n1", KNOWN);

    FaultState s = registry.heal();

    assertThat(s.links()).isEmpty();
    assertThat(s.version()).isEqualTo(2);
  }

  @Test
  void refusalsNameTheNodeAndChangeNothing() {
    registry.isolate("n1", KNOWN);
    FaultState before = registry.current();

    assertThatThrownBy(() -> registry.isolate("n9", KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown node \"n9\"");
    assertThatThrownBy(() -> registry.partition(List.of(List.of("n1"), List.of("n1", "n2")), KNOWN))
        .hasMessageContaining("node \"n1\" is in two groups");
    assertThatThrownBy(() -> registry.partition(List.of(List.of("n1", "n2")), KNOWN))
        .hasMessageContaining("expected: at least 2");
    assertThatThrownBy(() -> registry.link(LinkRule.drop("n1", "n1"), false, KNOWN))
        .hasMessageContaining("expected: a node other than from");

    assertThat(registry.current()).isEqualTo(before);
  }
}
