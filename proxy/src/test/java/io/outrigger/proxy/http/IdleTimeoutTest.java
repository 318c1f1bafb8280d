package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** common_http_protocol_options.idle_timeout, in the embedded loop's frozen time. */
class IdleTimeoutTest {
  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new IdleTimeout(TimeUnit.MILLISECONDS.toNanos(100)));
    return ch;
  }

  private static void advance(EmbeddedChannel ch, long ms) {
    ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void closesAConnectionThatStaysIdle() {
    EmbeddedChannel ch = channel();
    advance(ch, 99);
    assertThat(ch.isOpen()).isTrue();
    advance(ch, 1);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aReadOrAWriteStartsTheIdleTimeAgain() {
    EmbeddedChannel ch = channel();
    advance(ch, 80);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    advance(ch, 80);
    ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
    advance(ch, 80);
    assertThat(ch.isOpen()).isTrue();
    advance(ch, 20);
    assertThat(ch.isOpen()).isFalse();
    assertThat(ch.finishAndReleaseAll()).isTrue();
  }

  @Test
  void aClosedConnectionLeavesNoTimer() {
    EmbeddedChannel ch = channel();
    ch.close();
    assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1);
  }
}
