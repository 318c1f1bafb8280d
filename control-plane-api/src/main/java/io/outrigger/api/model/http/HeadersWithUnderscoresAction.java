package io.outrigger.api.model.http;

/**
 * {@code common_http_protocol_options.headers_with_underscores_action}: what becomes of a request
 * header whose name holds an underscore, which some upstreams read as a dash (so that {@code
 * x_user} could pass for a trusted {@code x-user}).
 */
public enum HeadersWithUnderscoresAction {
  /** Pass it on (Envoy's default). */
  ALLOW,
  /** Answer 400 ({@code unexpected_underscore}) and close an HTTP/1.1 connection. */
  REJECT_REQUEST,
  /** Remove the header and go on. */
  DROP_HEADER
}
