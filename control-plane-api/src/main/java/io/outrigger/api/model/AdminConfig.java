package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code bootstrap.v3.Admin}: where the admin server listens.
 *
 * @param address the admin listener's address
 */
public record AdminConfig(SocketAddressConfig address) {
  public AdminConfig {
    requireNonNull(address, "address");
  }
}
