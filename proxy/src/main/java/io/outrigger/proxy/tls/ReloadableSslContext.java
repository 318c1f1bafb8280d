package io.outrigger.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.DataSourceConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code SslContext} of a filter chain or cluster, rebuilt when its certificate, key or CA
 * files change. New connections take {@link #current()}; open connections keep the engine they were
 * created with, so a rotation never disturbs them.
 *
 * <p>Threading: built on the configuration thread; {@link #reloadIfChanged()} runs on the watcher
 * thread; {@link #current()} is a volatile read from any event loop.
 */
final class ReloadableSslContext {
  private static final Logger log = LoggerFactory.getLogger(ReloadableSslContext.class);

  /** Builds a context from material; the server or client recipe. */
  @FunctionalInterface
  interface Recipe {
    SslContext build(TlsMaterial material) throws IOException, GeneralSecurityException;
  }

  /** A built context and the material it was built from. */
  private record Loaded(SslContext context, TlsMaterial material) {}

  private final CommonTlsConfig common;
  private final Recipe recipe;
  private final CertificateGauges gauges;
  private final String label;
  private volatile Loaded current;

  /**
   * Reads the material and builds the first context.
   *
   * @throws IllegalArgumentException naming the certificate when it cannot be read or built; the
   *     configuration is refused
   */
  ReloadableSslContext(CommonTlsConfig common, Recipe recipe, CertificateGauges gauges) {
    this.common = common;
    this.recipe = recipe;
    this.gauges = gauges;
    this.label =
        common.certificate().map(c -> c.certificateChain().describe()).orElse("<no certificate>");
    try {
      this.current = load(TlsMaterial.read(common));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load " + label + ": " + e, e);
    }
  }

  /** The context for a new connection. */
  SslContext current() {
    return current.context();
  }

  /** Whether any of its material comes from files (and is worth watching). */
  boolean watchesFiles() {
    boolean files =
        common
            .certificate()
            .map(
                c ->
                    c.certificateChain().kind() == DataSourceConfig.Kind.FILENAME
                        || c.privateKey().kind() == DataSourceConfig.Kind.FILENAME)
            .orElse(false);
    return files
        || common
            .validation()
            .map(v -> v.trustedCa().kind() == DataSourceConfig.Kind.FILENAME)
            .orElse(false);
  }

  /**
   * Reads the files again and, when anything changed, builds and swaps in a new context. A read or
   * build that fails (a file half-written, a key that does not match its new certificate) keeps the
   * current context and is retried on the next call.
   *
   * @return whether the context was replaced
   */
  boolean reloadIfChanged() {
    try {
      TlsMaterial next = TlsMaterial.read(common);
      if (next.sameAs(current.material())) {
        return false;
      }
      current = load(next);
      gauges.rotated(label);
      log.info("tls: reloaded {} (new connections use it; open ones keep theirs)", label);
      return true;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      log.warn(
          "tls: {} changed but cannot be loaded, keeping the previous one: {}",
          label,
          e.toString());
      return false;
    }
  }

  private Loaded load(TlsMaterial m) throws IOException, GeneralSecurityException {
    SslContext ctx = recipe.build(m);
    if (!m.chain().isEmpty()) {
      X509Certificate leaf = m.chain().get(0);
      gauges.loaded(label, leaf.getNotAfter().toInstant());
    }
    return new Loaded(ctx, m);
  }
}
