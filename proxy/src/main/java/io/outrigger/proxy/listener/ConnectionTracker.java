package io.outrigger.proxy.listener;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The open downstream connections of the sidecar, so that a drain can wait for them and a stop can
 * close them. A closed channel leaves the group by itself.
 */
public final class ConnectionTracker {
  private final ChannelGroup channels =
      new DefaultChannelGroup("downstream", GlobalEventExecutor.INSTANCE);

  void add(Channel ch) {
    channels.add(ch);
  }

  public int size() {
    return channels.size();
  }

  public ChannelGroupFuture closeAll() {
    return channels.close();
  }
}
