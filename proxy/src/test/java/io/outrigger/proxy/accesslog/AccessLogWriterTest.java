package io.outrigger.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.accesslog.AccessLogSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessLogWriterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** A sink that blocks its first write until released, then keeps what it gets. */
  private static final class BlockedSink extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch blocked = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      blocked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (written) {
        written.write(b, off, len);
      }
    }

    String text() {
      synchronized (written) {
        return written.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void dropsAndCountsLinesWhenTheQueueIsFullWithoutBlockingTheCaller() throws Exception {
    BlockedSink sink = new BlockedSink();
    Counter dropped = registry.counter("dropped");
    AccessLogWriter writer = new AccessLogWriter("blocked", sink, true, dropped, 4);

    writer.offer("first\n");
    assertThat(sink.blocked.await(5, TimeUnit.SECONDS)).isTrue(); // the writer thread is stuck
    long start = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < 1000; i++) {
      if (writer.offer("line " + i + "\n")) {
        accepted++;
      }
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(accepted).isEqualTo(4);
    assertThat(writer.droppedLines()).isEqualTo(996);
    assertThat(tookMillis).as("offer never waits for the sink").isLessThan(2_000);

    sink.release.countDown();
    writer.close();
    assertThat(sink.text()).isEqualTo("first\nline 0\nline 1\nline 2\nline 3\n");
  }

  @Test
  void countsTheLinesOfABatchWhoseWriteFails() {
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    AccessLogWriter writer = new AccessLogWriter("full", full, true, registry.counter("d"), 16);

    writer.offer("a\n");
    writer.offer("b\n");

    await().atMost(Duration.ofSeconds(5)).until(() -> writer.droppedLines() == 2);
    writer.close();
  }

  @Test
  void appendsToAFileSharedByEveryLogOfThePathAndCountsDropsByPath(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("access.log");
    Files.writeString(file, "old\n");
    AccessLogWriters writers = new AccessLogWriters(registry);
    AccessLogWriter a = writers.open(new AccessLogSink.File(file.toString()));
    AccessLogWriter b = writers.open(new AccessLogSink.File(file.toString()));

    assertThat(b).isSameAs(a);
    a.offer("one\n");
    b.offer("two\n");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.readString(file).equals("old\none\ntwo\n"));
    writers.close();
    assertThat(a.offer("late\n")).isFalse();
    assertThat(registry.get("access_log_dropped").tag("path", file.toString()).counter().count())
        .isEqualTo(1);
  }

  @Test
  void aFileThatCannotBeOpenedIsAnErrorNamingIt(@TempDir Path dir) {
    String path = dir.resolve("missing/dir/access.log").toString();
    try (AccessLogWriters writers = new AccessLogWriters(registry)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> writers.open(new AccessLogSink.File(path)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("access log \"" + path + "\": cannot open: ");
    }
  }
}
