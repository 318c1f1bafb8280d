package io.outrigger.lab.store;

import static java.util.Objects.requireNonNull;

/**
 * One node's answer to "who leads?".
 *
 * @param node the node asked (a lab node name)
 * @param leader the lab node name of the leader it follows; null when it knows none or did not
 *     answer; an etcd member id that maps to no lab node appears as {@code id:<hex>}
 * @param term the Raft term it is in; -1 when unknown
 * @param error why there is no leader, e.g. {@code etcdserver: no leader} or a timeout; null when
 *     there is one
 */
public record LeaderView(String node, String leader, long term, String error) {
  public LeaderView {
    requireNonNull(node, "node");
  }
}
