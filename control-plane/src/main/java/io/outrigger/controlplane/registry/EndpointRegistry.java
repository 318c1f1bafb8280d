package io.outrigger.controlplane.registry;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Service instances registered over the HTTP API, each with a heartbeat TTL. Registered instances
 * are hosts of their EDS service; one that misses its heartbeats past its TTL is removed by {@link
 * #expire()}, which the control plane calls on a timer. Thread-safe; time comes from the injected
 * clock.
 */
public final class EndpointRegistry {
  /** The TTL when a registration gives none. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  private static final Duration MIN_TTL = Duration.ofSeconds(1);
  private static final Duration MAX_TTL = Duration.ofHours(24);
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private final Clock clock;
  private final Map<Registration.Key, Registration> registrations = new LinkedHashMap<>();

  public EndpointRegistry(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /** What {@link #register} did. */
  public record Result(Registration registration, boolean created) {}

  /**
   * Registers an instance, or renews it (a heartbeat) when the same cluster, address and port are
   * registered; the metadata and TTL given last win.
   *
   * @throws IllegalArgumentException naming the field, for a bad value
   */
  public synchronized Result register(
      String cluster, String address, int port, Map<String, String> metadata, Duration ttl) {
    requireValid(cluster, address, port, ttl);
    Instant now = clock.instant();
    Registration.Key key = new Registration.Key(cluster, address, port);
    Registration previous = registrations.get(key);
    Registration next =
        new Registration(
            cluster,
            address,
            port,
            metadata,
            ttl,
            previous == null ? now : previous.registeredAt(),
            now.plus(ttl));
    registrations.put(key, next);
    return new Result(next, previous == null);
  }

  /** Removes a registration; false when there was none. */
  public synchronized boolean deregister(Registration.Key key) {
    return registrations.remove(key) != null;
  }

  /** Removes every registration whose TTL ran out; true when one was removed. */
  public synchronized boolean expire() {
    Instant now = clock.instant();
    return registrations.values().removeIf(r -> !r.expiresAt().isAfter(now));
  }

  /** The earliest expiry, to schedule the next {@link #expire()}. */
  public synchronized Optional<Instant> nextExpiry() {
    return registrations.values().stream()
        .map(Registration::expiresAt)
        .min(Comparator.naturalOrder());
  }

  /** Every registration, in the order they were first made. */
  public synchronized List<Registration> all() {
    return new ArrayList<>(registrations.values());
  }

  private static void requireValid(String cluster, String address, int port, Duration ttl) {
    if (cluster == null || cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster: required (expected: an EDS service name)");
    }
    if (address == null || !isIpLiteral(address)) {
      throw new IllegalArgumentException(
          "address: \"" + address + "\" (expected: an IPv4 or IPv6 literal)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: 1s..24h)");
    }
  }

  private static boolean isIpLiteral(String address) {
    if (IPV4.matcher(address).matches()) {
      return true;
    }
    if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
      return false;
    }
    try {
      // A string with a colon is parsed as an IPv6 literal; no name is looked up.
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
