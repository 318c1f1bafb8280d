package io.outrigger.lab.fake;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state behind the fake store replicas: which links are cut, and what each replica holds. It
 * behaves, in miniature, like the store of the contract in one of three ways:
 *
 * <ul>
 *   <li>{@link Behaviour#CP}: one register per key shared by every replica that reaches a majority;
 *       a replica cut off from the majority answers 503 ({@code not-applied} for reads, {@code
 *       unknown} for writes). Linearizable.
 *   <li>{@link Behaviour#UNSAFE}: each replica has its own copy; a write goes to the replicas the
 *       answering one can reach, reads are local. Under a partition the cut-off replica serves
 *       stale reads: not linearizable.
 *   <li>{@link Behaviour#AP}: like unsafe, plus last-writer-wins anti-entropy when healed.
 * </ul>
 *
 * Every method is synchronized: the fake favours obviousness over throughput.
 */
public final class FakeCluster {
  public enum Behaviour {
    CP,
    UNSAFE,
    AP
  }

  /** A stored value and its version (logical time, replica). */
  public record Stored(String value, long time, String replica) {
    String version() {
      return time + "." + replica;
    }

    boolean newerThan(Stored other) {
      return other == null
          || time > other.time
          || (time == other.time && replica.compareTo(other.replica) > 0);
    }
  }

  /** A store answer: status, the stored value (may be null), the answering replica, outcome. */
  public record Reply(int status, String key, Stored stored, String replica, String outcome) {}

  private final Behaviour behaviour;
  private final List<String> nodes;
  private final Set<String> cut = new HashSet<>();
  private final Map<String, Map<String, Stored>> replicas = new HashMap<>();
  private final Map<String, Stored> shared = new HashMap<>();
  private final AtomicLong clock = new AtomicLong();

  public FakeCluster(Behaviour behaviour, List<String> nodes) {
    this.behaviour = behaviour;
    this.nodes = List.copyOf(nodes);
    nodes.forEach(n -> replicas.put(n, new HashMap<>()));
  }

  public List<String> nodes() {
    return nodes;
  }

  public synchronized void cut(String from, String to) {
    cut.add(from + ">" + to);
  }

  public synchronized void isolate(String node) {
    heal(false);
    for (String n : nodes) {
      if (!n.equals(node)) {
        cut(node, n);
        cut(n, node);
      }
    }
  }

  public synchronized void partition(List<List<String>> groups) {
    heal(false);
    for (List<String> a : groups) {
      for (List<String> b : groups) {
        if (a != b) {
          a.forEach(x -> b.forEach(y -> cut(x, y)));
        }
      }
    }
  }

  /** Heals every link; AP replicas then exchange their data (anti-entropy). */
  public synchronized void heal(boolean antiEntropy) {
    cut.clear();
    if (antiEntropy && behaviour == Behaviour.AP) {
      Map<String, Stored> merged = new HashMap<>();
      replicas
          .values()
          .forEach(r -> r.forEach((k, v) -> merged.merge(k, v, (a, b) -> b.newerThan(a) ? b : a)));
      replicas.values().forEach(r -> r.putAll(merged));
    }
  }

  public synchronized boolean linked(String a, String b) {
    return a.equals(b) || (!cut.contains(a + ">" + b) && !cut.contains(b + ">" + a));
  }

  private boolean hasMajority(String node) {
    return nodes.stream().filter(n -> linked(node, n)).count() > nodes.size() / 2;
  }

  public synchronized Reply read(String node, String key, boolean local) {
    if (behaviour == Behaviour.CP && !local) {
      if (!hasMajority(node)) {
        return new Reply(503, key, null, node, "not-applied");
      }
      Stored s = shared.get(key);
      return new Reply(s == null ? 404 : 200, key, s, node, null);
    }
    Stored s = behaviour == Behaviour.CP ? shared.get(key) : replicas.get(node).get(key);
    return new Reply(s == null ? 404 : 200, key, s, node, null);
  }

  public synchronized Reply write(String node, String key, String value) {
    Stored s = new Stored(value, clock.incrementAndGet(), node);
    if (behaviour == Behaviour.CP) {
      if (!hasMajority(node)) {
        return new Reply(503, key, null, node, "unknown");
      }
      shared.put(key, s);
      return new Reply(200, key, s, node, null);
    }
    for (String n : nodes) {
      if (linked(node, n)) {
        replicas.get(n).put(key, s);
      }
    }
    return new Reply(200, key, s, node, null);
  }

  /** What every replica holds for {@code key}, for assertions. */
  public synchronized Map<String, String> values(String key) {
    Map<String, String> out = new TreeMap<>();
    nodes.forEach(
        n -> {
          Stored s = behaviour == Behaviour.CP ? shared.get(key) : replicas.get(n).get(key);
          out.put(n, s == null ? null : s.value());
        });
    return out;
  }
}
