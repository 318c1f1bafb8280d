package io.outrigger.api.model.http;

/**
 * What a matched route does ({@code Route.action}): forward to a cluster, answer directly, or
 * redirect.
 */
public sealed interface RouteAction permits ClusterRoute, DirectResponseRoute, RedirectRoute {}
