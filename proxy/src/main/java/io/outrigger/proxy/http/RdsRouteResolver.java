package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.proxy.http.route.RouteDecision;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The routes of one connection manager that uses {@code rds}: the table built from the current
 * version of its route configuration, behind a volatile reference that {@link RouteConfigProvider}
 * swaps. Each request reads it once ({@link HttpStream} keeps the decision), so in-flight requests
 * finish on the table they started with and the next request, even on the same connection, sees the
 * new one.
 *
 * <p>Before the first version arrives the listener is warming and takes no connections; should a
 * request get here anyway it finds no route (404 {@code NR}).
 */
public final class RdsRouteResolver implements RouteResolver {
  private final RouteConfigProvider provider;
  private final String routeConfigName;
  private final Function<RouteConfig, RouteResolver> tables;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Set<Runnable> changeListeners = ConcurrentHashMap.newKeySet();
  private volatile RouteResolver current;

  RdsRouteResolver(
      RouteConfigProvider provider,
      String routeConfigName,
      Function<RouteConfig, RouteResolver> tables) {
    this.provider = provider;
    this.routeConfigName = routeConfigName;
    this.tables = tables;
  }

  @Override
  public RouteDecision resolve(HttpRequest request, String scheme, String remoteAddress) {
    RouteResolver table = current;
    return table == null
        ? new RouteDecision.NoRoute()
        : table.resolve(request, scheme, remoteAddress);
  }

  /** Streams that follow the routes (a partition cutting open streams) hear of each new table. */
  @Override
  public Runnable onChange(Runnable listener) {
    changeListeners.add(listener);
    return () -> changeListeners.remove(listener);
  }

  public String routeConfigName() {
    return routeConfigName;
  }

  /** Completes when the first version of the route configuration is installed. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * Stops following updates (the listener version that owns it was replaced or removed); the
   * connections still open on it keep the last table.
   */
  public void close() {
    provider.unsubscribe(this);
  }

  Function<RouteConfig, RouteResolver> tables() {
    return tables;
  }

  void install(RouteResolver table) {
    current = table;
    ready.complete(null);
    for (Runnable listener : changeListeners) {
      listener.run();
    }
  }
}
