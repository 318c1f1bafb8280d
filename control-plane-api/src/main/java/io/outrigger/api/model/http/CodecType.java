package io.outrigger.api.model.http;

/** {@code HttpConnectionManager.CodecType}: which HTTP codec a downstream connection uses. */
public enum CodecType {
  /** HTTP/2 when the connection starts with the HTTP/2 preface (or ALPN says h2), else HTTP/1.1. */
  AUTO,
  /** HTTP/1.1 only. */
  HTTP1,
  /** HTTP/2 only (prior knowledge, or ALPN h2). */
  HTTP2
}
