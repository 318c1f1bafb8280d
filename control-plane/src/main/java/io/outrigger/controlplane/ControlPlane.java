package io.outrigger.controlplane;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.certs.MeshCa;
import io.outrigger.certs.SpiffeId;
import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.config.ResourceFileLoader;
import io.outrigger.controlplane.auth.AuthRefusals;
import io.outrigger.controlplane.auth.Tokens;
import io.outrigger.controlplane.faults.FaultJournal;
import io.outrigger.controlplane.faults.FaultRegistry;
import io.outrigger.controlplane.faults.FaultRewriter;
import io.outrigger.controlplane.faults.FaultState;
import io.outrigger.controlplane.faults.FaultStatus;
import io.outrigger.controlplane.http.ControlPlaneHttpServer;
import io.outrigger.controlplane.registry.EndpointRegistry;
import io.outrigger.controlplane.resources.FolderContents;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceEdit;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import io.outrigger.controlplane.secrets.NodeSecrets;
import io.outrigger.controlplane.xds.NodeGroups;
import io.outrigger.controlplane.xds.SnapshotPublisher;
import io.outrigger.controlplane.xds.SyncTracker;
import io.outrigger.controlplane.xds.XdsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: reads the resource folder, validates it whole, publishes a snapshot per node
 * group over ADS, watches the folder, takes endpoint registrations, and answers the HTTP API.
 *
 * <p>Every change of what is served goes through one lock: a folder read, an API write, a
 * registration. A refused folder keeps the last good snapshots and shows the error in {@link
 * #configStatus()} and the log.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  private static final Duration EXPIRY_TICK = Duration.ofSeconds(1);

  private final ControlPlaneOptions options;
  private final ResourceFolder folder;
  private final EndpointRegistry registry;
  private final NodeGroups groups = new NodeGroups();
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SyncTracker tracker;
  private final SnapshotPublisher publisher;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "outrigger-cp-timer");
            t.setDaemon(true);
            return t;
          });
  private final XdsServer xds;
  private final ControlPlaneHttpServer http;
  private final FolderWatcher watcher;
  private final FaultRegistry faults;
  private final Optional<NodeSecrets> secrets;
  private final Optional<Tokens> tokens;
  private final AuthRefusals refusals = new AuthRefusals(meters);
  private FolderContents lastGood;
  private Map<String, GroupSnapshot> targets = Map.of();
  private volatile ConfigStatus configStatus;

  private ControlPlane(ControlPlaneOptions options) throws IOException, ConfigException {
    this.options = options;
    this.folder = new ResourceFolder(options.resources(), options.env());
    this.registry = new EndpointRegistry(options.clock());
    this.tracker = new SyncTracker(options.clock(), groups, meters);
    SimpleCache<String> cache = new SimpleCache<>(groups);
    this.publisher = new SnapshotPublisher(cache, tracker, options.clock(), options.ackTimeout());
    this.tokens = tokens(options.access());
    Optional<MeshCa> ca = meshCa(options);
    this.secrets = ca.map(c -> nodeSecrets(c, options, tokens));
    FaultJournal journal = new FaultJournal(options.resources());
    this.faults = new FaultRegistry(journal.load(), journal::save);
    FolderContents initial = folder.load();
    publish(initial, SnapshotBuilder.build(initial, List.of(), true));
    XdsServer.Security security =
        new XdsServer.Security(
            options.access().xdsTls()
                ? ca.map(c -> serverCertificate(c, options))
                : Optional.empty(),
            tokens,
            refusals);
    this.xds = XdsServer.start(options.xdsAddress(), cache, groups, tracker, secrets, security);
    this.http = ControlPlaneHttpServer.start(options.httpAddress(), this, tokens, refusals);
    this.watcher =
        new FolderWatcher(
            options.resources(),
            options.debounce(),
            options.pollInterval(),
            scheduler,
            this::reload);
    scheduler.scheduleWithFixedDelay(
        this::expireRegistrations,
        EXPIRY_TICK.toMillis(),
        EXPIRY_TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    // Tokens first: a revocation read on this tick already stops the renewals below.
    tokens.ifPresent(
        t ->
            scheduler.scheduleWithFixedDelay(
                () -> {
                  if (t.reload()) {
                    xds.closeRevoked();
                  }
                },
                EXPIRY_TICK.toMillis(),
                EXPIRY_TICK.toMillis(),
                TimeUnit.MILLISECONDS));
    secrets.ifPresent(
        s ->
            scheduler.scheduleWithFixedDelay(
                s::rotateDue,
                EXPIRY_TICK.toMillis(),
                EXPIRY_TICK.toMillis(),
                TimeUnit.MILLISECONDS));
  }

  private static Optional<Tokens> tokens(AccessOptions access) throws IOException {
    if (access.tokens().isEmpty()) {
      log.warn("auth: no token file: anyone who reaches ADS or the HTTP API is served (insecure)");
      return Optional.empty();
    }
    try {
      Tokens t = Tokens.load(access.tokens().get());
      log.info("auth: callers need a token of {}", t.file());
      return Optional.of(t);
    } catch (IllegalArgumentException e) {
      throw new IOException("token file refused: " + e.getMessage(), e);
    }
  }

  /** The mesh CA of {@code --ca}, loaded with the control plane's clock. */
  private static Optional<MeshCa> meshCa(ControlPlaneOptions options) throws IOException {
    return options.ca().isEmpty()
        ? Optional.empty()
        : Optional.of(MeshCa.load(options.ca().get(), options.clock(), new SecureRandom()));
  }

  private static NodeSecrets nodeSecrets(
      MeshCa ca, ControlPlaneOptions options, Optional<Tokens> tokens) {
    if (tokens.isEmpty()) {
      log.warn(
          "sds: serving secrets {} (with its private key) and {} issued by the CA of trust domain"
              + " {} (workload TTL {}), to anyone",
          NodeSecrets.CERTIFICATE,
          NodeSecrets.ROOT_CA,
          ca.trustDomain(),
          options.workloadTtl());
    } else {
      log.info(
          "ca: signing CSRs of node tokens for trust domain {} (workload TTL {}); sds: serving {}",
          ca.trustDomain(),
          options.workloadTtl(),
          NodeSecrets.ROOT_CA);
    }
    // With tokens, a sidecar proves who it is and sends a CSR: keys never cross the network.
    return new NodeSecrets(ca, options.workloadTtl(), options.clock(), tokens.isEmpty());
  }

  /**
   * The xDS server's certificate: {@code spiffe://DOMAIN/ns/outrigger-system/sa/control-plane},
   * with {@code localhost}, {@code 127.0.0.1} and the configured host names as SANs; valid for
   * {@link #SERVER_CERTIFICATE_TTL} (or the CA's remaining life), issued at every start.
   */
  private static WorkloadCertificate serverCertificate(MeshCa ca, ControlPlaneOptions options) {
    List<String> hosts = new java.util.ArrayList<>(List.of("localhost", "127.0.0.1"));
    options.access().xdsHostNames().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
    WorkloadCertificate c =
        ca.issue(
            new SpiffeId(ca.trustDomain(), AccessOptions.CONTROL_PLANE_ID_PATH),
            SERVER_CERTIFICATE_TTL,
            hosts);
    // Issued before the server binds: "control plane: ADS on ..." says when it serves.
    log.info("xds: TLS server certificate issued to {} (hosts {})", c.id(), hosts);
    return c;
  }

  /** How long the xDS server certificate issued at start is valid. */
  static final Duration SERVER_CERTIFICATE_TTL = Duration.ofDays(90);

  /**
   * Reads the folder, publishes it, and starts serving.
   *
   * @throws ConfigException when the folder is refused at start: there is no last good snapshot to
   *     keep
   * @throws IOException when an address cannot be bound
   */
  public static ControlPlane start(ControlPlaneOptions options)
      throws IOException, ConfigException {
    return new ControlPlane(requireNonNull(options, "options"));
  }

  /** Reads the folder again; a refusal keeps what is published and is shown in the status. */
  public synchronized void reload() {
    try {
      FolderContents contents = folder.load();
      publish(contents, SnapshotBuilder.build(contents, registry.all(), true));
    } catch (ConfigException e) {
      configStatus =
          new ConfigStatus(Optional.of(e), options.clock().instant(), configStatus.lastGood());
      log.error("resource folder refused, the last good snapshot stays: {}", e.getMessage());
    }
  }

  /**
   * Adds or replaces resources (a resource file's text) and writes them back to the folder.
   *
   * @param group the node group they are for; empty for every group
   * @return the files written
   * @throws ConfigException when the body or the folder it would make is refused; nothing is
   *     written then
   */
  public synchronized List<Path> put(String yaml, Optional<String> group)
      throws ConfigException, IOException {
    List<Message> resources =
        ResourceFileLoader.load(yaml, "request body", options.env()).resources();
    ResourceEdit edit = new ResourceEdit(folder, lastGood);
    resources.forEach(r -> edit.put(r, group));
    return apply(edit);
  }

  /**
   * Removes a resource from every file that holds it.
   *
   * @return the files written; empty when no file holds it
   * @throws ConfigException when the folder without it is refused (something still uses it)
   */
  public synchronized Optional<List<Path>> delete(ResourceType type, String name)
      throws ConfigException, IOException {
    ResourceEdit edit = new ResourceEdit(folder, lastGood);
    if (!edit.delete(type, name)) {
      return Optional.empty();
    }
    return Optional.of(apply(edit));
  }

  private List<Path> apply(ResourceEdit edit) throws ConfigException, IOException {
    FolderContents result = edit.result(options.env());
    Map<String, GroupSnapshot> snapshots = SnapshotBuilder.build(result, registry.all(), true);
    Map<Path, String> texts = edit.texts();
    for (Map.Entry<Path, String> e : texts.entrySet()) {
      writeAtomically(e.getKey(), e.getValue());
    }
    publish(result, snapshots);
    return List.copyOf(texts.keySet());
  }

  /** Publishes again from the last good folder after registrations changed. */
  public synchronized void registrationsChanged() {
    try {
      publish(lastGood, SnapshotBuilder.build(lastGood, registry.all(), false));
    } catch (ConfigException e) {
      // Registrations only add hosts to a folder that was valid; this would be a bug.
      log.error("registrations refused: {}", e.getMessage());
    }
  }

  private void expireRegistrations() {
    if (registry.expire()) {
      registrationsChanged();
    }
  }

  /**
   * Changes the fault state and publishes every group again with it.
   *
   * @param change one of {@link FaultRegistry}'s transitions, given the known nodes
   * @throws IllegalArgumentException when the change is refused (an unknown node, say); nothing
   *     changes then
   */
  public synchronized FaultStatus changeFaults(
      java.util.function.BiFunction<FaultRegistry, Set<String>, FaultState> change) {
    change.apply(faults, knownNodes());
    registrationsChanged();
    return faultStatus();
  }

  /** The faults in force and, per known node, whether its proxies applied them. */
  public synchronized FaultStatus faultStatus() {
    return FaultStatus.of(faults.current(), knownNodes(), targets, tracker.proxies());
  }

  /**
   * The nodes a fault may name: the groups with a sub-folder and the {@code node.cluster} of every
   * proxy that connected since the control plane started.
   */
  public synchronized Set<String> knownNodes() {
    Set<String> out = new TreeSet<>(lastGood.groups());
    out.addAll(tracker.nodeClustersSeen());
    return out;
  }

  private void publish(FolderContents contents, Map<String, GroupSnapshot> built) {
    Map<String, GroupSnapshot> snapshots = FaultRewriter.apply(built, faults.current());
    lastGood = contents;
    Instant now = options.clock().instant();
    configStatus = new ConfigStatus(Optional.empty(), now, Optional.of(now));
    groups.setKnown(contents.groups());
    if (!snapshots.equals(targets)) {
      targets = Map.copyOf(snapshots);
      publisher.publish(snapshots);
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".outrigger-", ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The outcome of the last folder read. */
  public ConfigStatus configStatus() {
    return configStatus;
  }

  /** What each group converges to (the last step of make-before-break), by group. */
  public synchronized Map<String, GroupSnapshot> targets() {
    return targets;
  }

  /** The folder as last read without error. */
  public synchronized FolderContents folderContents() {
    return lastGood;
  }

  /** The resource folder. */
  public Path folderDir() {
    return folder.dir();
  }

  public EndpointRegistry registry() {
    return registry;
  }

  /** The per-node secrets, when the control plane runs with a mesh CA. */
  public Optional<NodeSecrets> secrets() {
    return secrets;
  }

  public SyncTracker tracker() {
    return tracker;
  }

  /** The refusals of callers without the right token. */
  public AuthRefusals refusals() {
    return refusals;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  public InetSocketAddress xdsAddress() {
    return xds.address();
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    scheduler.shutdownNow();
    http.close();
    xds.close();
    publisher.close();
  }
}
