package io.outrigger.proxy.upstream;

import io.netty.resolver.ResolvedAddressTypes;
import io.netty.util.NetUtil;
import io.outrigger.api.model.DnsLookupFamily;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Envoy's address-family rules applied to what a DNS lookup returned. */
final class DnsResolution {
  private DnsResolution() {}

  /** What to ask the resolver for. */
  static ResolvedAddressTypes queryTypes(DnsLookupFamily family) {
    return switch (family) {
      case V4_ONLY -> ResolvedAddressTypes.IPV4_ONLY;
      case V6_ONLY -> ResolvedAddressTypes.IPV6_ONLY;
      case V4_PREFERRED, ALL -> ResolvedAddressTypes.IPV4_PREFERRED;
      case AUTO -> ResolvedAddressTypes.IPV6_PREFERRED;
    };
  }

  /**
   * Keeps the addresses Envoy would: AUTO takes the IPv6 answers if there are any and the IPv4 ones
   * otherwise; V4_PREFERRED the reverse; ALL keeps both.
   */
  static List<InetAddress> select(DnsLookupFamily family, List<InetAddress> answers) {
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    for (InetAddress a : answers) {
      (a instanceof Inet6Address ? v6 : v4).add(a);
    }
    return switch (family) {
      case V4_ONLY -> v4;
      case V6_ONLY -> v6;
      case AUTO -> v6.isEmpty() ? v4 : v6;
      case V4_PREFERRED -> v4.isEmpty() ? v6 : v4;
      case ALL -> {
        List<InetAddress> all = new ArrayList<>(v4);
        all.addAll(v6);
        yield all;
      }
    };
  }

  /** The address of an IP literal, or {@code null} for a host name; never asks DNS. */
  static InetAddress literal(String address) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  static boolean isV4(InetAddress a) {
    return a instanceof Inet4Address;
  }
}
