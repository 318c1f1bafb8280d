package io.outrigger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class BufferAllocatorsTest {
  @Test
  void pooledWithOneMebibyteChunksUnlessAdaptiveIsAskedFor() {
    ByteBufAllocator byDefault = BufferAllocators.choose(null);
    assertThat(byDefault).isInstanceOf(PooledByteBufAllocator.class);
    assertThat(((PooledByteBufAllocator) byDefault).metric().chunkSize()).isEqualTo(1 << 20);
    assertThat(BufferAllocators.choose(" Pooled ")).isInstanceOf(PooledByteBufAllocator.class);
    assertThat(BufferAllocators.choose("adaptive")).isSameAs(ByteBufAllocator.DEFAULT);
    assertThat(BufferAllocators.sidecar()).isInstanceOf(PooledByteBufAllocator.class);
  }

  @Test
  void anUnknownAllocatorIsRefusedByName() {
    assertThatThrownBy(() -> BufferAllocators.choose("unpooled"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Doutrigger.allocator: unpooled (expected: pooled or adaptive)");
  }

  @Test
  void aPooledBufferIsDirectAndGoesBackToItsArena() {
    PooledByteBufAllocator pooled = (PooledByteBufAllocator) BufferAllocators.choose("pooled");
    ByteBuf buf = pooled.ioBuffer(2048);
    assertThat(buf.isDirect()).isTrue();
    buf.writeBytes(new byte[2048]);
    assertThat(buf.release()).isTrue();
    assertThat(pooled.metric().usedDirectMemory()).isEqualTo(1 << 20); // its chunk stays
  }
}
