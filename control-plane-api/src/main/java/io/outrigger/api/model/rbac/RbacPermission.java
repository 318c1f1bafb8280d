package io.outrigger.api.model.rbac;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.StringMatcher;
import java.util.List;

/**
 * {@code config.rbac.v3.Permission}: what the downstream asks for. A tree like {@link
 * RbacPrincipal}.
 */
public sealed interface RbacPermission {
  /** {@code any: true}: everything. */
  record Any() implements RbacPermission {}

  /** {@code header}: a request header (HTTP only); methods are {@code :method} headers. */
  record Header(HeaderMatcher matcher) implements RbacPermission {
    public Header {
      requireNonNull(matcher, "matcher");
    }
  }

  /** {@code url_path}: the request's path without its query (HTTP only). */
  record UrlPath(StringMatcher path) implements RbacPermission {
    public UrlPath {
      requireNonNull(path, "path");
    }
  }

  /** {@code destination_ip}: the local address the downstream connected to. */
  record DestinationIp(CidrRange range) implements RbacPermission {
    public DestinationIp {
      requireNonNull(range, "range");
    }
  }

  /** {@code destination_port}: the local port the downstream connected to. */
  record DestinationPort(int port) implements RbacPermission {
    public DestinationPort {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("destination_port: " + port + " (expected: 0..65535)");
      }
    }
  }

  /** {@code destination_port_range}: the local port in {@code [start, end)}. */
  record DestinationPortRange(int start, int end) implements RbacPermission {
    public DestinationPortRange {
      if (start < 0 || end > 65536 || start > end) {
        throw new IllegalArgumentException(
            "destination_port_range: ["
                + start
                + ", "
                + end
                + ") (expected: 0 <= start <= end <= 65536)");
      }
    }
  }

  /** {@code requested_server_name}: the TLS SNI; an empty string when there was none. */
  record RequestedServerName(StringMatcher name) implements RbacPermission {
    public RequestedServerName {
      requireNonNull(name, "name");
    }
  }

  /** {@code and_rules}: all of them. */
  record And(List<RbacPermission> rules) implements RbacPermission {
    public And {
      rules = nonEmpty(rules, "and_rules");
    }
  }

  /** {@code or_rules}: any of them. */
  record Or(List<RbacPermission> rules) implements RbacPermission {
    public Or {
      rules = nonEmpty(rules, "or_rules");
    }
  }

  /** {@code not_rule}: the opposite. */
  record Not(RbacPermission rule) implements RbacPermission {
    public Not {
      requireNonNull(rule, "rule");
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
