package io.outrigger.filters.http;

/**
 * Envoy's response flags: a short code in the access log that says why a response is what it is.
 */
public enum ResponseFlag {
  /** No route matched: 404. */
  NR("NR"),
  /** No healthy upstream host: 503. */
  UH("UH"),
  /** Upstream connection failure: 503. */
  UF("UF"),
  /** Upstream request timeout: 504. */
  UT("UT"),
  /** Upstream connection termination (reset before the response started): 503. */
  UC("UC"),
  /** Upstream remote reset: 503 before headers, a downstream reset after. */
  UR("UR"),
  /** Upstream overflow (resource limits): 503. */
  UO("UO"),
  /** Upstream protocol error: the upstream's response broke HTTP; 502. */
  UPE("UPE"),
  /** Overload manager: a request shed with 503 by {@code stop_accepting_requests}. */
  OM("OM"),
  /** Downstream connection termination. */
  DC("DC"),
  /** Local reply for a malformed downstream request. */
  DPE("DPE"),
  /** Stream idle timeout. */
  SI("SI"),
  /** Downstream request timeout (request_timeout). */
  DT("DT"),
  /** Delay injected by the fault filter. */
  DI("DI"),
  /** Abort injected by the fault filter. */
  FI("FI"),
  /** Local rate limited: 429. */
  RL("RL"),
  /** Denied by an authorization filter. */
  UAEX("UAEX"),
  /** The route named a cluster that does not exist: 503. */
  NC("NC");

  private final String code;

  ResponseFlag(String code) {
    this.code = code;
  }

  /** The code as Envoy's access log writes it. */
  public String code() {
    return code;
  }
}
