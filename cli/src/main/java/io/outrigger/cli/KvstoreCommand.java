package io.outrigger.cli;

import io.outrigger.kvstore.KvStore;
import io.outrigger.kvstore.KvStoreOptions;
import io.outrigger.kvstore.Mode;
import io.outrigger.kvstore.Peer;
import io.outrigger.proxy.admin.LogLevels;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outrigger kvstore}: one replica of the replicated key-value store (docs/kvstore.md). */
@Command(
    name = "kvstore",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one replica of the replicated key-value store.",
      "In a mesh every peer address is this replica's own sidecar's outbound listener; the peer's"
          + " name goes in the Host header. See docs/kvstore.md."
    })
final class KvstoreCommand implements Callable<Integer> {
  @Option(
      names = "--node",
      required = true,
      paramLabel = "NAME",
      description = "This replica's node name, e.g. n1.")
  String node;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "Where the HTTP API is served (default: 127.0.0.1:0, a free port).")
  InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);

  @Option(
      names = "--peers",
      split = ",",
      paramLabel = "NAME=HOST:PORT",
      description = "The other replicas, e.g. n2=127.0.0.1:15001,n3=127.0.0.1:15001.")
  Map<String, String> peers = new LinkedHashMap<>();

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "cp, cp-unsafe or ap (default: ${DEFAULT-VALUE}).")
  String mode = "cp";

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Where the replica keeps its log; without it the data lives in memory only.")
  Path data;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      description = "Deadline of one client request, quorum phases included (default: 1s).")
  Duration requestTimeout = KvStoreOptions.DEFAULT_REQUEST_TIMEOUT;

  @Option(
      names = "--anti-entropy-interval",
      paramLabel = "DURATION",
      description =
          "How often the replica repairs differences with a peer; 0s: never (default: 1s).")
  Duration antiEntropyInterval = KvStoreOptions.DEFAULT_ANTI_ENTROPY_INTERVAL;

  @Option(
      names = "--no-fsync",
      description = "Acknowledge writes once written to the OS, not forced to disk.")
  boolean noFsync;

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LEVEL",
      description =
          "trace, debug, info, warning, error, critical or off (default: ${DEFAULT-VALUE}).")
  String logLevel = "info";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The options as the store takes them; throws with a message naming the bad option. */
  KvStoreOptions options() {
    HostPortConverter hostPort = new HostPortConverter();
    List<Peer> list = new ArrayList<>();
    for (Map.Entry<String, String> e : peers.entrySet()) {
      InetSocketAddress address;
      try {
        address = hostPort.convert(e.getValue());
      } catch (CommandLine.TypeConversionException ex) {
        throw new IllegalArgumentException("--peers " + e.getKey() + ": " + ex.getMessage(), ex);
      }
      list.add(new Peer(e.getKey(), address));
    }
    return new KvStoreOptions(
        node,
        listen,
        list,
        Mode.parse(mode),
        data,
        requestTimeout,
        antiEntropyInterval,
        !noFsync,
        2);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!LogLevels.isLevel(logLevel)) {
      err.println("--log-level: unknown level \"" + logLevel + "\"");
      return Outrigger.EXIT_CONFIG;
    }
    LogLevels.setAll(logLevel);
    KvStoreOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("kvstore: " + e.getMessage());
      return Outrigger.EXIT_CONFIG;
    }
    KvStore store;
    try {
      store = KvStore.start(options, new Random());
    } catch (IOException e) {
      err.println("start failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    InetSocketAddress a = store.address();
    spec.commandLine()
        .getOut()
        .printf(
            "kvstore %s (%s) on http://%s:%d%n",
            options.node(), options.mode().label(), a.getAddress().getHostAddress(), a.getPort());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTerminate(stopped::countDown);
    stopped.await();
    store.close();
    return 0;
  }
}
