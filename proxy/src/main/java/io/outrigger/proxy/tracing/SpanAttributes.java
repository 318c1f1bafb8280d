package io.outrigger.proxy.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attribute names: the OpenTelemetry HTTP semantic conventions (stable names) and
 * Outrigger's own. Listed in {@code docs/tracing.md}.
 */
final class SpanAttributes {
  static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> NETWORK_PEER_ADDRESS =
      AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> NETWORK_PEER_PORT = AttributeKey.longKey("network.peer.port");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION =
      AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> USER_AGENT_ORIGINAL =
      AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("guid:x-request-id");
  static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("outrigger.cluster");
  static final AttributeKey<String> UPSTREAM_HOST =
      AttributeKey.stringKey("outrigger.upstream_host");
  static final AttributeKey<String> RESPONSE_FLAGS =
      AttributeKey.stringKey("outrigger.response_flags");
  static final AttributeKey<String> RESPONSE_CODE_DETAILS =
      AttributeKey.stringKey("outrigger.response_code_details");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("outrigger.attempt");
  static final AttributeKey<String> ATTEMPT_OUTCOME =
      AttributeKey.stringKey("outrigger.attempt.outcome");

  private SpanAttributes() {}
}
