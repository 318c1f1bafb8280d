package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.DnsLookupFamily;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResolutionTest {
  private final InetAddress v4 = DnsResolution.literal("10.0.0.1");
  private final InetAddress v6 = DnsResolution.literal("::1");

  @Test
  void autoPrefersIpv6AndFallsBackToIpv4() {
    assertThat(DnsResolution.select(DnsLookupFamily.AUTO, List.of(v4, v6))).containsExactly(v6);
    assertThat(DnsResolution.select(DnsLookupFamily.AUTO, List.of(v4))).containsExactly(v4);
  }

  @Test
  void v4PreferredIsTheReverse() {
    assertThat(DnsResolution.select(DnsLookupFamily.V4_PREFERRED, List.of(v6, v4)))
        .containsExactly(v4);
    assertThat(DnsResolution.select(DnsLookupFamily.V4_PREFERRED, List.of(v6))).containsExactly(v6);
  }

  @Test
  void onlyAndAll() {
    assertThat(DnsResolution.select(DnsLookupFamily.V4_ONLY, List.of(v6, v4))).containsExactly(v4);
    assertThat(DnsResolution.select(DnsLookupFamily.V6_ONLY, List.of(v6, v4))).containsExactly(v6);
    assertThat(DnsResolution.select(DnsLookupFamily.ALL, List.of(v6, v4))).containsExactly(v4, v6);
  }

  @Test
  void literalNeverResolvesNames() {
    assertThat(DnsResolution.literal("localhost")).isNull();
    assertThat(DnsResolution.literal("127.0.0.1")).isNotNull();
  }
}
