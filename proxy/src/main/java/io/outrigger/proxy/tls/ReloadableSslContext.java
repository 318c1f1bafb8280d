package io.outrigger.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.SdsSecretConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code SslContext} of a filter chain or cluster, rebuilt when its material changes: a
 * certificate, key or CA file (polled by the {@link CertificateWatcher}) or a Secret (pushed over
 * SDS, see {@link SecretManager}). Both paths resolve the configuration against the secrets in
 * force, read the material and swap in a new context when anything differs. New connections take
 * {@link #current()}; open connections keep the engine they were created with, so a rotation never
 * disturbs them.
 *
 * <p>A context whose Secret has not arrived yet has no {@code SslContext}: {@link #ready()} is not
 * done (the listener or cluster warms) and {@link #current()} is {@code null} (a connection that
 * comes anyway fails, as in Envoy).
 *
 * <p>Threading: built on the configuration thread; {@link #reloadIfChanged()} runs on the watcher
 * thread and {@link #commit} on the discovery thread, both under the {@link SecretManager}'s lock;
 * {@link #current()} is a volatile read from any event loop.
 */
final class ReloadableSslContext {
  private static final Logger log = LoggerFactory.getLogger(ReloadableSslContext.class);

  /**
   * Builds a context from the resolved configuration and its material; the server or client recipe.
   */
  @FunctionalInterface
  interface Recipe {
    SslContext build(CommonTlsConfig resolved, TlsMaterial material)
        throws IOException, GeneralSecurityException;
  }

  /** A built context, the material and the resolved configuration it was built from. */
  record Loaded(SslContext context, TlsMaterial material, CommonTlsConfig resolved) {}

  private final CommonTlsConfig common;
  private final Recipe recipe;
  private final CertificateGauges gauges;
  private final SecretManager secrets;
  private final String label;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile Loaded current;

  /**
   * Resolves the secrets, reads the material and builds the first context; with a Secret still to
   * come over SDS, waits for it instead.
   *
   * @throws IllegalArgumentException naming the certificate when it cannot be read or built, or a
   *     static secret that does not exist; the configuration is refused
   */
  ReloadableSslContext(
      CommonTlsConfig common, Recipe recipe, CertificateGauges gauges, SecretManager secrets) {
    this.common = common;
    this.recipe = recipe;
    this.gauges = gauges;
    this.secrets = secrets;
    this.label =
        common
            .certificateSds()
            .map(SdsSecretConfig::describe)
            .or(() -> common.certificate().map(c -> c.certificateChain().describe()))
            .orElse("<no certificate>");
    synchronized (secrets) {
      try {
        Optional<Loaded> first = prepare(secrets.view());
        if (first.isPresent()) {
          commit(first.get());
        } else {
          log.info("tls: {} waits for its secret(s) over SDS", label);
        }
        // Under the lock: an SDS update between the first resolve and this would be missed.
        secrets.register(this);
        // Nothing waits on it yet, so completing here runs no activation under the lock.
        signalReady();
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException("cannot load " + label + ": " + e, e);
      }
    }
  }

  /** The context for a new connection; {@code null} while a Secret has not arrived. */
  SslContext current() {
    Loaded l = current;
    return l == null ? null : l.context();
  }

  /** Completes once the context exists: at once, or when its last missing Secret arrived. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Whether any of its material may come from files (and is worth polling). */
  boolean watchesFiles() {
    // A secret may name files too; resolving is cheap, so contexts with secrets are polled.
    if (common.usesSecrets()) {
      return true;
    }
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

  /** The configuration as written, with its secret references. */
  CommonTlsConfig config() {
    return common;
  }

  /** For logs and the per-certificate meters. */
  String label() {
    return label;
  }

  /**
   * Builds the context that the secrets of {@code view} and the files now give, without swapping it
   * in.
   *
   * @return empty when a Secret is still missing or nothing changed
   * @throws IllegalArgumentException for an unknown static secret or one of the wrong kind
   */
  Optional<Loaded> prepare(SecretManager.View view) throws IOException, GeneralSecurityException {
    Optional<CommonTlsConfig> resolved = view.resolve(common);
    if (resolved.isEmpty()) {
      return Optional.empty();
    }
    TlsMaterial next = TlsMaterial.read(resolved.get());
    Loaded now = current;
    if (now != null && next.sameAs(now.material()) && resolved.get().equals(now.resolved())) {
      return Optional.empty();
    }
    return Optional.of(new Loaded(recipe.build(resolved.get(), next), next, resolved.get()));
  }

  /** Swaps in {@code next}: new connections use it from now on. */
  void commit(Loaded next) {
    boolean rotation = current != null;
    current = next;
    if (!next.material().chain().isEmpty()) {
      X509Certificate leaf = next.material().chain().get(0);
      gauges.loaded(label, leaf.getNotAfter().toInstant());
    }
    if (rotation) {
      gauges.rotated(label);
      log.info("tls: reloaded {} (new connections use it; open ones keep theirs)", label);
    }
  }

  /**
   * Completes {@link #ready()} once a context exists. Called after the {@link SecretManager}'s lock
   * is released: completing runs the listener's or cluster's activation, which takes their locks.
   */
  void signalReady() {
    if (current != null) {
      ready.complete(null);
    }
  }

  /**
   * Reads the files again and, when anything changed, builds and swaps in a new context. A read or
   * build that fails (a file half-written, a key that does not match its new certificate) keeps the
   * current context and is retried on the next call.
   *
   * @return whether the context was replaced
   */
  boolean reloadIfChanged() {
    boolean reloaded;
    synchronized (secrets) {
      try {
        Optional<Loaded> next = prepare(secrets.view());
        next.ifPresent(this::commit);
        reloaded = next.isPresent();
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        log.warn(
            "tls: {} changed but cannot be loaded, keeping the previous one: {}",
            label,
            e.toString());
        return false;
      }
    }
    signalReady();
    return reloaded;
  }
}
