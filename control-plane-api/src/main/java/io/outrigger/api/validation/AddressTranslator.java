package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.outrigger.api.model.SocketAddressConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Translates {@code core.v3.Address} (TCP socket addresses only) into {@link SocketAddressConfig}.
 */
public final class AddressTranslator {
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  /** Whether a host must be an IP literal or may be a name to resolve. */
  public enum HostKind {
    /** Listeners, the admin server and STATIC endpoints: no DNS. */
    IP_LITERAL,
    /** STRICT_DNS and LOGICAL_DNS endpoints. */
    IP_OR_HOSTNAME
  }

  private AddressTranslator() {}

  /**
   * A bind address: an IP literal, port 0..65535 (0 asks the kernel for a free port).
   *
   * @param path the path of the {@code Address}, e.g. {@code static_resources.listeners[0].address}
   */
  public static SocketAddressConfig translateBind(Address address, String path)
      throws ConfigException {
    return translate(
        address, path, HostKind.IP_LITERAL, 0, " (expected: an IP literal to bind to)");
  }

  /**
   * An upstream endpoint address: port 1..65535, the host per {@code hostKind}.
   *
   * @param path the path of the {@code Address}
   */
  public static SocketAddressConfig translateUpstream(
      Address address, String path, HostKind hostKind) throws ConfigException {
    return translate(
        address,
        path,
        hostKind,
        1,
        " (a STATIC cluster takes IP addresses; use STRICT_DNS or LOGICAL_DNS for host names)");
  }

  private static SocketAddressConfig translate(
      Address address, String path, HostKind hostKind, int minPort, String notIpHint)
      throws ConfigException {
    SupportedFieldsCheck.check(address, path);
    if (!address.hasSocketAddress()) {
      throw ConfigException.at(Paths.field(path, "socket_address"), "required");
    }
    String socketPath = Paths.field(path, "socket_address");
    SocketAddress socket = address.getSocketAddress();
    if (socket.getProtocol() != SocketAddress.Protocol.TCP) {
      throw ConfigException.at(
          Paths.field(socketPath, "protocol"),
          socket.getProtocol() + " not supported (expected: TCP)");
    }
    String host = socket.getAddress();
    if (host.isEmpty()) {
      throw ConfigException.at(Paths.field(socketPath, "address"), "required");
    }
    if (hostKind == HostKind.IP_LITERAL && !isIpLiteral(host)) {
      throw ConfigException.at(
          Paths.field(socketPath, "address"), "\"" + host + "\" is not an IP address" + notIpHint);
    }
    long port = Integer.toUnsignedLong(socket.getPortValue());
    if (port < minPort || port > 65535) {
      throw ConfigException.at(
          Paths.field(socketPath, "port_value"), port + " (expected: " + minPort + "..65535)");
    }
    try {
      return new SocketAddressConfig(host, (int) port);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(socketPath, e);
    }
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal; never resolves a name. */
  public static boolean isIpLiteral(String host) {
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (!IPV6_CHARS.matcher(host).matches()) {
      return false;
    }
    try {
      // Only hex digits, ':' and '.': the JDK parses this as an IPv6 literal and never asks DNS.
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
