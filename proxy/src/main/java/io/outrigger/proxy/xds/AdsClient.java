package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's discovery client: xDS v3 state of the world over one aggregated gRPC stream (ADS).
 *
 * <p>On every (re)connect it sends one request per type it is interested in: CDS and LDS as
 * wildcards at once, EDS/RDS/SDS once {@link #want} gave names; each with {@code node} and the last
 * accepted version. Every response is unpacked and handed whole to the {@link XdsUpdateHandler};
 * accepted, it is ACKed (its version and nonce); refused, it is NACKed (the last accepted version,
 * its nonce, {@code error_detail} INVALID_ARGUMENT with the handler's message) and nothing else
 * changes. A failed or completed stream is opened again after a jittered exponential back-off
 * ({@link Backoff}), reset once the new stream delivers a response; meanwhile the last good
 * configuration serves.
 *
 * <p>Threading: every stream event, {@code want()} and every handler call run on one thread of the
 * client's own, {@code outrigger-xds}, in order. gRPC's transport thread only posts to it. {@link
 * #status()}, {@link #initialFetch()} and {@link #close()} may be called from any thread.
 */
public final class AdsClient implements XdsUpdateHandler.Subscriptions, AutoCloseable {
  static final String THREAD_NAME = "outrigger-xds";

  /** The largest discovery response accepted: 64 MiB. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdsClient.class);

  private final AdsClientConfig config;
  private final XdsUpdateHandler handler;
  private final ScheduledExecutorService executor;
  private final ManagedChannel channel;
  private final AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub;
  private final Node node;
  private final Backoff backoff;
  private final XdsClientStats stats;
  private final InitialFetch initialFetch;
  // The fields below are touched on the executor thread only, except the volatile ones.
  private final Map<XdsResourceType, SubscriptionState> states =
      new EnumMap<>(XdsResourceType.class);
  private final Map<XdsResourceType, TypeStatus> statusByType =
      new EnumMap<>(XdsResourceType.class);
  private volatile Map<XdsResourceType, TypeStatus> published;
  private Stream stream;
  private volatile String controlPlane = "";
  private boolean channelReady;
  private volatile boolean closed;

  private AdsClient(AdsClientConfig config, XdsUpdateHandler handler, MeterRegistry registry) {
    this.config = requireNonNull(config, "config");
    this.handler = requireNonNull(handler, "handler");
    ScheduledThreadPoolExecutor thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });
    // close() drops the pending timers (reconnect, initial fetch timeout), runs what is queued.
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = thread;
    // gRPC's 4 MiB default is short of a large state of the world; Envoy sets no limit.
    this.channel =
        AdsChannel.build(config, MAX_RESPONSE_BYTES, address -> submit(() -> answeredBy(address)));
    this.stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    this.node =
        Node.newBuilder()
            .setId(config.node().id())
            .setCluster(config.node().cluster())
            .setUserAgentName("outrigger")
            .build();
    this.backoff = new Backoff(config.backoffBase(), config.backoffMax(), config.random());
    this.stats = new XdsClientStats(requireNonNull(registry, "registry"));
    this.initialFetch = new InitialFetch(config.wildcardTypes());
    for (XdsResourceType type : XdsResourceType.values()) {
      states.put(type, new SubscriptionState(type, config.wildcardTypes().contains(type)));
      statusByType.put(type, TypeStatus.NONE);
    }
    this.published = Collections.unmodifiableMap(new EnumMap<>(statusByType));
  }

  /**
   * Starts the client: it connects at once, on its own thread.
   *
   * @param handler receives every response, on the client's thread
   * @param registry where the {@code control_plane_connected_state} and {@code xds_*} meters go
   */
  public static AdsClient start(
      AdsClientConfig config, XdsUpdateHandler handler, MeterRegistry registry) {
    AdsClient client = new AdsClient(config, handler, registry);
    client.submit(client::begin);
    return client;
  }

  /** What the data plane calls to subscribe to EDS/RDS/SDS names: this client. */
  public XdsUpdateHandler.Subscriptions subscriptions() {
    return this;
  }

  /**
   * Replaces the names wanted of a non-wildcard type; a changed set is requested at once (with the
   * type's current version and last nonce). Any thread, including the handler's call: it is queued
   * on the client's thread. An empty set stops asking; SotW has no way to unsubscribe from the last
   * name without becoming a wildcard, so the control plane may keep sending the old names.
   */
  @Override
  public void want(XdsResourceType type, Set<String> names) {
    requireNonNull(type, "type");
    if (type.wildcard()) {
      throw new IllegalArgumentException(type + " is a wildcard type: every resource is sent");
    }
    Set<String> copy = Set.copyOf(requireNonNull(names, "names"));
    submit(() -> onWant(type, copy));
  }

  /**
   * Completes once CDS and LDS (those subscribed) have each had an accepted response and every
   * EDS/RDS/SDS name wanted by then has come, or when the initial fetch timeout fires (then with a
   * warning in the log: the sidecar goes ready on what it has, as Envoy does). Never fails.
   */
  public CompletableFuture<Void> initialFetch() {
    return initialFetch.future();
  }

  /** Every type's last accepted version, update time and NACK error; a consistent snapshot. */
  public Map<XdsResourceType, TypeStatus> status() {
    return published;
  }

  /** Cancels the stream and stops the channel and the client's thread. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    submit(this::cancelStream);
    executor.shutdown();
    channel.shutdownNow();
    if (Thread.currentThread().getName().equals(THREAD_NAME)) {
      return;
    }
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void begin() {
    Duration timeout = config.initialFetchTimeout();
    if (!timeout.isZero()) {
      executor.schedule(this::initialFetchTimedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    initialFetch.check();
    watchChannel(channel.getState(false));
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    Stream s = new Stream();
    stream = s;
    states.values().forEach(SubscriptionState::newStream);
    stub.streamAggregatedResources(s);
    for (SubscriptionState state : states.values()) {
      if (state.interested()) {
        send(state, Optional.empty());
      }
    }
    updateConnected();
  }

  private void onResponse(Stream from, DiscoveryResponse response) {
    if (from != stream) {
      return;
    }
    if (!from.responded) {
      from.responded = true;
      backoff.reset();
      updateConnected();
    }
    Optional<XdsResourceType> known = XdsResources.typeOf(response.getTypeUrl());
    if (known.isEmpty()) {
      log.warn("ignoring a discovery response of unknown type {}", response.getTypeUrl());
    } else {
      handle(known.get(), response);
    }
    // One response at a time, as grpc-java's xDS client: the next is read once this one is done,
    // so a slow handler holds the control plane back instead of filling a queue.
    from.requests.request(1);
  }

  private void handle(XdsResourceType type, DiscoveryResponse response) {
    SubscriptionState state = states.get(type);
    state.received(response.getNonce());
    if (!state.interested()) {
      // Names no longer wanted (SotW cannot unsubscribe the last one): nothing to apply, and an
      // ACK with no names would ask for every resource of the type.
      log.debug(
          "ignoring {} version {}: no names wanted", type.shortName(), response.getVersionInfo());
      return;
    }
    stats.attempt(type);
    String version = response.getVersionInfo();
    Map<String, Message> resources = Map.of();
    Optional<String> error;
    try {
      resources = XdsResources.decode(type, response.getResourcesList());
      error = requireNonNull(handler.onResources(type, version, resources), "handler verdict");
    } catch (XdsResources.InvalidResourcesException e) {
      error = Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      log.error("the handler failed on {} version {}", type.shortName(), version, e);
      error = Optional.of("internal error applying " + type.shortName() + ": " + e);
    }
    Instant now = config.clock().instant();
    if (error.isEmpty()) {
      state.accepted(version);
      stats.success(type, version);
      publish(type, statusByType.get(type).accepted(version, now));
      initialFetch.accepted(type, resources.keySet());
    } else {
      log.warn("rejected {} version {}: {}", type.shortName(), version, error.get());
      stats.rejected(type);
      publish(type, statusByType.get(type).rejected(error.get(), now));
      initialFetch.rejected(type);
    }
    send(state, error);
    // After the want() calls the handler queued, so that names it learned are awaited first.
    submit(initialFetch::check);
  }

  private void onStreamClosed(Stream from, Status status) {
    if (from != stream) {
      return;
    }
    stream = null;
    updateConnected();
    if (closed) {
      return;
    }
    Duration delay = backoff.next();
    log.warn(
        "discovery stream to {} closed ({}); reconnecting in {} ms",
        config.target(),
        status,
        delay.toMillis());
    executor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onWant(XdsResourceType type, Set<String> names) {
    SubscriptionState state = states.get(type);
    if (!state.want(names)) {
      return;
    }
    initialFetch.wanted(type, names);
    if (stream != null && state.interested()) {
      send(state, Optional.empty());
    }
  }

  private void send(SubscriptionState state, Optional<String> error) {
    stream.requests.onNext(state.request(node, error));
  }

  private void initialFetchTimedOut() {
    String pending = initialFetch.timeout();
    if (!pending.isEmpty()) {
      log.warn(
          "initial fetch timeout ({}) passed still waiting for {}; going on with what has come",
          config.initialFetchTimeout(),
          pending);
    }
  }

  private void cancelStream() {
    if (stream != null) {
      stream.requests.cancel("discovery client closed", null);
      stream = null;
    }
    updateConnected();
  }

  private void watchChannel(ConnectivityState last) {
    if (closed) {
      return;
    }
    channel.notifyWhenStateChanged(
        last,
        () ->
            submit(
                () -> {
                  ConnectivityState now = channel.getState(false);
                  channelReady = now == ConnectivityState.READY;
                  updateConnected();
                  watchChannel(now);
                }));
  }

  /**
   * Connected means a stream is open and known to reach the control plane: its channel is READY or
   * it has delivered a response.
   */
  /** The control plane endpoint that answers the stream now: logged when it changes, counted. */
  private void answeredBy(java.net.SocketAddress address) {
    String endpoint = address.toString();
    if (!endpoint.equals(controlPlane)) {
      log.info("discovery stream to {} answered by {}", config.target(), endpoint);
      controlPlane = endpoint;
      stats.endpoint(endpoint);
    }
  }

  /** The control plane endpoint that answered the stream last; empty before any did. */
  public String controlPlaneEndpoint() {
    return controlPlane;
  }

  private void updateConnected() {
    stats.connected(!closed && stream != null && (channelReady || stream.responded));
  }

  private void publish(XdsResourceType type, TypeStatus status) {
    statusByType.put(type, status);
    published = Collections.unmodifiableMap(new EnumMap<>(statusByType));
  }

  private void submit(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Closed: events of the cancelled stream have nowhere to go and nothing to change.
    }
  }

  /** One attempt at the stream; events of a stream that is no longer current are dropped. */
  private final class Stream
      implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    private ClientCallStreamObserver<DiscoveryRequest> requests;
    private boolean responded;

    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
      this.requests = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      submit(() -> onResponse(this, response));
    }

    @Override
    public void onError(Throwable t) {
      submit(() -> onStreamClosed(this, Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
      submit(() -> onStreamClosed(this, Status.OK.withDescription("completed by the server")));
    }
  }
}
