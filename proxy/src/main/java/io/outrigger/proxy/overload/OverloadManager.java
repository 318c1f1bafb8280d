package io.outrigger.proxy.overload;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outrigger.api.model.overload.FixedHeapMonitorConfig;
import io.outrigger.api.model.overload.OverloadAction;
import io.outrigger.api.model.overload.OverloadActionConfig;
import io.outrigger.api.model.overload.OverloadManagerConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * Envoy's overload manager: reads the memory pressure on a timer ({@code refresh_interval}),
 * decides each configured action's state from its triggers, and publishes them for the data path,
 * which reads them on every event loop without a lock. It also keeps the count of open downstream
 * connections for {@code global_downstream_max_connections}, checked when each one is accepted.
 *
 * <p>Gauges: {@code overload_resource_pressure{resource}} (percent) and {@code
 * overload_action_active{action}} (1 when saturated) and {@code overload_action_scale_percent};
 * counters {@code overload_rejected_requests_total} and {@code
 * overload_rejected_connections_total{reason}}.
 */
public final class OverloadManager implements AutoCloseable {
  /** No overload manager configured: nothing is ever shed. */
  public static final OverloadManager NONE = new OverloadManager();

  private final Map<OverloadAction, OverloadActionConfig> actions =
      new EnumMap<>(OverloadAction.class);
  private final DoubleSupplier pressure;
  private final long maxConnections;
  private final AtomicLong connections = new AtomicLong();
  private final List<Consumer<Boolean>> acceptingListeners = new CopyOnWriteArrayList<>();
  private final Duration refreshInterval;
  private final Counter rejectedRequests;
  private final Counter rejectedByAction;
  private final Counter rejectedByLimit;
  private final AtomicLong pressurePercent = new AtomicLong();
  private final Map<OverloadAction, AtomicLong> scalePercent = new EnumMap<>(OverloadAction.class);
  private volatile State state = State.NORMAL;
  private ScheduledExecutorService timer;

  /** The actions' states at the last refresh. */
  private record State(
      boolean stopAcceptingRequests,
      double disableKeepAlive,
      boolean stopAcceptingConnections,
      boolean rejectConnections) {
    static final State NORMAL = new State(false, 0, false, false);
  }

  private OverloadManager() {
    this.pressure = () -> 0;
    this.maxConnections = Long.MAX_VALUE;
    this.refreshInterval = OverloadManagerConfig.DEFAULT_REFRESH_INTERVAL;
    this.rejectedRequests = null;
    this.rejectedByAction = null;
    this.rejectedByLimit = null;
  }

  /** The overload manager of {@code config}, reading the JVM's memory. */
  public static OverloadManager create(OverloadManagerConfig config, MeterRegistry registry) {
    DoubleSupplier memory =
        config
            .heap()
            .map(h -> (DoubleSupplier) new MemoryPressure(h.maxHeapSizeBytes()))
            .orElse(() -> 0);
    return new OverloadManager(config, memory, registry);
  }

  /**
   * @param pressure the {@code fixed_heap} monitor's reading, called on the refresh thread
   */
  OverloadManager(OverloadManagerConfig config, DoubleSupplier pressure, MeterRegistry registry) {
    requireNonNull(config, "config");
    this.pressure = requireNonNull(pressure, "pressure");
    this.maxConnections = config.maxActiveDownstreamConnections().orElse(Long.MAX_VALUE);
    this.refreshInterval = config.refreshInterval();
    config.actions().forEach(a -> actions.put(a.action(), a));
    rejectedRequests =
        Counter.builder("overload_rejected_requests")
            .description("Requests answered 503 by envoy.overload_actions.stop_accepting_requests")
            .register(registry);
    rejectedByAction =
        rejectedConnections(registry, "envoy.overload_actions.reject_incoming_connections");
    rejectedByLimit =
        rejectedConnections(registry, "envoy.resource_monitors.global_downstream_max_connections");
    if (config.heap().isPresent()) {
      Gauge.builder("overload_resource_pressure", pressurePercent, AtomicLong::get)
          .description("The resource monitor's pressure, in percent")
          .tag("resource", FixedHeapMonitorConfig.NAME)
          .register(registry);
    }
    Gauge.builder("overload_downstream_connections", connections, AtomicLong::get)
        .description("Open downstream connections, every listener together")
        .register(registry);
    for (OverloadAction a : actions.keySet()) {
      AtomicLong percent = new AtomicLong();
      scalePercent.put(a, percent);
      Gauge.builder("overload_action_scale_percent", percent, AtomicLong::get)
          .description("The overload action's state, in percent (100: saturated)")
          .tag("action", a.envoyName())
          .register(registry);
      Gauge.builder("overload_action_active", percent, p -> p.get() >= 100 ? 1 : 0)
          .description("1 while the overload action is saturated")
          .tag("action", a.envoyName())
          .register(registry);
    }
  }

