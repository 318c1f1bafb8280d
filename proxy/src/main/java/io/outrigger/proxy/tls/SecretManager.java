package io.outrigger.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.SdsSecretConfig;
import io.outrigger.api.model.tls.SdsValidationConfig;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.model.tls.TlsCertificateConfig;
import io.outrigger.api.model.tls.ValidationConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's secrets, as Envoy's secret manager: the bootstrap's static secrets ({@code
 * static_resources.secrets}, found by an {@code SdsSecretConfig} without {@code sds_config}) and
 * the ones received over SDS, and every TLS context that uses them.
 *
 * <p>An SDS update ({@link #apply}) is validated whole: every context that uses a changed secret
 * builds its new {@code SslContext} first; one failure refuses the update (the discovery client
 * NACKs it) and nothing changes. Otherwise every such context swaps at once: new connections use
 * the new certificate, open ones keep theirs. As for EDS and RDS, a secret absent from an update
 * keeps its last version.
 *
 * <p>Threading: {@link #apply} runs on the discovery thread, context creation on the configuration
 * thread, file polling on the watcher thread; all of them hold this object's lock while they
 * resolve and swap, so that a poll never swaps in material an SDS update has just replaced. A
 * context that becomes ready is signalled after the lock is released, because that activates a
 * listener or cluster, which takes their managers' locks (held, in turn, while contexts are built).
 */
public final class SecretManager {
  private static final Logger log = LoggerFactory.getLogger(SecretManager.class);

  private final Map<String, SecretConfig> statics;
  private final Set<String> localNames;
  private final Map<String, SecretConfig> dynamic = new HashMap<>();
  private final Set<ReloadableSslContext> contexts = ConcurrentHashMap.newKeySet();

  /**
   * @param statics the bootstrap's {@code static_resources.secrets} by name
   */
  public SecretManager(Map<String, SecretConfig> statics) {
    this(statics, Set.of());
  }

  /**
   * @param statics the bootstrap's {@code static_resources.secrets} by name
   * @param localNames SDS secret names this sidecar makes itself ({@link #installLocal}: its own
   *     key and the certificate the control plane signed for it) instead of asking for them over
   *     SDS; an SDS update of such a name is ignored
   */
  public SecretManager(Map<String, SecretConfig> statics, Set<String> localNames) {
    this.statics = Map.copyOf(requireNonNull(statics, "statics"));
    this.localNames = Set.copyOf(requireNonNull(localNames, "localNames"));
  }

  /**
   * Installs a secret this sidecar made itself, one of {@code localNames}, as an SDS update of that
   * name would (validated with every context that uses it, then swapped).
   *
   * @throws IllegalArgumentException as {@link #apply}, or for a name not declared local
   */
  public void installLocal(SecretConfig secret) {
    if (!localNames.contains(secret.name())) {
      throw new IllegalArgumentException(
          "secret \""
              + secret.name()
              + "\" is not made locally (expected: one of "
              + localNames
              + ")");
    }
    applyAll(Map.of(secret.name(), secret));
  }

  /**
   * Validates and applies secrets received over SDS.
   *
   * @param received by name; names absent keep their last version
   * @throws IllegalArgumentException naming the secret and the context that cannot use it; nothing
   *     changed
   */
  public void apply(Map<String, SecretConfig> received) {
    Map<String, SecretConfig> fromSds = new HashMap<>(received);
    fromSds.keySet().removeAll(localNames);
    applyAll(fromSds);
  }

  private void applyAll(Map<String, SecretConfig> received) {
    List<ReloadableSslContext> updated = swap(received);
    // Outside the lock: a context that became ready activates its listener or cluster now.
    updated.forEach(ReloadableSslContext::signalReady);
    log.info(
        "sds: {} secret(s) applied, {} TLS context(s) updated", received.size(), updated.size());
  }

  private synchronized List<ReloadableSslContext> swap(Map<String, SecretConfig> received) {
    Map<String, SecretConfig> next = new HashMap<>(dynamic);
    next.putAll(received);
    View view = new View(statics, next);
    Map<ReloadableSslContext, ReloadableSslContext.Loaded> built = new HashMap<>();
    for (ReloadableSslContext c : contexts) {
      if (!usesAny(c.config(), received.keySet())) {
        continue;
      }
      try {
        c.prepare(view).ifPresent(loaded -> built.put(c, loaded));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException(
            "secret " + namesOf(c.config()) + " of " + c.label() + ": " + e.getMessage(), e);
      }
    }
    dynamic.clear();
    dynamic.putAll(next);
    built.forEach(ReloadableSslContext::commit);
    return new ArrayList<>(built.keySet());
  }

  /** The names of the secrets that TLS contexts in use want over SDS: what to subscribe to. */
  public Set<String> adsNames() {
    Set<String> out = new TreeSet<>();
    for (ReloadableSslContext c : contexts) {
      CommonTlsConfig common = c.config();
      common.certificateSds().filter(SdsSecretConfig::ads).ifPresent(s -> out.add(s.name()));
      common
          .validationSds()
          .map(SdsValidationConfig::secret)
          .filter(SdsSecretConfig::ads)
          .ifPresent(s -> out.add(s.name()));
    }
    out.removeAll(localNames);
    return out;
  }

  void register(ReloadableSslContext context) {
    contexts.add(context);
  }

  void unregister(ReloadableSslContext context) {
    contexts.remove(context);
  }

  /** The secrets in force now; call with this object's lock held. */
  View view() {
    return new View(statics, Map.copyOf(dynamic));
  }

  private static boolean usesAny(CommonTlsConfig common, Set<String> names) {
    return common.certificateSds().filter(s -> s.ads() && names.contains(s.name())).isPresent()
        || common
            .validationSds()
            .map(SdsValidationConfig::secret)
            .filter(s -> s.ads() && names.contains(s.name()))
            .isPresent();
  }

  private static String namesOf(CommonTlsConfig common) {
    List<String> names = new ArrayList<>();
    common.certificateSds().ifPresent(s -> names.add(s.name()));
    common.validationSds().ifPresent(v -> names.add(v.secret().name()));
    return String.join("/", names);
  }

  /**
   * Static and dynamic secrets at one moment, and how a TLS configuration resolves against them.
   */
  record View(Map<String, SecretConfig> statics, Map<String, SecretConfig> dynamic) {
    /**
     * {@code common} with its secrets written out.
     *
     * @return empty while a secret over SDS has not arrived
     * @throws IllegalArgumentException for a static secret that does not exist, or a secret of the
     *     wrong kind (a validation context where a certificate is wanted, or the reverse)
     */
    Optional<CommonTlsConfig> resolve(CommonTlsConfig common) {
      if (!common.usesSecrets()) {
        return Optional.of(common);
      }
      Optional<TlsCertificateConfig> cert = common.certificate();
      if (common.certificateSds().isPresent()) {
        Optional<SecretConfig> s = find(common.certificateSds().get());
        if (s.isEmpty()) {
          return Optional.empty();
        }
        cert =
            Optional.of(
                s.get().tlsCertificate().orElseThrow(() -> wrongKind(s.get(), "tls_certificate")));
      }
      Optional<ValidationConfig> validation = common.validation();
      if (common.validationSds().isPresent()) {
        SdsValidationConfig v = common.validationSds().get();
        Optional<SecretConfig> s = find(v.secret());
        if (s.isEmpty()) {
          return Optional.empty();
        }
        validation =
            Optional.of(
                v.defaults()
                    .merge(
                        s.get()
                            .validationContext()
                            .orElseThrow(() -> wrongKind(s.get(), "validation_context"))));
      }
      return Optional.of(common.resolved(cert, validation));
    }

    private Optional<SecretConfig> find(SdsSecretConfig ref) {
      if (ref.ads()) {
        return Optional.ofNullable(dynamic.get(ref.name()));
      }
      SecretConfig s = statics.get(ref.name());
      if (s == null) {
        throw new IllegalArgumentException(
            "unknown static secret \""
                + ref.name()
                + "\" (expected: one of static_resources.secrets, or sds_config: {ads: {}})");
      }
      return Optional.of(s);
    }

    private static IllegalArgumentException wrongKind(SecretConfig s, String wanted) {
      return new IllegalArgumentException(
          "secret \"" + s.name() + "\" has no " + wanted + " (expected: a " + wanted + " secret)");
    }
  }
}
