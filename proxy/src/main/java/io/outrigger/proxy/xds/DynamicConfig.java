package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.outrigger.api.model.ClusterLoadAssignmentConfig;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.validation.Anys;
import io.outrigger.api.validation.ClusterLoadAssignmentTranslator;
import io.outrigger.api.validation.ClusterTranslator;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.api.validation.ListenerTranslator;
import io.outrigger.api.validation.RouteConfigTranslator;
import io.outrigger.api.validation.SecretTranslator;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.listener.ListenerManager;
import io.outrigger.proxy.tls.SecretManager;
import io.outrigger.proxy.upstream.ClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's dynamic configuration: what the discovery client hands every xDS response to. Each
 * response is translated whole with the same translators as a static bootstrap; one refusal refuses
 * the response (the client NACKs with the message, which names the resource and the field) and
 * nothing changes. Otherwise it is applied: clusters to {@link ClusterManager} (with warming),
 * endpoints to the EDS clusters, listeners to {@link ListenerManager} (swapped in place when their
 * address is unchanged), route configurations to {@link RouteConfigProvider}, secrets to the {@link
 * SecretManager} (whose TLS contexts build with them before anything swaps). What {@code
 * /config_dump} shows of a secret has its private key redacted.
 *
 * <p>As in Envoy, references are not checked across types: a route or {@code tcp_proxy} naming a
 * cluster that does not exist is accepted and answers 503 {@code NC} (or closes the connection) at
 * request time, because the control plane may send the cluster later; an EDS cluster warms until
 * its assignment arrives; a listener that uses {@code rds} warms until its route configuration
 * arrives. EDS and RDS are not wildcard types: a name absent from a response keeps its last
 * version.
 *
 * <p>Threading: {@link #onResources} is called on the discovery client's thread, one call at a
 * time, never on an event loop; applying may wait for a listener to bind. The data path never calls
 * this class: it reads only the volatile immutable snapshots the managers publish. The status
 * accessors may be called from any thread (the admin server).
 */
public final class DynamicConfig implements XdsUpdateHandler {
  private static final Logger log = LoggerFactory.getLogger(DynamicConfig.class);

  private final ClusterManager clusters;
  private final ListenerManager listeners;
  private final RouteConfigProvider routes;
  private final SecretManager secrets;
  private final DeferredSubscriptions subscriptions = new DeferredSubscriptions();
  private final Duration initTimeout;
  private final XdsStatus status;
  private final CompletableFuture<Void> initialized = new CompletableFuture<>();
  private boolean clustersApplied;
  private boolean listenersApplied;
  private boolean initStarted;

  @FunctionalInterface
  private interface Translator<T extends Message, R> {
    R translate(T proto) throws ConfigException;
  }

  /**
   * A configuration whose discovery client is attached later ({@link #attach}); the names wanted
   * before are sent then.
   *
   * @param clusters the cluster manager, built with a {@code retired} callback that drains pools
   * @param listeners the listener manager, built with {@code routes}
   * @param routes where RDS route configurations go
   * @param clock for the status' update times
   * @param initTimeout how long {@link #initialized()} waits for warming clusters and listeners
   *     once clusters and listeners were applied
   */
  public DynamicConfig(
      ClusterManager clusters,
      ListenerManager listeners,
      RouteConfigProvider routes,
      Clock clock,
      Duration initTimeout) {
    this(clusters, listeners, routes, new SecretManager(Map.of()), clock, initTimeout);
  }

  /**
   * As above, with the secret manager of the sidecar's TLS: SDS updates go there, and the secret
   * names its TLS contexts use are subscribed to.
   */
  public DynamicConfig(
      ClusterManager clusters,
      ListenerManager listeners,
      RouteConfigProvider routes,
      SecretManager secrets,
      Clock clock,
      Duration initTimeout) {
    this.secrets = requireNonNull(secrets, "secrets");
    this.clusters = requireNonNull(clusters, "clusters");
    this.listeners = requireNonNull(listeners, "listeners");
    this.routes = requireNonNull(routes, "routes");
    this.initTimeout = requireNonNull(initTimeout, "initTimeout");
    this.status = new XdsStatus(requireNonNull(clock, "clock"));
  }

  /** With a secret manager, and the discovery client's subscriptions attached at once. */
  public DynamicConfig(
      ClusterManager clusters,
      ListenerManager listeners,
      RouteConfigProvider routes,
      SecretManager secrets,
      Subscriptions subscriptions,
      Clock clock,
      Duration initTimeout) {
    this(clusters, listeners, routes, secrets, clock, initTimeout);
    attach(subscriptions);
  }

  /** As above, with the discovery client's subscriptions attached at once. */
  public DynamicConfig(
      ClusterManager clusters,
      ListenerManager listeners,
      RouteConfigProvider routes,
      Subscriptions subscriptions,
      Clock clock,
      Duration initTimeout) {
    this(clusters, listeners, routes, clock, initTimeout);
    attach(subscriptions);
  }

  /**
   * Tells {@code client} (the discovery client) the EDS service names and route configuration names
   * the configuration needs, now and whenever they change. Once only.
   */
  public void attach(Subscriptions client) {
    subscriptions.attach(client);
  }

  @Override
  public Optional<String> onResources(
      XdsResourceType type, String version, Map<String, ? extends Message> resources) {
    requireNonNull(type, "type");
    requireNonNull(version, "version");
    try {
      for (Map.Entry<String, ? extends Message> e : resources.entrySet()) {
        // Not getDescriptorForType(): it builds the generated type's reflection table (Anys).
        if (!Anys.descriptor(e.getValue().getClass()).equals(type.descriptor())) {
          return Optional.of(
              type.shortName() + " resource \"" + e.getKey() + "\": not a " + type.typeUrl());
        }
      }
      switch (type) {
        case CLUSTER -> applyClusters(resources);
        case ENDPOINT -> applyEndpoints(resources);
        case LISTENER -> applyListeners(resources);
        case ROUTE ->
            routes.update(
                translate(
                    "route configuration", resources, RouteConfiguration::getName, this::route));
        case SECRET -> secrets.apply(translate("secret", resources, Secret::getName, this::secret));
      }
    } catch (ConfigException | IllegalArgumentException | ListenerManager.BindException e) {
      log.warn("{} version {} refused: {}", type.shortName(), version, e.getMessage());
      return Optional.of(e.getMessage());
    }
    status.applied(
        type,
        version,
        type == XdsResourceType.SECRET ? SecretRedaction.redact(resources) : resources);
    log.info("{} version {} applied: {} resource(s)", type.shortName(), version, resources.size());
    maybeInitialize();
    return Optional.empty();
  }

  /**
   * Completes once clusters and listeners were each applied once and every cluster and listener
   * that warmed then is warm (or {@code initTimeout} has passed): when the sidecar may turn ready.
   */
  public CompletableFuture<Void> initialized() {
    return initialized;
  }

  /** What is in force for {@code type}, for {@code /config_dump}. */
  public XdsStatus.TypeResources status(XdsResourceType type) {
    return status.of(type);
  }

  /** Every type's status, in {@link XdsResourceType} order. */
  public Map<XdsResourceType, XdsStatus.TypeResources> status() {
    Map<XdsResourceType, XdsStatus.TypeResources> out = new EnumMap<>(XdsResourceType.class);
    for (XdsResourceType t : XdsResourceType.values()) {
      out.put(t, status.of(t));
    }
    return out;
  }

  private void applyClusters(Map<String, ? extends Message> resources) throws ConfigException {
    Map<String, DiscoveredCluster> next =
        translate(
            "cluster",
            resources,
            Cluster::getName,
            (Cluster c) -> ClusterTranslator.translateResource(c, ""));
    clusters.applyClusters(next);
    clustersApplied = true;
    subscriptions.want(XdsResourceType.ENDPOINT, clusters.edsServiceNames());
    subscriptions.want(XdsResourceType.SECRET, secrets.adsNames());
  }

  private void applyEndpoints(Map<String, ? extends Message> resources) throws ConfigException {
    Map<String, ClusterLoadAssignmentConfig> next =
        translate(
            "cluster load assignment",
            resources,
            ClusterLoadAssignment::getClusterName,
            (ClusterLoadAssignment c) -> ClusterLoadAssignmentTranslator.translate(c, ""));
    next.forEach((name, cla) -> clusters.applyEndpoints(name, cla.endpoints()));
  }

  private void applyListeners(Map<String, ? extends Message> resources)
      throws ConfigException, ListenerManager.BindException {
    Map<String, ListenerConfig> next =
        translate(
            "listener",
            resources,
            Listener::getName,
            (Listener l) -> ListenerTranslator.translate(l, ""));
    listeners.applyListeners(new ArrayList<>(next.values()));
    listenersApplied = true;
    subscriptions.want(XdsResourceType.ROUTE, rdsNames(next.values()));
    subscriptions.want(XdsResourceType.SECRET, secrets.adsNames());
  }

  private SecretConfig secret(Secret proto) throws ConfigException {
    return SecretTranslator.translate(proto, "");
  }

  private RouteConfig route(RouteConfiguration proto) throws ConfigException {
    if (proto.getName().isEmpty()) {
      throw ConfigException.at("name", "required (expected: the name listeners give in rds)");
    }
    return RouteConfigTranslator.translate(proto, "");
  }

  /**
   * Translates every resource, in name order; a refusal names the resource ({@code cluster "a":
   * connect_timeout: …}).
   */
  @SuppressWarnings("unchecked")
  private static <T extends Message, R> Map<String, R> translate(
      String kind,
      Map<String, ? extends Message> resources,
      Function<T, String> nameOf,
      Translator<T, R> translator)
      throws ConfigException {
    Map<String, R> out = new TreeMap<>();
    for (Map.Entry<String, ? extends Message> e : new TreeMap<>(resources).entrySet()) {
      try {
        T proto = (T) e.getValue();
        String name = nameOf.apply(proto);
        if (!name.isEmpty() && !name.equals(e.getKey())) {
          throw ConfigException.at(
              kind.equals("cluster load assignment") ? "cluster_name" : "name",
              "\"" + name + "\" (expected: the resource's name \"" + e.getKey() + "\")");
        }
        out.put(e.getKey(), translator.translate(proto));
      } catch (ConfigException ex) {
        throw ex.withSource(kind + " \"" + e.getKey() + "\"");
      }
    }
    return out;
  }

  private static Set<String> rdsNames(Iterable<ListenerConfig> listeners) {
    Set<String> out = new TreeSet<>();
    for (ListenerConfig l : listeners) {
      for (NetworkFilterConfig f :
          l.allFilterChains().stream().flatMap(c -> c.filters().stream()).toList()) {
        if (f instanceof HttpConnectionManagerConfig hcm
            && hcm.routeSource() instanceof RouteSource.Rds rds) {
          out.add(rds.routeConfigName());
        }
      }
    }
    return out;
  }

  private void maybeInitialize() {
    if (initStarted || !clustersApplied || !listenersApplied) {
      return;
    }
    initStarted = true;
    CompletableFuture.allOf(clusters.warmed(), listeners.warmed())
        .completeOnTimeout(null, initTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> initialized.complete(null));
  }
}
