package io.outrigger.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The command's logging, set up in code rather than from a {@code logback.xml}: logback's XML
 * configurator loads about 400 classes (its model, the JDK's SAX parser) for a configuration that
 * never changes, which costs a sidecar start-up time and metaspace (docs/benchmarks.md). Found by
 * logback through {@code META-INF/services}.
 *
 * <p>Logs go to stderr, as a sidecar's should; stdout stays free for command output. Event loops
 * log through a bounded queue and never wait on the console: when the queue is full, lines are
 * dropped rather than the data path blocked. {@code io.netty} logs from WARN, the rest from INFO
 * ({@code --log-level} and the admin's {@code /logging} change that at run time).
 *
 * <p>{@code -Dlogback.configurationFile=FILE} still wins: this configurator then steps aside.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24}: %msg%n";
  static final int QUEUE_SIZE = 8192;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();

    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(stderr);
    async.start();

    context.getLogger("io.netty").setLevel(Level.WARN);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
