package io.outrigger.api.model.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envoy's default tag extractors that apply to Outrigger's statistics, in Envoy's order (most
 * specific first). Written after Envoy's {@code well_known_names.cc}; the patterns are Java regex
 * ({@code \d} for POSIX {@code [:digit:]}).
 */
public final class DefaultTags {
  private DefaultTags() {}

  /** Tag name to regex, in the order they are applied. */
  public static final Map<String, String> REGEXES = Collections.unmodifiableMap(build());

  private static Map<String, String> build() {
    Map<String, String> r = new LinkedHashMap<>();
    // *_rq(_<code>): cluster.c.upstream_rq_503 -> cluster.upstream_rq, code 503
    r.put("envoy.response_code", "_rq(_(\\d{3}))$");
    // *_rq_(<class>)xx: http.p.downstream_rq_5xx -> http.downstream_rq_xx, class 5
    r.put("envoy.response_code_class", "_rq_(\\d)xx$");
    // http.[<hcm>.]fault.(<downstream_cluster>.)<stat>
    r.put("envoy.fault_downstream_cluster", "^http(?=\\.).*?\\.fault\\.((.*?)\\.)\\w+?$");
    // listener.[<address>.]ssl.cipher.(<cipher>)
    r.put("envoy.ssl_cipher", "^listener(?=\\.).*?\\.ssl\\.cipher(\\.(.*?))$");
    // tcp.(<stat_prefix>.)<stat>
    r.put("envoy.tcp_prefix", "^tcp\\.((.*?)\\.)\\w+?$");
    // http.[<hcm>.]rbac.(<rules_stat_prefix>.)[shadow_]allowed|denied
    r.put(
        "envoy.rbac_http_prefix",
        "^http\\.[^.]+\\.rbac\\.(([^.]+)\\.)(?:shadow_)?(?:allowed|denied)$");
    // (<stat_prefix>.)rbac.<stat>: the network RBAC filter
    r.put("envoy.rbac_prefix", "^(([^.]+)\\.)rbac\\.");
    // (<stat_prefix>.)http_local_rate_limit.<stat>
    r.put("envoy.local_http_ratelimit_prefix", "^(([^.]+)\\.)http_local_rate_limit\\.");
    // connection_limit.(<stat_prefix>.)<stat>
    r.put("envoy.connection_limit_prefix", "^connection_limit\\.((.*?)\\.)\\w+?$");
    // cluster.(<cluster_name>.)*
    r.put("envoy.cluster_name", "^cluster\\.(([^.]+)\\.).*");
    // http.(<hcm>.)* or listener.[<address>.]http.(<hcm>.)*
    r.put("envoy.http_conn_manager_prefix", "^(?:|listener(?=\\.).*?\\.)http\\.((.*?)\\.)");
    // listener.(<address>.)*: an IP and port with '_' for ':', or an IPv6 literal in brackets
    r.put("envoy.listener_address", "^listener\\.(((?:[_.\\d]*|[_\\[\\]aAbBcCdDeEfF\\d]*))\\.)");
    return r;
  }
}
