package io.outrigger.filters.network.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.api.model.rbac.RbacRules;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterStatus;
import io.outrigger.filters.stats.FilterMeters;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The network RBAC filter: a denied connection is closed and counted, an allowed one continues. */
class RbacNetworkFilterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddedChannel loop = new EmbeddedChannel();

  private final class Connection implements NetworkFilterCallbacks {
    final List<String> calls = new ArrayList<>();
    final InetSocketAddress remote;
    final PeerCertificate peer;

    Connection(String ip, String uriSan) {
      this.remote = new InetSocketAddress(ip, 40000);
      this.peer = uriSan == null ? null : new PeerCertificate(List.of(uriSan), List.of(), "O=x");
    }

    @Override
    public void continueConnection() {
      calls.add("continue");
    }

    @Override
    public void close() {
      calls.add("close");
    }

    @Override
    public void reset() {
      calls.add("reset");
    }

    @Override
    public void hold() {
      calls.add("hold");
    }

    @Override
    public EventExecutor executor() {
      return loop.eventLoop();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
      return new InetSocketAddress("127.0.0.1", 15001);
    }

    @Override
    public PeerCertificate peerCertificate() {
      return peer;
    }
  }

  private RbacNetworkFilterFactory factory(Optional<RbacRules> rules, Optional<RbacRules> shadow) {
    return new RbacNetworkFilterFactory(
        new RbacNetworkFilterConfig(
            "envoy.filters.network.rbac",
            "tcp_in",
            rules,
            shadow,
            "",
            RbacNetworkFilterConfig.EnforcementType.ONE_TIME_ON_FIRST_BYTE),
        "to_kv",
        new FilterMeters(registry),
        System::nanoTime);
  }

  private static RbacRules allow(RbacPrincipal principal) {
    return new RbacRules(
        RbacRules.Action.ALLOW,
        Map.of(
            "p",
            new RbacPolicy(
                List.of(new RbacPermission.DestinationPort(15001)), List.of(principal))));
  }

  private double count(String name) {
    var c =
        registry
            .find(name)
            .tags("filter", "network", "stat_prefix", "tcp_in", "rules_stat_prefix", "")
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void closesADeniedPrincipalsConnectionAndLetsTheAllowedOneContinue() {
    RbacNetworkFilterFactory f =
        factory(
            Optional.of(
                allow(
                    new RbacPrincipal.Authenticated(
                        Optional.of(StringMatcher.exact("spiffe://x/frontend"))))),
            Optional.empty());
    Connection frontend = new Connection("127.0.0.1", "spiffe://x/frontend");
    Connection other = new Connection("127.0.0.1", "spiffe://x/other");
    Connection anonymous = new Connection("127.0.0.1", null);

    assertThat(f.create().onNewConnection(frontend)).isEqualTo(NetworkFilterStatus.CONTINUE);
    assertThat(f.create().onNewConnection(other)).isEqualTo(NetworkFilterStatus.STOP_ITERATION);
    assertThat(f.create().onNewConnection(anonymous)).isEqualTo(NetworkFilterStatus.STOP_ITERATION);

    assertThat(frontend.calls).isEmpty();
    assertThat(other.calls).containsExactly("close");
    assertThat(anonymous.calls).containsExactly("close");
    assertThat(count("rbac_allowed")).isEqualTo(1);
    assertThat(count("rbac_denied")).isEqualTo(2);
    assertThat(f.needsTlsHandshake()).isTrue();
  }

  @Test
  void decidesOnTheSourceAddress() throws Exception {
    RbacNetworkFilterFactory f =
        factory(
            Optional.of(
                allow(
                    new RbacPrincipal.DirectRemoteIp(
                        new CidrRange(InetAddress.getByName("10.0.0.0"), 8)))),
            Optional.empty());
    Connection inside = new Connection("10.2.3.4", null);
    Connection outside = new Connection("192.168.0.1", null);

    f.create().onNewConnection(inside);
    f.create().onNewConnection(outside);

    assertThat(inside.calls).isEmpty();
    assertThat(outside.calls).containsExactly("close");
  }

  @Test
  void shadowRulesOnlyCount() {
    RbacNetworkFilterFactory f =
        factory(
            Optional.empty(),
            Optional.of(allow(new RbacPrincipal.Authenticated(Optional.empty()))));
    Connection anonymous = new Connection("127.0.0.1", null);

    assertThat(f.create().onNewConnection(anonymous)).isEqualTo(NetworkFilterStatus.CONTINUE);

    assertThat(anonymous.calls).isEmpty();
    assertThat(count("rbac_shadow_denied")).isEqualTo(1);
    assertThat(count("rbac_denied")).isZero();
  }
}
