package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.proxy.http.route.RouteDecision;

/**
 * Routes a request. Built once per route configuration; called on an event loop for every request,
 * so it must not block or lock.
 */
@FunctionalInterface
public interface RouteResolver {
  /**
   * @param request the request as received (after hop-by-hop removal, before rewrites)
   * @param scheme {@code http} or {@code https}
   * @param remoteAddress the downstream peer's IP, for source-IP hashing
   */
  RouteDecision resolve(HttpRequest request, String scheme, String remoteAddress);

  /**
   * Runs {@code listener} each time this resolver's routes change, on the thread that changes them
   * (the discovery client's), after the new routes are in place; it must only hand work to an event
   * loop. Routes built once never change: the default never calls it.
   *
   * @return a handle that stops the calls; safe to run more than once
   */
  default Runnable onChange(Runnable listener) {
    return () -> {};
  }
}
