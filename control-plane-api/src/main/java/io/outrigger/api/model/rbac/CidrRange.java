package io.outrigger.api.model.rbac;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;

/**
 * {@code config.core.v3.CidrRange}: an address prefix, IPv4 or IPv6.
 *
 * <p>An address of the other family never matches (an IPv4-mapped IPv6 address is an IPv4 address
 * here, since the JDK parses it as one).
 *
 * @param address the prefix's address (bits past {@code prefixLen} are ignored, as in Envoy)
 * @param prefixLen the prefix length: 0..32 for IPv4, 0..128 for IPv6; default 0 (everything of the
 *     family)
 */
public record CidrRange(InetAddress address, int prefixLen) {
  public CidrRange {
    requireNonNull(address, "address");
    int max = address.getAddress().length * 8;
    if (prefixLen < 0 || prefixLen > max) {
      throw new IllegalArgumentException(
          "prefix_len: " + prefixLen + " (expected: 0.." + max + " for " + address + ")");
    }
  }

  /** Whether {@code candidate} lies in this range; {@code null} never does. */
  public boolean contains(InetAddress candidate) {
    if (candidate == null) {
      return false;
    }
    byte[] a = address.getAddress();
    byte[] b = candidate.getAddress();
    if (a.length != b.length) {
      return false;
    }
    int full = prefixLen / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = prefixLen % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (b[full] & mask);
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLen;
  }
}
