package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS stream through java-control-plane's callbacks: what each proxy was sent, what
 * it acknowledged or refused (a NACK, with its {@code error_detail}), and how long each version
 * took from its publication to the ACK, recorded in the {@code xds_push_to_ack_seconds} histogram
 * (label {@code type}: CDS, EDS, LDS, RDS).
 *
 * <p>Called on gRPC's threads; thread-safe. An ACK is a request whose {@code response_nonce} is
 * that of the last response of its type and that has no {@code error_detail}; a NACK has one.
 */
public final class SyncTracker implements DiscoveryServerCallbacks {
  /** The histogram's name as Prometheus shows it is this with {@code _seconds}. */
  public static final String PUSH_TO_ACK = "xds_push_to_ack";

  private static final Logger log = LoggerFactory.getLogger(SyncTracker.class);
  private static final int STAMPS_KEPT = 256;

  private final Clock clock;
  private final NodeGroups groups;
  private final Map<ResourceType, Timer> pushToAck = new EnumMap<>(ResourceType.class);
  private final Map<Long, StreamState> streams = new ConcurrentHashMap<>();
  private final Map<String, GroupSnapshot> published = new ConcurrentHashMap<>();
  private final java.util.Set<String> clustersSeen = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> publishedAt =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
              return size() > STAMPS_KEPT;
            }
          });
  private volatile Runnable onAnswer = () -> {};

  public SyncTracker(Clock clock, NodeGroups groups, MeterRegistry meters) {
    this.clock = requireNonNull(clock, "clock");
    this.groups = requireNonNull(groups, "groups");
    for (ResourceType type : ResourceType.values()) {
      pushToAck.put(
          type,
          Timer.builder(PUSH_TO_ACK)
              .description("Time from a version's publication to its acknowledgement by a proxy")
              .tag("type", type.xds())
              .publishPercentiles(0.5, 0.99)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(30))
              .register(meters));
    }
  }

  /** Runs after every ACK or NACK, on the gRPC thread that got it; must not block. */
  public void onAnswer(Runnable listener) {
    onAnswer = requireNonNull(listener, "listener");
  }

  /** Stamps a publication: {@code snapshot} is now what {@code group} is served. */
  public void published(String group, GroupSnapshot snapshot) {
    Instant now = clock.instant();
    published.put(group, snapshot);
    snapshot
        .versions()
        .forEach((type, version) -> publishedAt.putIfAbsent(stamp(group, type, version), now));
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.put(streamId, new StreamState(clock.instant(), RemoteAddress.current()));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    streams.remove(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    streams.remove(streamId);
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    StreamState stream =
        streams.computeIfAbsent(streamId, id -> new StreamState(clock.instant(), ""));
    if (request.hasNode()) {
      stream.node(request.getNode().getId(), request.getNode().getCluster());
      if (!request.getNode().getCluster().isEmpty()) {
        clustersSeen.add(request.getNode().getCluster());
      }
    }
    Optional<ResourceType> type = ResourceType.byTypeUrl(request.getTypeUrl());
    if (type.isEmpty()) {
      return;
    }
    stream.requested(type.get(), request.getVersionInfo(), request.getResponseNonce());
    if (request.getResponseNonce().isEmpty()) {
      return;
    }
    Optional<String> error =
        request.hasErrorDetail()
            ? Optional.of(request.getErrorDetail().getMessage())
            : Optional.empty();
    answer(stream, type.get(), request.getResponseNonce(), error);
  }

  private void answer(StreamState stream, ResourceType type, String nonce, Optional<String> error) {
    Instant now = clock.instant();
    String group = groups.groupOf(stream.nodeCluster());
    String version = stream.sentVersion(type);
    Instant start = publishedAt.getOrDefault(stamp(group, type, version), stream.connectedSince());
    if (start.isBefore(stream.connectedSince())) {
      start = stream.connectedSince();
    }
    Duration elapsed = Duration.between(start, now);
    Optional<String> acked = stream.answered(type, nonce, error, elapsed);
    acked.ifPresent(v -> pushToAck.get(type).record(elapsed));
    error.ifPresent(
        e ->
            log.warn(
                "{} NACK of {} version {} by a proxy of group {}: {}",
                type.xds(),
                type,
                version,
                group,
                e));
    onAnswer.run();
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    // Delta xDS is not served yet; java-control-plane answers it, nothing is tracked.
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    StreamState stream = streams.get(streamId);
    Optional<ResourceType> type = ResourceType.byTypeUrl(response.getTypeUrl());
    if (stream != null && type.isPresent()) {
      stream.sent(type.get(), response.getVersionInfo(), response.getNonce());
    }
  }

  /** Whether every stream of {@code group} acknowledged (or refused) {@code snapshot}. */
  public boolean answered(String group, GroupSnapshot snapshot) {
    for (StreamState stream : streams.values()) {
      if (!groups.groupOf(stream.nodeCluster()).equals(group)) {
        continue;
      }
      for (ResourceType type : ResourceType.values()) {
        if (!stream.answered(type, snapshot.version(type))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The {@code node.cluster} of every proxy that ever connected since the control plane started
   * (the fault API's known nodes include them, connected or not).
   */
  public java.util.Set<String> nodeClustersSeen() {
    return java.util.Set.copyOf(clustersSeen);
  }

  /** Every connected proxy, oldest stream first. */
  public List<ProxyStatus> proxies() {
    List<ProxyStatus> out = new ArrayList<>();
    for (StreamState stream : streams.values()) {
      String group = groups.groupOf(stream.nodeCluster());
      GroupSnapshot snapshot = published.get(group);
      out.add(stream.status(group, snapshot == null ? Map.of() : snapshot.versions()));
    }
    out.sort(Comparator.comparing(ProxyStatus::connectedSince).thenComparing(ProxyStatus::nodeId));
    return out;
  }

  /** The histogram of one type, for the p50/p99 that {@code GET /v1/status} shows. */
  public Timer pushToAck(ResourceType type) {
    return pushToAck.get(type);
  }

  private static String stamp(String group, ResourceType type, String version) {
    return group + "\u0000" + type + "\u0000" + version;
  }
}
