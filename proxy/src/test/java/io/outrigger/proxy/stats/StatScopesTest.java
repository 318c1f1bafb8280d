package io.outrigger.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A listener's address as Envoy writes it in {@code listener.<address>.}. */
class StatScopesTest {
  private static InetSocketAddress at(String host, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }

  @Test
  void ipv4AddressHasItsColonMadeUnderscore() throws Exception {
    assertThat(StatScopes.envoyAddress(at("127.0.0.1", 10000))).isEqualTo("127.0.0.1_10000");
    assertThat(StatScopes.envoyAddress(at("0.0.0.0", 15006))).isEqualTo("0.0.0.0_15006");
  }

  @Test
  void ipv6AnyAddressIsCompressedInBrackets() throws Exception {
    assertThat(StatScopes.envoyAddress(at("::", 15006))).isEqualTo("[__]_15006");
    assertThat(StatScopes.envoyAddress(at("[::]", 15006))).isEqualTo("[__]_15006");
    assertThat(StatScopes.envoyAddress(at("0:0:0:0:0:0:0:0", 15006))).isEqualTo("[__]_15006");
  }

  @Test
  void ipv6AddressesAreWrittenAsInetNtopWritesThem() throws Exception {
    assertThat(StatScopes.envoyAddress(at("::1", 10000))).isEqualTo("[__1]_10000");
    assertThat(StatScopes.envoyAddress(at("2001:DB8:0:0:0:0:0:1", 80)))
        .isEqualTo("[2001_db8__1]_80");
    // The first of two equally long zero runs is the one compressed; a single zero stays "0".
    assertThat(StatScopes.envoyAddress(at("2001:db8:0:0:1:0:0:1", 80)))
        .isEqualTo("[2001_db8__1_0_0_1]_80");
    assertThat(StatScopes.envoyAddress(at("2001:db8:0:1:1:1:1:1", 80)))
        .isEqualTo("[2001_db8_0_1_1_1_1_1]_80");
    assertThat(StatScopes.envoyAddress(at("fd00:0:0:1::", 8080))).isEqualTo("[fd00_0_0_1__]_8080");
    assertThat(StatScopes.envoyAddress(at("::102:304", 80))).isEqualTo("[__1.2.3.4]_80");
  }

  @Test
  void ipv6ScopeIdFollowsThePercentSign() throws Exception {
    Inet6Address linkLocal =
        Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 2);
    assertThat(StatScopes.envoyAddress(new InetSocketAddress(linkLocal, 80)))
        .isEqualTo("[fe80__1%2]_80");
  }

  @Test
  void ipv4MappedIpv6IsWrittenWithItsDottedTail() {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 7;
    assertThat(Ipv6Text.of(mapped)).isEqualTo("::ffff:10.0.0.7");
  }

  @Test
  void unknownListenerKeepsItsName() throws Exception {
    StatScopes scopes = new StatScopes();
    assertThat(scopes.listenerAddress("ingress")).isEqualTo("ingress");
    scopes.listenerBound("ingress", at("::", 15006));
    assertThat(scopes.listenerAddress("ingress")).isEqualTo("[__]_15006");
  }
}
