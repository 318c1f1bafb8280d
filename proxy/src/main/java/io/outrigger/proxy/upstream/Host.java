package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.outrigger.proxy.upstream.outlier.OutlierMonitor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream endpoint of a cluster, and the per-host state the data path writes.
 *
 * <p>A host outlives the snapshots that list it: when DNS re-resolves to the same address, the same
 * {@code Host} (with its counters) is kept. All counters are safe to update from any event loop.
 */
public final class Host {
  private final InetSocketAddress address;
  private final String hostname;
  private final String addressString; // the Host header and access logs ask for it per request
  private final int weight;
  private final AtomicLong cxActive = new AtomicLong();
  private final LongAdder cxTotal = new LongAdder();
  private final LongAdder cxConnectFail = new LongAdder();
  private final AtomicLong rqActive = new AtomicLong();
  private final LongAdder rqTotal = new LongAdder();
  private final AtomicInteger healthFlags = new AtomicInteger();
  private volatile OutlierMonitor outlier = OutlierMonitor.NOOP;

  /**
   * @param address the resolved address connections go to
   * @param hostname the name the address was resolved from, or the IP literal as written
   * @param weight load-balancing weight, at least 1
   */
  public Host(InetSocketAddress address, String hostname, int weight) {
    this.address = requireNonNull(address, "address");
    this.hostname = requireNonNull(hostname, "hostname");
    String ip = address.getAddress() != null ? address.getAddress().getHostAddress() : hostname;
    this.addressString = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
    this.weight = weight;
  }

  public InetSocketAddress address() {
    return address;
  }

  public String hostname() {
    return hostname;
  }

  public int weight() {
    return weight;
  }

  /** {@code ip:port}, as Envoy prints hosts. */
  public String addressString() {
    return addressString;
  }

  public void connectionOpened() {
    cxTotal.increment();
    cxActive.incrementAndGet();
  }

  public void connectionClosed() {
    cxActive.decrementAndGet();
  }

  public void connectFailed() {
    cxConnectFail.increment();
  }

  public void requestStarted() {
    rqTotal.increment();
    rqActive.incrementAndGet();
  }

  public void requestFinished() {
    rqActive.decrementAndGet();
  }

  /**
   * Where the data path reports each attempt's outcome for outlier detection: the host's monitor
   * when its cluster has {@code outlier_detection}, {@link OutlierMonitor#NOOP} otherwise. Safe to
   * call from any event loop; allocates nothing.
   */
  public OutlierMonitor outlier() {
    return outlier;
  }

  /** Attaches the cluster's per-host outlier monitor; called by the cluster's detector. */
  public void outlierMonitor(OutlierMonitor monitor) {
    this.outlier = requireNonNull(monitor, "monitor");
  }

  /** Whether no {@link HealthFlag} is set: the balancer may choose the host. */
  public boolean healthy() {
    return healthFlags.get() == 0;
  }

  public boolean healthFlag(HealthFlag flag) {
    return (healthFlags.get() & flag.bit()) != 0;
  }

  /**
   * Sets {@code flag}; returns whether it was clear before. Written by the cluster's detector and
   * health checker; the cluster's healthy snapshot changes only when they tell it to.
   */
  public boolean setHealthFlag(HealthFlag flag) {
    return (healthFlags.getAndUpdate(f -> f | flag.bit()) & flag.bit()) == 0;
  }

  /** Clears {@code flag}; returns whether it was set before. */
  public boolean clearHealthFlag(HealthFlag flag) {
    return (healthFlags.getAndUpdate(f -> f & ~flag.bit()) & flag.bit()) != 0;
  }

  public long activeConnections() {
    return cxActive.get();
  }

  public long totalConnections() {
    return cxTotal.sum();
  }

  public long connectFailures() {
    return cxConnectFail.sum();
  }

  public long activeRequests() {
    return rqActive.get();
  }

  public long totalRequests() {
    return rqTotal.sum();
  }

  @Override
  public String toString() {
    return addressString();
  }
}
