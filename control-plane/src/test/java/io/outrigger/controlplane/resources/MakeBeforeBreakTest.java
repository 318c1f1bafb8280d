package io.outrigger.controlplane.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.config.ResourceFileLoader;
import io.outrigger.controlplane.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The steps between two snapshots: add, switch, remove. */
class MakeBeforeBreakTest {
  private static GroupSnapshot snapshot(String yaml) throws Exception {
    return GroupSnapshot.of(ResourceFileLoader.load(yaml, "t.yaml", Map.of()).resources());
  }

  @Test
  void movingRoutesToANewClusterAddsItFirstAndRemovesTheOldOneLast() throws Exception {
    GroupSnapshot from = snapshot(Fixtures.mesh("blue", 8080));
    GroupSnapshot to = snapshot(Fixtures.mesh("green", 8081));

    List<GroupSnapshot> steps = MakeBeforeBreak.steps(from, to);

    assertThat(steps).hasSize(3);
    assertThat(steps.get(0).resources(ResourceType.CLUSTER)).containsOnlyKeys("blue", "green");
    assertThat(steps.get(0).resources(ResourceType.ENDPOINT)).containsOnlyKeys("blue", "green");
    assertThat(steps.get(0).resources(ResourceType.ROUTE))
        .isEqualTo(from.resources(ResourceType.ROUTE));
    assertThat(steps.get(1).resources(ResourceType.ROUTE))
        .isEqualTo(to.resources(ResourceType.ROUTE));
    assertThat(steps.get(1).resources(ResourceType.CLUSTER)).containsOnlyKeys("blue", "green");
    assertThat(steps.get(2)).isEqualTo(to);
    assertThat(steps.get(2).resources(ResourceType.CLUSTER)).containsOnlyKeys("green");
  }

  @Test
  void anEndpointChangeIsOneStepAndNoChangeIsNone() throws Exception {
    GroupSnapshot from = snapshot(Fixtures.mesh("kv", 8080));
    GroupSnapshot to = snapshot(Fixtures.mesh("kv", 9090));

    assertThat(MakeBeforeBreak.steps(from, to)).containsExactly(to);
    assertThat(MakeBeforeBreak.steps(from, from)).isEmpty();
    assertThat(MakeBeforeBreak.steps(null, to)).containsExactly(to);
  }
}
