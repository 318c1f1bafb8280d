package io.outrigger.proxy.http.route;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.outrigger.api.model.http.HashPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * A route's {@code hash_policy}: each policy hashes its input with FarmHash Fingerprint64 (stable
 * across processes and versions); the values combine as Envoy combines them, {@code
 * rotateLeft(previous, 1) ^ next}; a terminal policy that produced a value ends the evaluation.
 */
final class RequestHasher {
  private static final HashFunction HASH = Hashing.farmHashFingerprint64();

  private final HashPolicy[] policies;

  RequestHasher(List<HashPolicy> policies) {
    this.policies = policies.toArray(HashPolicy[]::new);
  }

  /** Whether the route has a hash policy: without one every request hashes to nothing. */
  boolean readsRequest() {
    return policies.length > 0;
  }

  OptionalLong hash(RouteRequest req) {
    boolean found = false;
    long hash = 0;
    for (HashPolicy policy : policies) {
      String input = input(policy, req);
      if (input != null) {
        long value = HASH.hashString(input, StandardCharsets.UTF_8).asLong();
        hash = found ? Long.rotateLeft(hash, 1) ^ value : value;
        found = true;
        if (policy.terminal()) {
          break;
        }
      }
    }
    return found ? OptionalLong.of(hash) : OptionalLong.empty();
  }

  private static String input(HashPolicy policy, RouteRequest req) {
    if (policy instanceof HashPolicy.Header h) {
      List<String> values = req.headers(h.headerName());
      if (values.isEmpty()) {
        return null;
      }
      if (values.size() == 1) {
        return values.get(0);
      }
      // Envoy sorts several values so that their order does not change the hash.
      List<String> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return String.join("\u0000", sorted);
    }
    if (policy instanceof HashPolicy.Cookie c) {
      return cookie(req.headers("cookie"), c.name());
    }
    return req.remoteAddress();
  }

  /** The value of cookie {@code name} in the {@code Cookie} headers, or null. */
  static String cookie(List<String> cookieHeaders, String name) {
    for (String header : cookieHeaders) {
      int start = 0;
      while (start < header.length()) {
        int end = header.indexOf(';', start);
        if (end < 0) {
          end = header.length();
        }
        int eq = header.indexOf('=', start);
        if (eq > 0 && eq < end && header.substring(start, eq).trim().equals(name)) {
          String value = header.substring(eq + 1, end).trim();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return value;
        }
        start = end + 1;
      }
    }
    return null;
  }
}
