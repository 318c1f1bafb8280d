package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the store: its storage, its HTTP server, and, by mode, the ABD coordinator, the
 * hinted replicator and anti-entropy. {@link #start} returns once the server is bound; {@link
 * #close} stops serving, then closes the storage (which flushes its log).
 *
 * <p>Threads: {@code kvstore-io-NODE-N} event loops serve clients and call peers and never block;
 * {@code kvstore-storage-NODE} owns the data and does the file I/O.
 */
public final class KvStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KvStore.class);

  /**
   * Internal calls may carry a whole anti-entropy bucket; a public PUT over 1 MiB is refused with
   * 413 once read (a larger request gets the aggregator's plain 413 and a closed connection).
   */
  private static final int MAX_REQUEST_BYTES = 16 << 20;

  private final KvStoreOptions options;
  private final EventLoopGroup group;
  private final Storage storage;
  private final PeerClient client;
  private final HintedReplicator replicator;
  private final AntiEntropy antiEntropy;
  private final Channel server;

  private KvStore(KvStoreOptions options, Storage storage, RandomGenerator random)
      throws IOException {
    this.options = options;
    this.storage = storage;
    this.group =
        new MultiThreadIoEventLoopGroup(
            options.ioThreads(),
            new DefaultThreadFactory("kvstore-io-" + options.node(), true),
            NioIoHandler.newFactory());
    int connectTimeout = (int) Math.max(1, options.requestTimeout().toMillis());
    this.client = new PeerClient(options.node(), group, connectTimeout);
    AbdCoordinator abd = null;
    HintedReplicator hinted = null;
    if (options.mode().quorumWrites()) {
      List<Replica> members = new ArrayList<>();
      members.add(new LocalReplica(options.node(), storage));
      options.peers().forEach(p -> members.add(new RemoteReplica(p, client)));
      abd = new AbdCoordinator(members, storage, options.majority(), group);
    } else {
      hinted =
          new HintedReplicator(options.peers(), client, group, options.requestTimeout(), random);
    }
    this.replicator = hinted;
    this.antiEntropy =
        new AntiEntropy(
            storage,
            options.peers(),
            client,
            group.next(),
            options.antiEntropyInterval(),
            options.requestTimeout());
    PublicApi publicApi =
        new PublicApi(
            options.node(), options.mode(), storage, abd, hinted, options.requestTimeout());
    InternalApi internalApi = new InternalApi(options.node(), storage);
    this.server = bind(() -> new KvHttpHandler(options.node(), publicApi, internalApi));
    antiEntropy.start();
  }

  /**
   * Opens the storage (replaying {@code dataDir}), binds the server and starts the background work.
   *
   * @param random the jitter of replication retries (seed it in tests)
   * @throws IOException if the data folder cannot be used or the address cannot be bound
   */
  public static KvStore start(KvStoreOptions options, RandomGenerator random) throws IOException {
    requireNonNull(options, "options");
    requireNonNull(random, "random");
    Storage storage =
        options.dataDir() == null
            ? Storage.inMemory(options.node())
            : Storage.open(options.node(), options.dataDir(), options.fsync());
    try {
      KvStore store = new KvStore(options, storage, random);
      log.info(
          "kvstore {} ({}) on http://{}:{}, peers {}",
          options.node(),
          options.mode().label(),
          store.address().getHostString(),
          store.address().getPort(),
          options.peers());
      return store;
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  private Channel bind(Supplier<KvHttpHandler> handlers) throws IOException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                            new FlowControlHandler(),
                            handlers.get());
                  }
                });
    try {
      return b.bind(options.listen()).sync().channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException("cannot listen on " + options.listen() + ": " + e.getMessage(), e);
    }
  }

  /** Where the HTTP API is served (the bound port when the options asked for port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  public KvStoreOptions options() {
    return options;
  }

  @Override
  public void close() throws IOException {
    antiEntropy.close();
    if (replicator != null) {
      replicator.close();
    }
    server.close().syncUninterruptibly();
    client.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    storage.close();
  }
}