  private static Counter rejectedConnections(MeterRegistry registry, String reason) {
    return Counter.builder("overload_rejected_connections")
        .description("Downstream connections closed at accept by the overload manager")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Reads the monitors once, then every {@code refresh_interval} on a thread of its own (never an
   * event loop: turning the listeners off and on takes the listener manager's lock).
   */
  public synchronized void start() {
    if (this == NONE || timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outrigger-overload");
              t.setDaemon(true);
              return t;
            });
    long ms = refreshInterval.toMillis();
    timer.scheduleAtFixedRate(this::refresh, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Reads the pressure once and decides every action; the timer calls it, tests may too. */
  void refresh() {
    double p = pressure.getAsDouble();
    pressurePercent.set(Math.round(p * 100));
    State old = state;
    State next =
        new State(
            saturated(OverloadAction.STOP_ACCEPTING_REQUESTS, p),
            stateOf(OverloadAction.DISABLE_HTTP_KEEPALIVE, p),
            saturated(OverloadAction.STOP_ACCEPTING_CONNECTIONS, p),
            saturated(OverloadAction.REJECT_INCOMING_CONNECTIONS, p));
    state = next;
    if (old.stopAcceptingConnections() != next.stopAcceptingConnections()) {
      boolean accepting = !next.stopAcceptingConnections();
      acceptingListeners.forEach(l -> l.accept(accepting));
    }
  }

  private double stateOf(OverloadAction action, double p) {
    OverloadActionConfig config = actions.get(action);
    double s = config == null ? 0 : config.state(p);
    AtomicLong percent = scalePercent.get(action);
    if (percent != null) {
      percent.set(Math.round(s * 100));
    }
    return s;
  }

  private boolean saturated(OverloadAction action, double p) {
    return stateOf(action, p) >= 1;
  }

  // ---- read by the data path, on any event loop ----

  /**
   * Whether a new HTTP request must be answered 503 now ({@code stop_accepting_requests}); counts
   * it when so.
   */
  public boolean rejectRequest() {
    if (!state.stopAcceptingRequests()) {
      return false;
    }
    rejectedRequests.increment();
    return true;
  }

  /**
   * Whether this response closes its connection ({@code disable_http_keepalive}): always when
   * saturated, with the action's scaled value as probability below.
   */
  public boolean disableKeepAlive(RandomGenerator random) {
    double s = state.disableKeepAlive();
    return s >= 1 || (s > 0 && random.nextDouble() < s);
  }

  /**
   * A downstream connection was accepted: true if it may proceed (and is counted until {@link
   * #connectionClosed}); false if it must be closed at once ({@code reject_incoming_connections},
   * or {@code global_downstream_max_connections} open already).
   */
  public boolean admitConnection() {
    if (this == NONE) {
      return true;
    }
    if (state.rejectConnections()) {
      rejectedByAction.increment();
      return false;
    }
    while (true) {
      long n = connections.get();
      if (n >= maxConnections) {
        rejectedByLimit.increment();
        return false;
      }
      if (connections.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** A connection that {@link #admitConnection} let in closed. */
  public void connectionClosed() {
    if (this != NONE) {
      connections.decrementAndGet();
    }
  }

  /**
   * Tells {@code listener} whether the listeners should accept, each time {@code
   * stop_accepting_connections} turns on ({@code false}) or off ({@code true}); called on the
   * refresh thread.
   */
  public void onAcceptingChange(Consumer<Boolean> listener) {
    acceptingListeners.add(listener);
  }

  /** False while {@code stop_accepting_connections} is saturated. */
  public boolean acceptingConnections() {
    return !state.stopAcceptingConnections();
  }

  /** The count of open downstream connections, for tests and the admin. */
  public long openConnections() {
    return connections.get();
  }

  /** The configured limit on open downstream connections, if any. */
  public Optional<Long> maxConnections() {
    return maxConnections == Long.MAX_VALUE ? Optional.empty() : Optional.of(maxConnections);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
