package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An {@code upgrade_configs} entry, on the connection manager or on a route: whether requests with
 * {@code Upgrade: <upgradeType>} (or an extended CONNECT with that protocol) are proxied as
 * upgrades. A route's entry overrides the connection manager's for the same type.
 *
 * @param upgradeType the protocol, compared case-insensitively; kept lower-case, e.g. {@code
 *     websocket}
 * @param enabled default {@code true}
 */
public record UpgradeConfig(String upgradeType, boolean enabled) {
  public UpgradeConfig {
    requireNonNull(upgradeType, "upgradeType");
    if (upgradeType.isEmpty()) {
      throw new IllegalArgumentException("upgrade_type: empty (expected: e.g. \"websocket\")");
    }
    upgradeType = upgradeType.toLowerCase(Locale.ROOT);
  }
}
