package io.outrigger.cli.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit itself: namespaces joined as asked, and nothing of them left after close. */
class NetnsKitIT {
  @Test
  void bridgedNamespacesTalkAndCloseRemovesThemWithTheirProcesses() {
    assumeThat(NetnsKit.available()).as("needs root, ip, iptables and setpriv").isTrue();
    List<String> names;
    Process server;
    try (NetnsKit kit = NetnsKit.create()) {
      Netns a = kit.namespace("a");
      Netns b = kit.namespace("b");
      Netns lan = kit.bridge("lan", List.of(a, b), List.of("10.78.0.1/24", "10.78.0.2/24"));
      server = b.start(TagServer.command("b=10.78.0.2:7000"), "ready");
      assertThat(a.dial("10.78.0.2", 7000)).isEqualTo("b");
      assertThat(a.dial("10.78.0.3", 7000)).startsWith("failed: ");
      names = List.of(a.name(), b.name(), lan.name());
      assertThat(namespaces()).containsAll(names);
    }
    assertThat(server.isAlive()).isFalse();
    assertThat(namespaces()).doesNotContainAnyElementsOf(names);
  }

  private static List<String> namespaces() {
    return Netns.run(List.of("ip", "netns", "list"))
        .check()
        .out()
        .lines()
        .map(l -> l.split(" ")[0])
        .toList();
  }
}
