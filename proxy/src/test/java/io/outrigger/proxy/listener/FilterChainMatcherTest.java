package io.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import io.outrigger.proxy.connection.ConnectionFacts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FilterChainMatcherTest {
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 15001);
  private static final InetSocketAddress CLIENT = new InetSocketAddress("10.1.0.7", 40000);

  private static FilterChainMatchConfig match(
      Integer port, List<String> prefixes, List<String> names, List<String> alpn) {
    return new FilterChainMatchConfig(
        port == null ? OptionalInt.empty() : OptionalInt.of(port),
        prefixes.stream().map(FilterChainMatcherTest::cidr).toList(),
        names,
        Optional.empty(),
        alpn,
        List.of(),
        List.of());
  }

  private static CidrRange cidr(String s) {
    String[] parts = s.split("/");
    try {
      return new CidrRange(InetAddress.getByName(parts[0]), Integer.parseInt(parts[1]));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static ConnectionFacts to(String ip, int port) {
    ConnectionFacts f = new ConnectionFacts(LOCAL, CLIENT);
    f.originalDestination(new InetSocketAddress(ip, port));
    return f;
  }

  @Test
  void destinationPortComesBeforeEverythingElse() {
    List<FilterChainMatchConfig> chains =
        List.of(
            match(null, List.of("10.0.0.0/8"), List.of(), List.of()),
            match(80, List.of(), List.of(), List.of()));

    assertThat(FilterChainMatcher.select(chains, to("10.0.0.1", 80))).isEqualTo(1);
    assertThat(FilterChainMatcher.select(chains, to("10.0.0.1", 81))).isEqualTo(0);
  }

  @Test
  void theLongestMatchingDestinationPrefixWinsThenNoPrefix() {
    List<FilterChainMatchConfig> chains =
        List.of(
            match(null, List.of(), List.of(), List.of()),
            match(null, List.of("10.0.0.0/8"), List.of(), List.of()),
            match(null, List.of("10.1.0.0/16", "192.168.0.0/16"), List.of(), List.of()));

    assertThat(FilterChainMatcher.select(chains, to("10.1.2.3", 80))).isEqualTo(2);
    assertThat(FilterChainMatcher.select(chains, to("10.2.2.3", 80))).isEqualTo(1);
    assertThat(FilterChainMatcher.select(chains, to("172.16.0.1", 80))).isEqualTo(0);
  }

  @Test
  void theLocalAddressIsTheDestinationWhenNothingWasRestored() {
    List<FilterChainMatchConfig> chains =
        List.of(
            match(15001, List.of(), List.of(), List.of()),
            match(null, List.of(), List.of(), List.of()));

    assertThat(FilterChainMatcher.select(chains, new ConnectionFacts(LOCAL, CLIENT))).isEqualTo(0);
  }

  @Test
  void aMoreSpecificPortDoesNotFallBackWhenALaterCriterionFails() {
    // Envoy: the port-80 branch is chosen first; its only chain wants SNI a.test, so a
    // connection to port 80 without that name matches nothing, even though chain 1 would.
    List<FilterChainMatchConfig> chains =
        List.of(
            match(80, List.of(), List.of("a.test"), List.of()),
            match(null, List.of(), List.of(), List.of()));

    assertThat(FilterChainMatcher.select(chains, to("10.0.0.1", 80))).isEqualTo(-1);
    ConnectionFacts named = to("10.0.0.1", 80);
    named.serverName("a.test");
    assertThat(FilterChainMatcher.select(chains, named)).isEqualTo(0);
  }

  @Test
  void serverNameExactThenLongestWildcardThenNone() {
    List<FilterChainMatchConfig> chains =
        List.of(
            match(null, List.of(), List.of(), List.of()),
            match(null, List.of(), List.of("*.test"), List.of()),
            match(null, List.of(), List.of("*.b.test"), List.of()),
            match(null, List.of(), List.of("a.b.test"), List.of()));

    assertThat(FilterChainMatcher.select(chains, named("a.b.test"))).isEqualTo(3);
    assertThat(FilterChainMatcher.select(chains, named("c.b.test"))).isEqualTo(2);
    assertThat(FilterChainMatcher.select(chains, named("c.test"))).isEqualTo(1);
    assertThat(FilterChainMatcher.select(chains, named("other.org"))).isEqualTo(0);
  }

  @Test
  void transportProtocolThenApplicationProtocolsInTheClientsOrder() {
    FilterChainMatchConfig tls =
        new FilterChainMatchConfig(
            OptionalInt.empty(),
            List.of(),
            List.of(),
            Optional.of(TransportProtocol.TLS),
            List.of(),
            List.of(),
            List.of());
    List<FilterChainMatchConfig> chains =
        List.of(
            match(null, List.of(), List.of(), List.of("http/1.1", "http/1.0")),
            match(null, List.of(), List.of(), List.of("h2c")),
            match(null, List.of(), List.of(), List.of()),
            tls);

    ConnectionFacts h2c = new ConnectionFacts(LOCAL, CLIENT);
    h2c.applicationProtocols(List.of("h2c"));
    ConnectionFacts both = new ConnectionFacts(LOCAL, CLIENT);
    both.applicationProtocols(List.of("http/1.0", "h2c"));
    ConnectionFacts overTls = new ConnectionFacts(LOCAL, CLIENT);
    overTls.transportProtocol(TransportProtocol.TLS);
    overTls.applicationProtocols(List.of("h2c"));

    assertThat(FilterChainMatcher.select(chains, h2c)).isEqualTo(1);
    assertThat(FilterChainMatcher.select(chains, both)).isEqualTo(0);
    assertThat(FilterChainMatcher.select(chains, new ConnectionFacts(LOCAL, CLIENT))).isEqualTo(2);
    assertThat(FilterChainMatcher.select(chains, overTls)).isEqualTo(3);
  }

  @Test
  void sourcePrefixThenSourcePortComeLast() {
    FilterChainMatchConfig fromNet =
        new FilterChainMatchConfig(
            OptionalInt.empty(),
            List.of(),
            List.of(),
            Optional.empty(),
            List.of(),
            List.of(cidr("10.1.0.0/16")),
            List.of());
    FilterChainMatchConfig fromPort =
        new FilterChainMatchConfig(
            OptionalInt.empty(),
            List.of(),
            List.of(),
            Optional.empty(),
            List.of(),
            List.of(cidr("10.1.0.0/16")),
            List.of(40000));
    List<FilterChainMatchConfig> chains = List.of(FilterChainMatchConfig.ANY, fromNet, fromPort);

    assertThat(FilterChainMatcher.select(chains, new ConnectionFacts(LOCAL, CLIENT))).isEqualTo(2);
    ConnectionFacts otherPort =
        new ConnectionFacts(LOCAL, new InetSocketAddress("10.1.0.7", 40001));
    assertThat(FilterChainMatcher.select(chains, otherPort)).isEqualTo(1);
    ConnectionFacts elsewhere =
        new ConnectionFacts(LOCAL, new InetSocketAddress("10.2.0.7", 40000));
    assertThat(FilterChainMatcher.select(chains, elsewhere)).isEqualTo(0);
  }

  private static ConnectionFacts named(String name) {
    ConnectionFacts f = new ConnectionFacts(LOCAL, CLIENT);
    f.serverName(name);
    return f;
  }
}
