package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The names the dynamic configuration wants, kept until the discovery client is attached and
 * forwarded after. It breaks the construction cycle between {@code AdsClient} (which needs its
 * handler) and {@link DynamicConfig} (which needs the client's {@link
 * XdsUpdateHandler.Subscriptions}): the client may deliver a response before it is attached.
 *
 * <p>Threading: any thread; synchronized, and calls the client's {@code want} under its lock, which
 * the client's contract allows (a quick update of its subscription state).
 */
final class DeferredSubscriptions implements XdsUpdateHandler.Subscriptions {
  private final Map<XdsResourceType, Set<String>> wanted = new EnumMap<>(XdsResourceType.class);
  private XdsUpdateHandler.Subscriptions target;

  /** Forwards every later change to {@code client}, after the sets wanted so far. */
  synchronized void attach(XdsUpdateHandler.Subscriptions client) {
    if (target != null) {
      throw new IllegalStateException("subscriptions already attached");
    }
    target = requireNonNull(client, "client");
    wanted.forEach(client::want);
  }

  @Override
  public synchronized void want(XdsResourceType type, Set<String> names) {
    Set<String> copy = Set.copyOf(names);
    if (copy.equals(wanted.put(type, copy))) {
      return;
    }
    if (target != null) {
      target.want(type, copy);
    }
  }
}
