package io.outrigger.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.outrigger.proxy.http.route.RouteDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The route watches of one stream ({@code HttpFilterCallbacks.watchPerRouteConfig}): each runs on
 * the stream's event loop after the connection manager's routes changed, with the filter's
 * per-route config for the stream's request in the new routes. All stop when the stream completes.
 *
 * <p>Created and used on the stream's event loop; the route resolver calls back from the discovery
 * thread, and the call only hands work to the loop.
 */
final class RouteWatches {
  private final RouteResolver routes;
  private final EventExecutor loop;
  private final Supplier<RouteDecision> newRoute;
  private final List<Runnable> handles = new ArrayList<>(1);

  /**
   * @param newRoute the request's route in the current routes, on the loop; null once the stream is
   *     done (a change that was already on its way then reaches nobody)
   */
  RouteWatches(RouteResolver routes, EventExecutor loop, Supplier<RouteDecision> newRoute) {
    this.routes = routes;
    this.loop = loop;
    this.newRoute = newRoute;
  }

  <T> Runnable add(String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    Runnable stop =
        routes.onChange(
            () ->
                loop.execute(
                    () -> {
                      RouteDecision route = newRoute.get();
                      if (route != null) {
                        watcher.accept(route.perFilterConfigs().get(filterName, type));
                      }
                    }));
    handles.add(stop);
    return stop;
  }

  void stopAll() {
    for (Runnable stop : handles) {
      stop.run();
    }
    handles.clear();
  }
}
