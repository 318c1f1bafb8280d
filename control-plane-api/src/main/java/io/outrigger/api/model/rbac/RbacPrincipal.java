package io.outrigger.api.model.rbac;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.StringMatcher;
import java.util.List;
import java.util.Optional;

/**
 * {@code config.rbac.v3.Principal}: who the downstream is. A tree: the leaves test one attribute of
 * the connection or the request, {@link And}, {@link Or} and {@link Not} combine them.
 */
public sealed interface RbacPrincipal {
  /** {@code any: true}: every downstream. */
  record Any() implements RbacPrincipal {}

  /**
   * {@code authenticated}: a downstream that presented a verified client certificate. With {@code
   * principalName}, one of the certificate's URI SANs, else one of its DNS SANs, else its subject
   * must match (Envoy's order). Without a certificate it never matches.
   */
  record Authenticated(Optional<StringMatcher> principalName) implements RbacPrincipal {
    public Authenticated {
      requireNonNull(principalName, "principalName");
    }
  }

  /** {@code direct_remote_ip}: the address of the downstream socket's peer. */
  record DirectRemoteIp(CidrRange range) implements RbacPrincipal {
    public DirectRemoteIp {
      requireNonNull(range, "range");
    }
  }

  /**
   * {@code remote_ip}: the downstream's address as the connection manager sees it; Outrigger does
   * not derive it from {@code x-forwarded-for}, so it is the socket's peer too.
   */
  record RemoteIp(CidrRange range) implements RbacPrincipal {
    public RemoteIp {
      requireNonNull(range, "range");
    }
  }

  /** {@code source_ip} (deprecated in Envoy): the socket's peer; there is no PROXY protocol. */
  record SourceIp(CidrRange range) implements RbacPrincipal {
    public SourceIp {
      requireNonNull(range, "range");
    }
  }

  /** {@code header}: a request header (HTTP only). */
  record Header(HeaderMatcher matcher) implements RbacPrincipal {
    public Header {
      requireNonNull(matcher, "matcher");
    }
  }

  /** {@code url_path}: the request's path without its query (HTTP only). */
  record UrlPath(StringMatcher path) implements RbacPrincipal {
    public UrlPath {
      requireNonNull(path, "path");
    }
  }

  /** {@code and_ids}: all of them. */
  record And(List<RbacPrincipal> ids) implements RbacPrincipal {
    public And {
      ids = nonEmpty(ids, "and_ids");
    }
  }

  /** {@code or_ids}: any of them. */
  record Or(List<RbacPrincipal> ids) implements RbacPrincipal {
    public Or {
      ids = nonEmpty(ids, "or_ids");
    }
  }

  /** {@code not_id}: the opposite. */
  record Not(RbacPrincipal id) implements RbacPrincipal {
    public Not {
      requireNonNull(id, "id");
    }
  }

  private static <T> List<T> nonEmpty(List<T> items, String field) {
    List<T> copy = List.copyOf(requireNonNull(items, field));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(field + ": empty (expected: at least one)");
    }
    return copy;
  }
}
