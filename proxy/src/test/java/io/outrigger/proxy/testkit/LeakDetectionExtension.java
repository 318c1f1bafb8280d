package io.outrigger.proxy.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty reports a leaked buffer during it.
 *
 * <p>Registered for every test class through the service loader ({@code
 * junit.jupiter.extensions.autodetection.enabled}). Surefire runs with {@code
 * -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked; Netty reports a leak (a
 * {@code LEAK:} error from {@code ResourceLeakDetector}) when a tracked buffer was collected
 * without being released. After the class this collects garbage and allocates once more so that
 * pending reports are made, then fails if any were.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {
  private static final String LOGGER = ResourceLeakDetector.class.getName();

  private ListAppender<ILoggingEvent> appender;

  @Override
  public void beforeAll(ExtensionContext context) {
    appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(LOGGER)).addAppender(appender);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      probe.release();
    }
    ((Logger) LoggerFactory.getLogger(LOGGER)).detachAppender(appender);
    List<String> leaks =
        appender.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.contains("LEAK"))
            .collect(Collectors.toList());
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported " + leaks.size() + " leaked buffer(s):\n" + String.join("\n", leaks));
    }
  }
}
