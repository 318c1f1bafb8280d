package io.outrigger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {
  @Test
  void bootstrapsCarryTheTransportsChannelTypesAndTheSidecarsAllocator() throws Exception {
    EventLoopGroup group = Transport.NIO.newEventLoopGroup(1, "transport-test");
    try {
      EventLoop loop = group.next();
      Bootstrap client = Transport.NIO.bootstrap(loop);
      ServerBootstrap server = Transport.NIO.serverBootstrap();

      assertThat(client.config().options())
          .containsEntry(ChannelOption.ALLOCATOR, BufferAllocators.sidecar());
      assertThat(client.config().group()).isSameAs(loop);
      assertThat(server.config().options())
          .containsEntry(ChannelOption.ALLOCATOR, BufferAllocators.sidecar());
      assertThat(server.config().childOptions())
          .containsEntry(ChannelOption.ALLOCATOR, BufferAllocators.sidecar());
      // Each builds a channel of its transport's type (opened, so closed again).
      Channel c = client.config().channelFactory().newChannel();
      Channel s = server.config().channelFactory().newChannel();
      try {
        assertThat(c).isInstanceOf(NioSocketChannel.class);
        assertThat(s).isInstanceOf(NioServerSocketChannel.class);
      } finally {
        c.unsafe().closeForcibly();
        s.unsafe().closeForcibly();
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }
  }
}
