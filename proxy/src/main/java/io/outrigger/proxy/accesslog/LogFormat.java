package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.accesslog.AccessLogFormat;
import io.outrigger.api.model.accesslog.FormatString;
import io.outrigger.api.model.accesslog.FormatString.Operator;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A compiled access log format: renders one line from a finished stream's {@link StreamInfo}, on
 * the stream's event loop. Immutable and shared.
 *
 * <p>Values are Envoy's: a missing value is {@code -} in text (empty with {@code
 * omit_empty_values}), {@code null} in JSON (the key left out with {@code omit_empty_values});
 * numbers stay numbers in JSON when a value is exactly one operator.
 */
public final class LogFormat {
  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String MISSING = "-";

  private final AccessLogFormat format;

  public LogFormat(AccessLogFormat format) {
    this.format = requireNonNull(format, "format");
  }

  /** The line for {@code info}, with its newline where the format has one (JSON always). */
  public String format(StreamInfo info) {
    StringBuilder sb = new StringBuilder(256);
    if (format instanceof AccessLogFormat.Text text) {
      appendText(sb, text.format(), info);
    } else if (format instanceof AccessLogFormat.Json json) {
      appendObject(sb, json.object(), info);
      sb.append('\n');
    }
    return sb.toString();
  }

  private void appendText(StringBuilder sb, FormatString fs, StreamInfo info) {
    for (FormatString.Segment s : fs.segments()) {
      if (s instanceof FormatString.Literal lit) {
        sb.append(lit.text());
      } else {
        Object v = value((Operator) s, info);
        sb.append(v == null ? (format.omitEmptyValues() ? "" : MISSING) : v.toString());
      }
    }
  }

  private void appendObject(StringBuilder sb, AccessLogFormat.JsonObject object, StreamInfo info) {
    sb.append('{');
    boolean first = true;
    for (AccessLogFormat.JsonField f : object.fields()) {
      int mark = sb.length();
      if (!first) {
        sb.append(',');
      }
      appendJsonString(sb, f.key());
      sb.append(':');
      if (f.value() instanceof AccessLogFormat.JsonObject nested) {
        appendObject(sb, nested, info);
      } else {
        FormatString fs = ((AccessLogFormat.JsonString) f.value()).format();
        if (fs.isSingleOperator()) {
          Object v = value((Operator) fs.segments().get(0), info);
          if (v == null && format.omitEmptyValues()) {
            sb.setLength(mark);
            continue;
          }
          appendJsonValue(sb, v);
        } else {
          StringBuilder text = new StringBuilder();
          appendText(text, fs, info);
          appendJsonString(sb, text);
        }
      }
      first = false;
    }
    sb.append('}');
  }

  private static void appendJsonValue(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Long n) {
      sb.append(n.longValue());
    } else {
      appendJsonString(sb, v.toString());
    }
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static void appendJsonString(StringBuilder sb, CharSequence s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** The operator's value: a {@link String}, a {@link Long}, or {@code null} when missing. */
  static Object value(Operator op, StreamInfo info) {
    return switch (op.command()) {
      case START_TIME -> {
        Instant t = info.startTime();
        yield t == null ? null : START_TIME.format(t);
      }
      case REQ -> truncate(requestHeader(info.request(), op), op);
      case RESP -> truncate(responseHeader(info.responseHeaders(), op), op);
      case PROTOCOL -> info.protocol();
      case RESPONSE_CODE -> (long) info.responseCode();
      case RESPONSE_FLAGS -> {
        ResponseFlag flag = info.responseFlag();
        yield flag == null ? MISSING : flag.code();
      }
      case RESPONSE_CODE_DETAILS -> emptyToNull(info.responseCodeDetails());
      case BYTES_RECEIVED -> info.bytesReceived();
      case BYTES_SENT -> info.bytesSent();
      case DURATION -> {
        long nanos = info.durationNanos();
        yield nanos < 0 ? null : (Long) (nanos / 1_000_000);
      }
      case UPSTREAM_HOST -> info.upstreamHost();
      case UPSTREAM_CLUSTER -> info.upstreamCluster();
      case DOWNSTREAM_REMOTE_ADDRESS -> address(info.downstreamRemoteAddress());
      case UPSTREAM_REQUEST_ATTEMPT_COUNT -> (long) info.upstreamRequestAttemptCount();
      case TRACE_ID -> info.traceId();
      case DOWNSTREAM_PEER_URI_SAN -> info.downstreamPeerUriSan();
    };
  }

  private static String requestHeader(HttpRequest request, Operator op) {
    if (request == null) {
      return null;
    }
    String v = requestHeader(request, op.header());
    return v != null || op.alternative().isEmpty() ? v : requestHeader(request, op.alternative());
  }

  private static String requestHeader(HttpRequest request, String name) {
    return switch (name) {
      case ":method" -> request.method().name();
      case ":path" -> request.uri();
      case ":authority" -> request.headers().get("host", request.headers().get(":authority"));
      default -> request.headers().get(name);
    };
  }

  private static String responseHeader(HttpHeaders headers, Operator op) {
    if (headers == null) {
      return null;
    }
    String v = headers.get(op.header());
    return v != null || op.alternative().isEmpty() ? v : headers.get(op.alternative());
  }

  private static String truncate(String v, Operator op) {
    if (v == null || op.maxLength().isEmpty() || v.length() <= op.maxLength().getAsInt()) {
      return v;
    }
    return v.substring(0, op.maxLength().getAsInt());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** {@code ip:port}, IPv6 in brackets, as Envoy prints addresses. */
  static String address(InetSocketAddress a) {
    if (a == null || a.getAddress() == null) {
      return null;
    }
    String ip = a.getAddress().getHostAddress();
    return (a.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }
}
