package io.outrigger.proxy.stats;

/**
 * The JVM's and the process's families ({@code jvm_*}, {@code process_*}, {@code system_*}) out of
 * the idiomatic exposition, to follow Envoy's: Envoy has no such statistics, and JVM dashboards
 * read them under these names.
 */
final class JvmMeters {
  private JvmMeters() {}

  static String only(String idiomatic) {
    StringBuilder out = new StringBuilder();
    for (String line : idiomatic.split("\n")) {
      String name = line.startsWith("# ") ? line.substring(line.indexOf(' ', 2) + 1) : line;
      if (name.startsWith("jvm_") || name.startsWith("process_") || name.startsWith("system_")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
