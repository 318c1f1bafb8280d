package io.outrigger.cli.iptables;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code outrigger iptables} intercepts, validated: the proxy's two ports, the owner whose
 * traffic is never redirected, and the ports and IPv4 ranges left alone. Port lists hold single
 * ports ({@code 22}) or ranges ({@code 8000:8100}); CIDR lists hold IPv4 prefixes, a bare address
 * meaning {@code /32}.
 *
 * @param inboundPort where inbound TCP is redirected (Istio's default 15006)
 * @param outboundPort where outbound TCP is redirected (Istio's default 15001)
 * @param proxyUid the proxy's user, whose connections are never redirected back to it
 * @param proxyGid the proxy's group, the same by group; at least one of the two is required
 * @param excludeInboundPorts destination ports of inbound connections that go straight to the
 *     workload
 * @param excludeOutboundPorts destination ports of outbound connections that leave directly
 * @param excludeOutboundCidrs destinations that leave directly
 * @param includeOutboundCidrs the destinations redirected to the proxy; empty means all
 */
public record InterceptOptions(
    int inboundPort,
    int outboundPort,
    OptionalInt proxyUid,
    OptionalInt proxyGid,
    List<String> excludeInboundPorts,
    List<String> excludeOutboundPorts,
    List<String> excludeOutboundCidrs,
    List<String> includeOutboundCidrs) {
  /** Istio's inbound capture port. */
  public static final int DEFAULT_INBOUND_PORT = 15006;

  /** Istio's outbound capture port. */
  public static final int DEFAULT_OUTBOUND_PORT = 15001;

  private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?::(\\d{1,5}))?");
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

  /**
   * Validates every field and normalises the CIDRs ({@code 10.1.2.3} becomes {@code 10.1.2.3/32}).
   *
   * @throws IllegalArgumentException naming the option and the value that is wrong
   */
  public InterceptOptions {
    port("--inbound-port", inboundPort);
    port("--outbound-port", outboundPort);
    if (inboundPort == outboundPort) {
      throw new IllegalArgumentException(
          "--inbound-port and --outbound-port: both %d (expected: two different ports)"
              .formatted(inboundPort));
    }
    if (proxyUid.isEmpty() && proxyGid.isEmpty()) {
      throw new IllegalArgumentException(
          "--proxy-uid or --proxy-gid is required: without it the proxy's own connections would"
              + " be redirected back to the proxy");
    }
    id("--proxy-uid", proxyUid);
    id("--proxy-gid", proxyGid);
    excludeInboundPorts = ports("--exclude-inbound-ports", excludeInboundPorts);
    excludeOutboundPorts = ports("--exclude-outbound-ports", excludeOutboundPorts);
    excludeOutboundCidrs = cidrs("--exclude-outbound-cidrs", excludeOutboundCidrs);
    includeOutboundCidrs =
        includeOutboundCidrs.equals(List.of("*"))
            ? List.of()
            : cidrs("--include-outbound-cidrs", includeOutboundCidrs);
  }

  /** The defaults with the proxy running as {@code uid}: everything else intercepted. */
  public static InterceptOptions forProxyUid(int uid) {
    return new InterceptOptions(
        DEFAULT_INBOUND_PORT,
        DEFAULT_OUTBOUND_PORT,
        OptionalInt.of(uid),
        OptionalInt.empty(),
        List.of(),
        List.of(),
        List.of(),
        List.of("*"));
  }

  private static void port(String option, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("%s: %d (expected: 1..65535)".formatted(option, port));
    }
  }

  private static void id(String option, OptionalInt id) {
    if (id.isPresent() && id.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "%s: %d (expected: 0 or more)".formatted(option, id.getAsInt()));
    }
  }

  private static List<String> ports(String option, List<String> values) {
    for (String value : values) {
      Matcher m = PORTS.matcher(value);
      boolean valid =
          m.matches()
              && inRange(m.group(1), 1, 65535)
              && (m.group(2) == null
                  || inRange(m.group(2), 1, 65535)
                      && Integer.parseInt(m.group(1)) < Integer.parseInt(m.group(2)));
      if (!valid) {
        throw new IllegalArgumentException(
            "%s: \"%s\" (expected: a port 1..65535 or a range like 8000:8100)"
                .formatted(option, value));
      }
    }
    return List.copyOf(values);
  }

  private static List<String> cidrs(String option, List<String> values) {
    return values.stream().map(v -> cidr(option, v)).toList();
  }

  private static String cidr(String option, String value) {
    Matcher m = CIDR.matcher(value);
    boolean valid = m.matches() && (m.group(5) == null || inRange(m.group(5), 0, 32));
    for (int i = 1; valid && i <= 4; i++) {
      valid = inRange(m.group(i), 0, 255);
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "%s: \"%s\" (expected: an IPv4 address or CIDR like 10.0.0.0/8)"
              .formatted(option, value));
    }
    return m.group(5) == null ? value + "/32" : value;
  }

  private static boolean inRange(String digits, int min, int max) {
    int n = Integer.parseInt(digits);
    return n >= min && n <= max;
  }
}
