package io.outrigger.api.model.http;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code route.v3.DirectResponseAction}: answer without going upstream.
 *
 * <p>The body is held as bytes ({@code inline_string} is UTF-8 encoded); accessors return copies.
 */
public final class DirectResponseRoute implements RouteAction {
  /** Envoy's default {@code max_direct_response_body_size_bytes}. */
  public static final int MAX_BODY_BYTES = 4096;

  private final int status;
  private final byte[] body;

  /**
   * @param status 200..599
   * @param body at most {@link #MAX_BODY_BYTES}; empty for no body
   */
  public DirectResponseRoute(int status, byte[] body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "body: " + body.length + " bytes (expected: at most " + MAX_BODY_BYTES + ")");
    }
    this.status = status;
    this.body = body.clone();
  }

  public int status() {
    return status;
  }

  /** A copy of the body; empty when there is none. */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectResponseRoute other
        && status == other.status
        && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * status + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "DirectResponseRoute[status="
        + status
        + ", body="
        + HexFormat.of().formatHex(body)
        + "]";
  }
}
