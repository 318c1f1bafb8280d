package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogbackConfiguratorTest {
  @Test
  void logsInfoAndNettyWarningsToStderrThroughANonBlockingQueue() {
    LoggerContext context = new LoggerContext();
    LogbackConfigurator configurator = new LogbackConfigurator();
    configurator.setContext(context);

    assertThat(configurator.configure(context))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    AsyncAppender async =
        (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    assertThat(async.isStarted()).isTrue();
    assertThat(async.isNeverBlock()).isTrue();
    assertThat(async.getDiscardingThreshold()).isZero();
    assertThat(async.getQueueSize()).isEqualTo(8192);
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) async.getAppender("STDERR");
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(stderr.isStarted()).isTrue();
    context.stop();
  }

  @Test
  void stepsAsideForAConfigurationFileNamedOnTheCommandLine() {
    LoggerContext context = new LoggerContext();
    LogbackConfigurator configurator = new LogbackConfigurator();
    configurator.setContext(context);
    System.setProperty("logback.configurationFile", "/nonexistent/logback.xml");
    try {
      assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC")).isNull();
    } finally {
      System.clearProperty("logback.configurationFile");
      context.stop();
    }
  }
}
