package io.outrigger.controlplane.faults;

import static java.util.Objects.requireNonNull;

import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.xds.ProxyStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code GET /v1/faults} shows: the state, and per known node whether it is applied.
 *
 * @param state the faults in force
 * @param nodes per known node, by name
 */
public record FaultStatus(FaultState state, Map<String, NodeStatus> nodes) {
  public FaultStatus {
    requireNonNull(state, "state");
    nodes = Map.copyOf(nodes);
  }

  /**
   * One node.
   *
   * @param applied every connected proxy of the node has acknowledged the route and listener
   *     versions its group is served with this state (true when none is connected: nothing waits)
   * @param proxies how many proxies of the node are connected
   */
  public record NodeStatus(boolean applied, int proxies) {}

  /**
   * @param targets what each group converges to, built with {@code state}
   * @param proxies every connected proxy
   */
  public static FaultStatus of(
      FaultState state,
      Set<String> known,
      Map<String, GroupSnapshot> targets,
      List<ProxyStatus> proxies) {
    Map<String, NodeStatus> nodes = new TreeMap<>();
    for (String node : known) {
      boolean applied = true;
      int count = 0;
      for (ProxyStatus p : proxies) {
        if (!p.nodeCluster().equals(node)) {
          continue;
        }
        count++;
        GroupSnapshot target = targets.get(p.group());
        applied &=
            target != null
                && acked(p, ResourceType.ROUTE, target)
                && acked(p, ResourceType.LISTENER, target);
      }
      nodes.put(node, new NodeStatus(applied, count));
    }
    return new FaultStatus(state, nodes);
  }

  /** Whether the proxy acknowledged {@code target}'s version of {@code type}, or never asked. */
  private static boolean acked(ProxyStatus p, ResourceType type, GroupSnapshot target) {
    ProxyStatus.TypeStatus t = p.types().get(type);
    if (t == null || (t.sent().isEmpty() && t.acked().isEmpty())) {
      return true; // a proxy that does not watch the type (no RDS) has nothing to apply
    }
    return t.acked().equals(Optional.of(target.version(type)));
  }
}
