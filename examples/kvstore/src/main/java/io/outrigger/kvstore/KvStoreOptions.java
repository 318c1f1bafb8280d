package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one replica runs. Built by {@code outrigger kvstore} from its options, or by tests.
 *
 * @param node this replica's node name ({@code n1}); the replica id in every tag it chooses
 * @param listen where the HTTP API is served; port 0 picks a free port
 * @param peers the other replicas; the cluster size is {@code peers.size() + 1} and a majority is
 *     more than half of that
 * @param mode cp, cp-unsafe or ap
 * @param dataDir where the replica keeps its log; null keeps everything in memory (lost on exit)
 * @param requestTimeout the deadline of one client request, both quorum phases included (default
 *     1s); past it a quorum request answers 503
 * @param antiEntropyInterval how often the replica compares its contents with one peer and repairs
 *     the differences (default 1s); zero turns anti-entropy off
 * @param fsync whether a write is forced to disk before it is acknowledged (default true)
 * @param ioThreads the event-loop threads that serve clients and call peers (default 2)
 */
public record KvStoreOptions(
    String node,
    InetSocketAddress listen,
    List<Peer> peers,
    Mode mode,
    Path dataDir,
    Duration requestTimeout,
    Duration antiEntropyInterval,
    boolean fsync,
    int ioThreads) {
  static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_ANTI_ENTROPY_INTERVAL = Duration.ofSeconds(1);

  public KvStoreOptions {
    requireNonNull(node, "node");
    requireNonNull(listen, "listen");
    requireNonNull(mode, "mode");
    requireNonNull(requestTimeout, "requestTimeout");
    requireNonNull(antiEntropyInterval, "antiEntropyInterval");
    peers = List.copyOf(requireNonNull(peers, "peers"));
    if (!NODE_NAME.matcher(node).matches()) {
      throw new IllegalArgumentException(
          "node: \"" + node + "\" (expected: letters, digits, '-', '_' or '.')");
    }
    Set<String> names = new HashSet<>();
    names.add(node);
    for (Peer p : peers) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException(
            "peers: \"" + p.name() + "\" appears twice or is this node (expected: unique names)");
      }
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout: " + requestTimeout + " (expected: more than 0)");
    }
    if (antiEntropyInterval.isNegative()) {
      throw new IllegalArgumentException(
          "antiEntropyInterval: " + antiEntropyInterval + " (expected: 0 or more)");
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: 1 or more)");
    }
  }

  /** A replica with the defaults: 1s request timeout, 1s anti-entropy, fsync, 2 I/O threads. */
  public static KvStoreOptions of(
      String node, InetSocketAddress listen, List<Peer> peers, Mode mode, Path dataDir) {
    return new KvStoreOptions(
        node,
        listen,
        peers,
        mode,
        dataDir,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_ANTI_ENTROPY_INTERVAL,
        true,
        2);
  }

  public KvStoreOptions withRequestTimeout(Duration timeout) {
    return new KvStoreOptions(
        node, listen, peers, mode, dataDir, timeout, antiEntropyInterval, fsync, ioThreads);
  }

  public KvStoreOptions withAntiEntropyInterval(Duration interval) {
    return new KvStoreOptions(
        node, listen, peers, mode, dataDir, requestTimeout, interval, fsync, ioThreads);
  }

  public KvStoreOptions withFsync(boolean on) {
    return new KvStoreOptions(
        node, listen, peers, mode, dataDir, requestTimeout, antiEntropyInterval, on, ioThreads);
  }

  /** The number of replicas that make a majority: more than half of {@code peers + 1}. */
  public int majority() {
    return (peers.size() + 1) / 2 + 1;
  }
}
