package io.outrigger.proxy.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * Reads and changes log levels at run time (logback), for {@code /logging} and {@code --log-level}.
 * Envoy's level names are accepted: trace, debug, info, warning/warn, error, critical, off.
 */
public final class LogLevels {
  private static final Set<String> NAMES =
      Set.of("trace", "debug", "info", "warn", "warning", "error", "critical", "off");

  private LogLevels() {}

  /** Whether {@code name} is a level name this accepts. */
  public static boolean isLevel(String name) {
    return name != null && NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Sets the root level and clears every explicitly set logger level below it. */
  public static void setAll(String level) {
    LoggerContext ctx = context();
    for (Logger l : ctx.getLoggerList()) {
      if (!l.getName().equals(Logger.ROOT_LOGGER_NAME)) {
        l.setLevel(null);
      }
    }
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(toLogback(level));
  }

  /** Sets one logger's level (its children inherit it). */
  public static void set(String logger, String level) {
    context().getLogger(logger).setLevel(toLogback(level));
  }

  /** The root level and every logger whose level was set explicitly, by name. */
  public static Map<String, String> explicitLevels() {
    Map<String, String> out = new TreeMap<>();
    for (Logger l : context().getLoggerList()) {
      if (l.getLevel() != null) {
        out.put(l.getName(), l.getLevel().toString().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static Level toLogback(String level) {
    if (!isLevel(level)) {
      throw new IllegalArgumentException("unknown log level: " + level);
    }
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "warning" -> Level.WARN;
      case "critical" -> Level.ERROR;
      default -> Level.toLevel(level, Level.INFO);
    };
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
