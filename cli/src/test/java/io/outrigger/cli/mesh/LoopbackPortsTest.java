package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
  @Test
  void choosesDistinctFreePortsBelowTheEphemeralRange() {
    LoopbackPorts ports = new LoopbackPorts(new SplittableRandom(7), 32_768);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = ports.next();
      assertThat(port).isBetween(LoopbackPorts.LOW, 32_767);
      assertThat(seen.add(port)).as("port %d chosen twice", port).isTrue();
    }
  }

  @Test
  void skipsAPortThatIsTaken() throws IOException {
    // The same seed chooses the same first port; hold it, and the next choice must differ.
    int first = new LoopbackPorts(new SplittableRandom(11), 32_768).next();
    try (ServerSocket held = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
      assertThat(LoopbackPorts.isFree(first)).isFalse();
      assertThat(new LoopbackPorts(new SplittableRandom(11), 32_768).next()).isNotEqualTo(first);
    }
  }

  @Test
  void withNoRoomBelowTheEphemeralRangeTheKernelChoosesDistinctPorts() {
    LoopbackPorts ports = new LoopbackPorts(new SplittableRandom(3), LoopbackPorts.LOW);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(seen.add(ports.next())).isTrue();
    }
  }

  @Test
  void readsThisMachinesEphemeralRange() {
    assertThat(LoopbackPorts.ephemeralLow()).isBetween(1_024, 65_535);
  }
}
