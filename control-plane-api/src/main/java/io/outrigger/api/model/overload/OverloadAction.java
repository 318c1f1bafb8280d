package io.outrigger.api.model.overload;

import java.util.Arrays;
import java.util.Optional;

/** The overload actions Outrigger takes, by Envoy's names. */
public enum OverloadAction {
  /** New HTTP requests get 503 with {@code x-envoy-overloaded: true} while saturated. */
  STOP_ACCEPTING_REQUESTS("envoy.overload_actions.stop_accepting_requests"),
  /**
   * Responses close their HTTP/1.1 connection (HTTP/2: GOAWAY) with a probability that is the
   * action's scaled value: 1 when saturated.
   */
  DISABLE_HTTP_KEEPALIVE("envoy.overload_actions.disable_http_keepalive"),
  /** The listeners stop accepting while saturated; new connections wait in the kernel's backlog. */
  STOP_ACCEPTING_CONNECTIONS("envoy.overload_actions.stop_accepting_connections"),
  /** New connections are accepted and closed at once while saturated. */
  REJECT_INCOMING_CONNECTIONS("envoy.overload_actions.reject_incoming_connections");

  private final String envoyName;

  OverloadAction(String envoyName) {
    this.envoyName = envoyName;
  }

  /** The action's name in Envoy's configuration. */
  public String envoyName() {
    return envoyName;
  }

  /** The action Envoy calls {@code name}; empty when Outrigger does not take it. */
  public static Optional<OverloadAction> byEnvoyName(String name) {
    return Arrays.stream(values()).filter(a -> a.envoyName.equals(name)).findFirst();
  }
}
