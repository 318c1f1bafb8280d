package io.outrigger.filters.common.rbac;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.filters.http.headers.CompiledHeaderMatcher;
import io.outrigger.filters.http.headers.RequestHeaderValues;
import io.outrigger.filters.http.headers.StringValueMatcher;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Compiles permission and principal trees into {@link RbacMatcher}s, with Envoy's semantics ({@code
 * source/extensions/filters/common/rbac/matchers.cc}). Regexes are compiled here, once per
 * snapshot.
 */
final class RbacMatchers {
  private RbacMatchers() {}

  static RbacMatcher principal(RbacPrincipal p) {
    if (p instanceof RbacPrincipal.Any) {
      return r -> true;
    }
    if (p instanceof RbacPrincipal.Authenticated a) {
      return authenticated(a.principalName().map(StringValueMatcher::new).orElse(null));
    }
    if (p instanceof RbacPrincipal.DirectRemoteIp ip) {
      return r -> inRange(ip.range(), r.remoteAddress());
    }
    if (p instanceof RbacPrincipal.RemoteIp ip) {
      return r -> inRange(ip.range(), r.remoteAddress());
    }
    if (p instanceof RbacPrincipal.SourceIp ip) {
      return r -> inRange(ip.range(), r.remoteAddress());
    }
    if (p instanceof RbacPrincipal.Header h) {
      return header(h.matcher());
    }
    if (p instanceof RbacPrincipal.UrlPath u) {
      return urlPath(u.path());
    }
    if (p instanceof RbacPrincipal.And and) {
      return all(and.ids().stream().map(RbacMatchers::principal).toList());
    }
    if (p instanceof RbacPrincipal.Or or) {
      return any(or.ids().stream().map(RbacMatchers::principal).toList());
    }
    RbacMatcher inner = principal(((RbacPrincipal.Not) p).id());
    return r -> !inner.matches(r);
  }

  static RbacMatcher permission(RbacPermission p) {
    if (p instanceof RbacPermission.Any) {
      return r -> true;
    }
    if (p instanceof RbacPermission.Header h) {
      return header(h.matcher());
    }
    if (p instanceof RbacPermission.UrlPath u) {
      return urlPath(u.path());
    }
    if (p instanceof RbacPermission.DestinationIp ip) {
      return r -> inRange(ip.range(), r.localAddress());
    }
    if (p instanceof RbacPermission.DestinationPort port) {
      return r -> r.localAddress() != null && r.localAddress().getPort() == port.port();
    }
    if (p instanceof RbacPermission.DestinationPortRange range) {
      return r -> {
        InetSocketAddress local = r.localAddress();
        return local != null && local.getPort() >= range.start() && local.getPort() < range.end();
      };
    }
    if (p instanceof RbacPermission.RequestedServerName sni) {
      StringValueMatcher m = new StringValueMatcher(sni.name());
      return r -> m.matches(r.requestedServerName());
    }
    if (p instanceof RbacPermission.And and) {
      return all(and.rules().stream().map(RbacMatchers::permission).toList());
    }
    if (p instanceof RbacPermission.Or or) {
      return any(or.rules().stream().map(RbacMatchers::permission).toList());
    }
    RbacMatcher inner = permission(((RbacPermission.Not) p).rule());
    return r -> !inner.matches(r);
  }

  /**
   * Envoy's {@code AuthenticatedMatcher}: the URI SANs, then the DNS SANs, then the subject. Unlike
   * Envoy, which lets a TLS connection without a client certificate match an {@code authenticated}
   * without name, no verified certificate never matches here.
   */
  private static RbacMatcher authenticated(StringValueMatcher name) {
    return r -> {
      PeerCertificate cert = r.peerCertificate();
      if (cert == null) {
        return false;
      }
      if (name == null) {
        return true;
      }
      for (String uri : cert.uriSans()) {
        if (name.matches(uri)) {
          return true;
        }
      }
      for (String dns : cert.dnsSans()) {
        if (name.matches(dns)) {
          return true;
        }
      }
      return name.matches(cert.subject());
    };
  }

  private static RbacMatcher header(HeaderMatcher config) {
    CompiledHeaderMatcher m = new CompiledHeaderMatcher(config);
    return r -> {
      HttpRequest request = r.request();
      return request != null && m.matches(RequestHeaderValues.get(request, m.name()));
    };
  }

  private static RbacMatcher urlPath(StringMatcher path) {
    StringValueMatcher m = new StringValueMatcher(path);
    return r -> {
      HttpRequest request = r.request();
      return request != null && m.matches(RequestHeaderValues.pathWithoutQuery(request));
    };
  }

  private static boolean inRange(CidrRange range, InetSocketAddress address) {
    return address != null && range.contains(address.getAddress());
  }

  private static RbacMatcher all(List<RbacMatcher> ms) {
    RbacMatcher[] a = ms.toArray(RbacMatcher[]::new);
    return r -> {
      for (RbacMatcher m : a) {
        if (!m.matches(r)) {
          return false;
        }
      }
      return true;
    };
  }

  /** Any of {@code ms}; none matches nothing. */
  static RbacMatcher any(List<RbacMatcher> ms) {
    RbacMatcher[] a = ms.toArray(RbacMatcher[]::new);
    return r -> {
      for (RbacMatcher m : a) {
        if (m.matches(r)) {
          return true;
        }
      }
      return false;
    };
  }
}
