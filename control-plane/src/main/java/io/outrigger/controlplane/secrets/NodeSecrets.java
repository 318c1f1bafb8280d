package io.outrigger.controlplane.secrets;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.outrigger.certs.MeshCa;
import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets the control plane serves each proxy when it runs with a mesh CA ({@code --ca}), by
 * node identity, with the names Istio uses: {@link #CERTIFICATE} ({@code tls_certificate}: a key
 * and a certificate for the node's {@link WorkloadIdentity}, issued here) and {@link #ROOT_CA}
 * ({@code validation_context.trusted_ca}: the CA certificate).
 *
 * <p>Secrets are per node while the other resources are per node group, so they live in a cache of
 * their own keyed by the node's identity and id ({@link #key}), so that a node id claimed under
 * another identity never reaches this one's secrets: a node group's snapshot and its versions stay
 * the same for every member, and each node's secrets change alone. A node's secrets are issued when
 * it first asks for a Secret, and issued again once half the workload TTL has passed ({@link
 * #rotateDue}, driven by the clock), each time as a new version.
 *
 * <p>Private keys are never logged. Threading: {@link #ensure} runs on gRPC threads, {@link
 * #rotateDue} on the control plane's timer; both synchronize on this object.
 */
public final class NodeSecrets {
  /** The certificate Secret's name, as Istio's. */
  public static final String CERTIFICATE = "default";

  /** The trusted-CA Secret's name, as Istio's. */
  public static final String ROOT_CA = "ROOTCA";

  /** The workload TTL unless told otherwise. */
  public static final Duration DEFAULT_TTL = MeshCa.DEFAULT_WORKLOAD_TTL;

  private static final Logger log = LoggerFactory.getLogger(NodeSecrets.class);

  private final MeshCa ca;
  private final Duration ttl;
  private final Clock clock;
  private final boolean keysOverSds;
  private final SimpleCache<String> cache = new SimpleCache<>(BY_NODE_ID);
  private final Map<String, Issued> nodes = new ConcurrentHashMap<>();
  private final java.util.Set<String> toClear = new java.util.HashSet<>();
  private long generation;

  /** The cache key of a node: {@link #key}. */
  public static final NodeGroup<String> BY_NODE_ID = NodeSecrets::key;

  /**
   * A node's key: its identity ({@link WorkloadIdentity#of}, which the discovery server checked
   * against the caller's token) and its id.
   */
  public static String key(Node node) {
    return WorkloadIdentity.of(node).map(i -> i.namespace() + "/" + i.serviceAccount()).orElse("-")
        + "|"
        + node.getId();
  }

  /** What a node was last served. */
  private record Issued(Node node, Optional<WorkloadCertificate> certificate, Instant renewAt) {}

  /**
   * @param ca the mesh CA ({@code outrigger certs init}); its trust domain names the SPIFFE IDs
   * @param ttl how long each workload certificate is valid; re-issued at half of it
   * @param clock when certificates are issued and due
   */
  public NodeSecrets(MeshCa ca, Duration ttl, Clock clock) {
    this(ca, ttl, clock, true);
  }

  /**
   * As above.
   *
   * @param keysOverSds whether {@link #CERTIFICATE} (a key and its certificate) is served over SDS;
   *     false when sidecars make their own keys and get them signed over {@code CertificateService}
   *     (the control plane runs with tokens): then only {@link #ROOT_CA} is served, and no private
   *     key crosses the network
   */
  public NodeSecrets(MeshCa ca, Duration ttl, Clock clock, boolean keysOverSds) {
    this.ca = requireNonNull(ca, "ca");
    this.ttl = requireNonNull(ttl, "ttl");
    this.clock = requireNonNull(clock, "clock");
    this.keysOverSds = keysOverSds;
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("workload_ttl: " + ttl + " (expected: > 0)");
    }
  }

  /** The per-node cache Secret requests are answered from. */
  public SimpleCache<String> cache() {
    return cache;
  }

  /** Issues {@code node}'s secrets unless it has them. */
  public synchronized void ensure(Node node) {
    String key = key(node);
    if (!nodes.containsKey(key)) {
      toClear.remove(key);
      issue(node);
    }
  }

  /**
   * {@code nodeId} has no stream left: its certificate is no longer renewed, and its secrets are
   * dropped from the cache once no watch holds them (on a later {@link #rotateDue} tick if a watch
   * is still being cancelled). A node that comes back gets new secrets.
   */
  public synchronized void forget(String nodeKey) {
    if (nodes.remove(nodeKey) != null) {
      toClear.add(nodeKey);
      clearForgotten();
      log.info("sds: node {} disconnected; its certificate is no longer renewed", nodeKey);
    }
  }

  /** The ids of the nodes whose secrets are kept and renewed (tests and the status). */
  public java.util.Set<String> nodes() {
    return nodes.values().stream().map(i -> i.node().getId()).collect(Collectors.toSet());
  }

  private void clearForgotten() {
    toClear.removeIf(cache::clearSnapshot);
  }

  /** Re-issues the certificates past half their TTL. Returns how many nodes got new secrets. */
  public synchronized int rotateDue() {
    clearForgotten();
    Instant now = clock.instant();
    int n = 0;
    for (Issued i : List.copyOf(nodes.values())) {
      if (i.certificate().isPresent() && !now.isBefore(i.renewAt())) {
        issue(i.node());
        n++;
      }
    }
    return n;
  }

  /** The CA that signs the workload certificates. */
  public MeshCa ca() {
    return ca;
  }

  /** How long workload certificates are valid. */
  public Duration ttl() {
    return ttl;
  }

  /** The certificate a node of id {@code nodeId} is served now, if any (tests and the status). */
  public Optional<WorkloadCertificate> certificate(String nodeId) {
    return nodes.values().stream()
        .filter(i -> i.node().getId().equals(nodeId))
        .findFirst()
        .flatMap(Issued::certificate);
  }

  private void issue(Node node) {
    Optional<WorkloadIdentity> identity =
        keysOverSds ? WorkloadIdentity.of(node) : Optional.empty();
    Optional<WorkloadCertificate> cert =
        identity.map(id -> ca.issue(id.spiffeId(ca.trustDomain()), ttl));
    List<Secret> secrets = new ArrayList<>();
    cert.ifPresent(c -> secrets.add(certificateSecret(c)));
    secrets.add(rootCa());
    Instant now = clock.instant();
    String key = key(node);
    nodes.put(key, new Issued(node, cert, now.plus(ttl.dividedBy(2))));
    String version = "g" + (++generation) + cert.map(c -> "-" + serial(c)).orElse("");
    cache.setSnapshot(
        key,
        Snapshot.create(
            List.of(), "", List.of(), "", List.of(), "", List.of(), "", secrets, version));
    if (cert.isPresent()) {
      log.info(
          "sds: node {} is {} (serial {}, valid until {})",
          node.getId(),
          cert.get().id(),
          serial(cert.get()),
          cert.get().certificate().getNotAfter().toInstant());
    } else if (!keysOverSds) {
      log.info(
          "sds: node {} is served {} only; its certificate comes by CSR", node.getId(), ROOT_CA);
    } else {
      log.warn(
          "sds: node {} gets no \"{}\" secret: no identity (expected: node metadata {} and {}, or"
              + " a node.cluster to use as service account in namespace {})",
          node.getId(),
          CERTIFICATE,
          WorkloadIdentity.NAMESPACE_KEY,
          WorkloadIdentity.SERVICE_ACCOUNT_KEY,
          WorkloadIdentity.DEFAULT_NAMESPACE);
    }
  }

  private static Secret certificateSecret(WorkloadCertificate c) {
    return Secret.newBuilder()
        .setName(CERTIFICATE)
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(inline(c.certificatePem()))
                .setPrivateKey(inline(c.privateKeyPem())))
        .build();
  }

  private Secret rootCa() {
    return Secret.newBuilder()
        .setName(ROOT_CA)
        .setValidationContext(
            CertificateValidationContext.newBuilder()
                .setTrustedCa(inline(io.outrigger.certs.Pem.certificate(ca.certificate()))))
        .build();
  }

  private static DataSource inline(String pem) {
    return DataSource.newBuilder().setInlineString(pem).build();
  }

  private static String serial(WorkloadCertificate c) {
    return c.certificate().getSerialNumber().toString(16);
  }
}
