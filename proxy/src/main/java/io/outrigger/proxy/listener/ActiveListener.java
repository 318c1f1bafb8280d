package io.outrigger.proxy.listener;

import io.netty.channel.Channel;
import io.outrigger.api.model.ListenerConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A bound listener: its config, the address it got (the real port when 0 was asked) and its server
 * channels (one per event loop with {@code SO_REUSEPORT}, one otherwise).
 */
public record ActiveListener(
    ListenerConfig config, InetSocketAddress boundAddress, List<Channel> serverChannels) {
  public ActiveListener {
    serverChannels = List.copyOf(serverChannels);
  }

  public String name() {
    return config.name();
  }
}
