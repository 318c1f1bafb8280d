package io.outrigger.cli.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outrigger.cli.netns.Netns;
import io.outrigger.cli.netns.NetnsKit;
import io.outrigger.cli.netns.TagServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where connections land once {@code outrigger iptables} has run in a workload's namespace. A
 * {@link TagServer} stands in for the sidecar on 15001 and 15006 and for the workload on 8080 and
 * the admin port 15000; another one is the peer in a second namespace. Each answers with its name.
 *
 * <pre>
 *   app (workload)                         peer
 *   10.77.0.1/24, 10.77.1.1/24  ==veth==   10.77.0.2/24, 10.77.1.2/24
 * </pre>
 */
class IptablesRedirectIT {
  private static final int PROXY_UID = 1337;
  private static final int PROXY_GID = 1338;

  private static NetnsKit kit;
  private static Netns app;
  private static Netns peer;

  @BeforeAll
  static void interceptedWorkloadAndAPeer() {
    assumeTrue(NetnsKit.available(), "needs root, ip, iptables and setpriv");
    kit = NetnsKit.create();
    app = kit.namespace("app");
    peer = kit.namespace("peer");
    wire(app, peer);
    Netns.Result r =
        OutriggerIptables.run(
            app,
            "--proxy-uid=" + PROXY_UID,
            "--proxy-gid=" + PROXY_GID,
            "--exclude-inbound-ports=15000",
            "--exclude-outbound-ports=5432",
            "--exclude-outbound-cidrs=10.77.1.0/24");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  /** Links the two, starts the stand-ins in {@code workload} and the peer in {@code other}. */
  private static void wire(Netns workload, Netns other) {
    kit.link(
        workload, List.of("10.77.0.1/24", "10.77.1.1/24"),
        other, List.of("10.77.0.2/24", "10.77.1.2/24"));
    workload.start(
        TagServer.command(
            "outbound=0.0.0.0:15001",
            "inbound=0.0.0.0:15006",
            "workload=0.0.0.0:8080",
            "admin=0.0.0.0:15000"),
        "ready");
    other.start(TagServer.command("peer=0.0.0.0:8080", "peer-db=0.0.0.0:5432"), "ready");
  }

  @AfterAll
  static void removeNamespaces() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void theWorkloadsConnectionToAPeerLandsOnTheOutboundPort() {
    assertThat(app.dial("10.77.0.2", 8080)).isEqualTo("outbound");
  }

  @Test
  void theProxysOwnConnectionsReachThePeerByUidAndByGid() {
    assertThat(app.dial("10.77.0.2", 8080, Netns.as(PROXY_UID, 4242))).isEqualTo("peer");
    assertThat(app.dial("10.77.0.2", 8080, Netns.as(4242, PROXY_GID))).isEqualTo("peer");
    assertThat(app.dial("10.77.0.2", 8080, Netns.as(4242, 4242))).isEqualTo("outbound");
  }

  @Test
  void excludedPortsAndCidrsLeaveDirectly() {
    assertThat(app.dial("10.77.0.2", 5432)).isEqualTo("peer-db");
    assertThat(app.dial("10.77.1.2", 8080)).isEqualTo("peer");
  }

  @Test
  void loopbackAndTheWorkloadCallingItselfStayDirect() {
    assertThat(app.dial("127.0.0.1", 8080)).isEqualTo("workload");
    assertThat(app.dial("10.77.0.1", 8080)).isEqualTo("workload");
    assertThat(app.dial("127.0.0.1", 8080, Netns.as(PROXY_UID, PROXY_GID))).isEqualTo("workload");
  }

  @Test
  void theProxyCallingTheWorkloadsOwnAddressGoesInbound() {
    assertThat(app.dial("10.77.0.1", 8080, Netns.as(PROXY_UID, 4242))).isEqualTo("inbound");
  }

  @Test
  void inboundConnectionsLandOnTheInboundPortExceptExcludedPorts() {
    assertThat(peer.dial("10.77.0.1", 8080)).isEqualTo("inbound");
    assertThat(peer.dial("10.77.0.1", 15000)).isEqualTo("admin");
    assertThat(peer.dial("10.77.0.1", 15001)).isEqualTo("outbound");
  }

  @Test
  void includedCidrsAreTheOnlyOnesRedirected() {
    Netns narrow = kit.namespace("narrow");
    Netns other = kit.namespace("other");
    wire(narrow, other);
    Netns.Result r =
        OutriggerIptables.run(
            narrow, "--proxy-uid=" + PROXY_UID, "--include-outbound-cidrs=10.77.1.0/24");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(narrow.dial("10.77.0.2", 8080)).isEqualTo("peer");
    assertThat(narrow.dial("10.77.1.2", 8080)).isEqualTo("outbound");
  }
}
