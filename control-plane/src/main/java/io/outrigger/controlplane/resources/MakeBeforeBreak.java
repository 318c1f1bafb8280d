package io.outrigger.controlplane.resources;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The steps from one published snapshot to the next, so that a proxy never holds a listener or
 * route that names a cluster it does not have:
 *
 * <ol>
 *   <li><b>add</b>: the new clusters and endpoints beside the old ones; listeners and routes as
 *       they were;
 *   <li><b>switch</b>: the new listeners and routes, still beside every old cluster;
 *   <li><b>remove</b>: the target, without the clusters and endpoints nothing uses any more.
 * </ol>
 *
 * <p>java-control-plane answers the open watches of one snapshot in the order CDS, EDS, LDS, RDS,
 * which makes additions safe on one stream; removals are not (a CDS response that drops a cluster
 * reaches the proxy before the LDS response that stops using it), hence the steps, each published
 * once the group's proxies acknowledged the one before. A step equal to the one before is left out.
 */
public final class MakeBeforeBreak {
  private MakeBeforeBreak() {}

  /**
   * @param from what the group was last published, or null for the first publication
   * @param to the target
   * @return one to three snapshots, the last being {@code to}
   */
  public static List<GroupSnapshot> steps(GroupSnapshot from, GroupSnapshot to) {
    if (from == null) {
      return List.of(to);
    }
    Map<ResourceType, Map<String, Message>> add = new EnumMap<>(ResourceType.class);
    add.put(ResourceType.CLUSTER, GroupSnapshot.union(from, to, ResourceType.CLUSTER));
    add.put(ResourceType.ENDPOINT, GroupSnapshot.union(from, to, ResourceType.ENDPOINT));
    add.put(ResourceType.LISTENER, from.resources(ResourceType.LISTENER));
    add.put(ResourceType.ROUTE, from.resources(ResourceType.ROUTE));
    Map<ResourceType, Map<String, Message>> switched = new EnumMap<>(add);
    switched.put(ResourceType.LISTENER, to.resources(ResourceType.LISTENER));
    switched.put(ResourceType.ROUTE, to.resources(ResourceType.ROUTE));
    List<GroupSnapshot> steps = new ArrayList<>();
    GroupSnapshot previous = from;
    for (GroupSnapshot step :
        List.of(GroupSnapshot.ofTypes(add), GroupSnapshot.ofTypes(switched), to)) {
      if (!step.equals(previous)) {
        steps.add(step);
        previous = step;
      }
    }
    return steps;
  }
}
