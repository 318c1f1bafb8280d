package io.outrigger.lab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NemesisKindTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

  @Test
  void halvesOfFiveAreTwoAndThree() {
    Fault.Partition p =
        (Fault.Partition) NemesisKind.HALVES.next(FIVE, new SplittableRandom(1)).orElseThrow();
    assertThat(p.groups()).extracting(List::size).containsExactly(2, 3);
    Map<String, String> sides = p.sides(FIVE);
    p.groups().get(0).forEach(n -> assertThat(sides.get(n)).isEqualTo("minority"));
    p.groups().get(1).forEach(n -> assertThat(sides.get(n)).isEqualTo("majority"));
  }

  @Test
  void bridgeOfFiveLeavesEveryNodeAMajorityThroughTheMiddle() {
    Fault.Links bridge =
        (Fault.Links) NemesisKind.BRIDGE.next(FIVE, new SplittableRandom(2)).orElseThrow();
    // Two halves of two: four cut pairs, each a both-ways drop rule.
    assertThat(bridge.rules()).hasSize(4).allMatch(r -> r.action().equals("drop") && r.bothWays());
    assertThat(bridge.sides(FIVE).values()).containsOnly("majority");
    assertThat(bridge.description()).matches("bridge \\[n\\d,n\\d\\] - n\\d - \\[n\\d,n\\d\\]");
  }

  @Test
  void isolateOneLeavesTheRestAMajority() {
    Fault.Isolate isolate = new Fault.Isolate("n3");
    assertThat(isolate.sides(FIVE)).containsEntry("n3", "minority").containsEntry("n1", "majority");
    assertThat(isolate.cutLinks(FIVE)).hasSize(8);
  }

  @Test
  void choicesFollowTheSeed() {
    assertThat(NemesisKind.ISOLATE_ONE.next(FIVE, new SplittableRandom(9)))
        .isEqualTo(NemesisKind.ISOLATE_ONE.next(FIVE, new SplittableRandom(9)));
    assertThat(NemesisKind.NONE.next(FIVE, new SplittableRandom(9))).isEmpty();
  }

  @Test
  void namesParseAndUnknownNamesAreRefused() {
    assertThat(NemesisKind.parse("flaky-links")).isEqualTo(NemesisKind.FLAKY_LINKS);
    assertThatThrownBy(() -> NemesisKind.parse("chaos"))
        .hasMessageContaining(
            "nemesis: chaos (expected: isolate-one, isolate-leader, halves, bridge, flaky-links or"
                + " none)");
  }
}
