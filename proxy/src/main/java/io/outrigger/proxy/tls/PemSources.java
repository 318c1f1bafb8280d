package io.outrigger.proxy.tls;

import io.outrigger.api.model.tls.DataSourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the PEM text of a {@link DataSourceConfig}. Files are read with blocking I/O: call on the
 * configuration or the watcher thread, never on an event loop.
 */
final class PemSources {
  private PemSources() {}

  static String read(DataSourceConfig source) throws IOException {
    return source.kind() == DataSourceConfig.Kind.FILENAME
        ? Files.readString(Path.of(source.value()))
        : source.value();
  }
}
