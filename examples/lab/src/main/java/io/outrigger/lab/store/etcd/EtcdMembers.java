package io.outrigger.lab.store.etcd;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which lab node each etcd member id belongs to. Learned two ways: a node's status answer carries
 * its own member id in {@code header.member_id} (certain); {@code /v3/cluster/member/list} names
 * every member, matched to a lab node by member name, else by one of its client URLs. Thread-safe.
 */
final class EtcdMembers {
  private final Map<String, URI> nodes;
  private final Map<String, String> nodeById = new ConcurrentHashMap<>();

  /**
   * @param nodes lab node name to the URL the lab reaches it at
   */
  EtcdMembers(Map<String, URI> nodes) {
    this.nodes = Map.copyOf(nodes);
  }

  /** {@code node} answered with {@code memberId} as its own id. */
  void learn(String node, String memberId) {
    if (memberId != null) {
      nodeById.put(memberId, node);
    }
  }

  /** Learns the members of a member list that match a lab node by name or client URL. */
  void learn(List<EtcdJson.Member> members) {
    for (EtcdJson.Member m : members) {
      if (nodes.containsKey(m.name())) {
        nodeById.putIfAbsent(m.id(), m.name());
        continue;
      }
      nodes.forEach(
          (node, url) -> {
            if (m.clientUrls().stream().anyMatch(u -> trim(u).equals(trim(url.toString())))) {
              nodeById.putIfAbsent(m.id(), node);
            }
          });
    }
  }

  /** The lab node of {@code memberId}, if known. */
  Optional<String> node(String memberId) {
    return Optional.ofNullable(nodeById.get(memberId));
  }

  /** How a member that maps to no lab node is named: {@code id:} and its id in hex, as etcdctl. */
  static String unknown(String memberId) {
    try {
      return "id:" + Long.toHexString(Long.parseUnsignedLong(memberId));
    } catch (NumberFormatException e) {
      return "id:" + memberId;
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
