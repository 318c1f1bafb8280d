package io.outrigger.controlplane;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a control plane runs.
 *
 * @param resources the resource folder
 * @param xdsAddress where ADS is served; default 127.0.0.1:18000
 * @param httpAddress where the HTTP API is served; default 127.0.0.1:18001
 * @param debounce how long the folder must be quiet before it is read again; default 200 ms
 * @param pollInterval how often the folder is also compared by file sizes and times, for file
 *     systems whose change events do not arrive; default 1 s
 * @param ackTimeout how long a make-before-break step waits for the group's ACKs; default 5 s
 * @param clock the time of registrations, stamps and status
 * @param env the variables {@code ${VAR}} in resource files may name
 * @param ca the mesh CA's folder ({@code outrigger certs init}); when given, every proxy is served
 *     its secrets {@code default} and {@code ROOTCA} over SDS; default none
 * @param workloadTtl how long the certificates issued with {@code ca} are valid; re-issued at half
 *     of it; default 24h
 * @param access TLS on ADS and the tokens callers must present; default {@link AccessOptions#OPEN}
 */
public record ControlPlaneOptions(
    Path resources,
    InetSocketAddress xdsAddress,
    InetSocketAddress httpAddress,
    Duration debounce,
    Duration pollInterval,
    Duration ackTimeout,
    Clock clock,
    Map<String, String> env,
    Optional<Path> ca,
    Duration workloadTtl,
    AccessOptions access) {
  public static final InetSocketAddress DEFAULT_XDS_ADDRESS =
      new InetSocketAddress("127.0.0.1", 18000);
  public static final InetSocketAddress DEFAULT_HTTP_ADDRESS =
      new InetSocketAddress("127.0.0.1", 18001);

  public ControlPlaneOptions {
    requireNonNull(resources, "resources");
    requireNonNull(xdsAddress, "xdsAddress");
    requireNonNull(httpAddress, "httpAddress");
    requireNonNull(debounce, "debounce");
    requireNonNull(pollInterval, "pollInterval");
    requireNonNull(ackTimeout, "ackTimeout");
    requireNonNull(clock, "clock");
    env = Map.copyOf(requireNonNull(env, "env"));
    requireNonNull(ca, "ca");
    requireNonNull(workloadTtl, "workloadTtl");
    requireNonNull(access, "access");
    if (access.xdsTls() && ca.isEmpty()) {
      throw new IllegalArgumentException(
          "xdsTls: the xDS server certificate comes from the mesh CA (expected: ca set)");
    }
    if (workloadTtl.isNegative() || workloadTtl.isZero()) {
      throw new IllegalArgumentException("workloadTtl: " + workloadTtl + " (expected: > 0)");
    }
  }

  /** Without a mesh CA: no secrets are served. */
  public ControlPlaneOptions(
      Path resources,
      InetSocketAddress xdsAddress,
      InetSocketAddress httpAddress,
      Duration debounce,
      Duration pollInterval,
      Duration ackTimeout,
      Clock clock,
      Map<String, String> env) {
    this(
        resources,
        xdsAddress,
        httpAddress,
        debounce,
        pollInterval,
        ackTimeout,
        clock,
        env,
        Optional.empty(),
        DEFAULT_WORKLOAD_TTL,
        AccessOptions.OPEN);
  }

  /** The workload certificates' TTL unless told otherwise. */
  public static final Duration DEFAULT_WORKLOAD_TTL = Duration.ofHours(24);

  /** With a mesh CA whose certificates are valid for {@code ttl}. */
  public ControlPlaneOptions withCa(Path caDir, Duration ttl) {
    return new ControlPlaneOptions(
        resources,
        xdsAddress,
        httpAddress,
        debounce,
        pollInterval,
        ackTimeout,
        clock,
        env,
        Optional.of(caDir),
        ttl,
        access);
  }

  /** The defaults for a folder, with the process environment. */
  public static ControlPlaneOptions defaults(Path resources) {
    return new ControlPlaneOptions(
        resources,
        DEFAULT_XDS_ADDRESS,
        DEFAULT_HTTP_ADDRESS,
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Clock.systemUTC(),
        System.getenv());
  }

  public ControlPlaneOptions withAddresses(InetSocketAddress xds, InetSocketAddress http) {
    return new ControlPlaneOptions(
        resources,
        xds,
        http,
        debounce,
        pollInterval,
        ackTimeout,
        clock,
        env,
        ca,
        workloadTtl,
        access);
  }

  public ControlPlaneOptions withClock(Clock newClock) {
    return new ControlPlaneOptions(
        resources,
        xdsAddress,
        httpAddress,
        debounce,
        pollInterval,
        ackTimeout,
        newClock,
        env,
        ca,
        workloadTtl,
        access);
  }

  /** With {@code newAccess}. */
  public ControlPlaneOptions withAccess(AccessOptions newAccess) {
    return new ControlPlaneOptions(
        resources,
        xdsAddress,
        httpAddress,
        debounce,
        pollInterval,
        ackTimeout,
        clock,
        env,
        ca,
        workloadTtl,
        newAccess);
  }
}
