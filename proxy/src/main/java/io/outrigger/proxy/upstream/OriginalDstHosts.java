package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.util.NetUtil;
import io.outrigger.api.model.LbConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * The hosts of an {@code ORIGINAL_DST} cluster: one {@link Host} per original destination, made on
 * first use and kept, with its counters and connection pools, while connections keep coming. A host
 * not chosen for {@code cleanup_interval} is removed (Envoy's cleanup timer), and so is the least
 * recently used one past {@link #MAX_HOSTS}; each removal is told to the cluster's host-set
 * listeners, which drain the host's pools.
 *
 * <p>A bounded Caffeine cache holds them, read by the event loops without locks; its clock is the
 * cluster's {@link Scheduler} (a manual one in tests), and its maintenance, removals included, runs
 * on the scheduler's thread, swept every {@code cleanup_interval}.
 */
public final class OriginalDstHosts implements AutoCloseable {
  /** At most this many destinations are kept; Envoy has no bound. */
  public static final long MAX_HOSTS = 16_384;

  private final Cache<InetSocketAddress, Host> hosts;
  private final Scheduler scheduler;
  private final long intervalNanos;
  private volatile Scheduler.Cancellable sweep;
  private volatile boolean closed;

  /**
   * @param config the cluster's {@code cleanup_interval}
   * @param removed told about each host removed, on the scheduler's thread
   */
  public OriginalDstHosts(
      LbConfig.OriginalDst config, Scheduler scheduler, Consumer<Host> removed) {
    requireNonNull(config, "config");
    requireNonNull(removed, "removed");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.intervalNanos = config.cleanupInterval().toNanos();
    this.hosts =
        Caffeine.newBuilder()
            .expireAfterAccess(config.cleanupInterval())
            .maximumSize(MAX_HOSTS)
            .ticker(scheduler::nanoTime)
            .executor(scheduler)
            .removalListener(
                (InetSocketAddress a, Host h, RemovalCause cause) -> {
                  if (h != null) {
                    removed.accept(h);
                  }
                })
            .build();
  }

  /** Starts sweeping expired hosts every {@code cleanup_interval}. */
  public void start() {
    sweep = scheduler.schedule(this::sweep, intervalNanos);
  }

  private void sweep() {
    if (closed) {
      return;
    }
    hosts.cleanUp();
    sweep = scheduler.schedule(this::sweep, intervalNanos);
  }

  /**
   * The host for {@code destination}, made on first use; {@code null} when there is no destination
   * (the connection was not redirected and the request named none).
   */
  public Host host(InetSocketAddress destination) {
    if (destination == null || destination.isUnresolved()) {
      return null;
    }
    return hosts.get(destination, d -> new Host(d, d.getAddress().getHostAddress(), 1));
  }

  /** How many hosts are kept now. */
  public long size() {
    return hosts.estimatedSize();
  }

  /** Removes expired hosts now (the sweep's work). */
  public void cleanUp() {
    hosts.cleanUp();
  }

  /**
   * An {@code ip:port} or {@code [ipv6]:port} header value as a destination; {@code null} when it
   * is not one. Never resolves a name.
   */
  public static InetSocketAddress parseHostHeader(String value) {
    if (value == null) {
      return null;
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      return null;
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (ip == null || port < 1 || port > 65535) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable s = sweep;
    if (s != null) {
      s.cancel();
    }
    hosts.invalidateAll();
  }
}
