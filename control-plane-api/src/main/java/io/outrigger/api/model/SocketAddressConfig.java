package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code core.v3.SocketAddress} for TCP: an IP literal or a host name, and a port.
 *
 * @param address an IP literal ({@code 127.0.0.1}, {@code ::1}) or, for DNS clusters, a host name
 * @param port 0..65535; 0 asks the kernel for a free port (listeners only)
 */
public record SocketAddressConfig(String address, int port) {
  public SocketAddressConfig {
    requireNonNull(address, "address");
    if (address.isEmpty()) {
      throw new IllegalArgumentException("address: empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
  }

  @Override
  public String toString() {
    return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
  }
}
