# perf/lib/common.sh — sourced by the single-sidecar scripts (perf/memory, perf/profile,
# perf/tls-rotation, scripts/testssl): a work folder removed on success, every process started
# recorded and stopped by PID on exit (Ctrl-C included), an nginx backend answering "ok", and an
# Outrigger bootstrap that proxies everything to it. Loopback only.
#
# Before sourcing, set TOOL (the name in log lines).

log() { printf '[%s %s] %s\n' "$TOOL" "$(date +%H:%M:%S)" "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
# median: the median of the numbers on standard input (separated by spaces or newlines); the lower
# of the two middle ones for an even count, empty for none.
median() { tr ' ' '\n' | sort -n | awk 'NF { v[++n] = $1 } END { if (n) print v[int((n + 1) / 2)] }'; }

# stop_pid PID: TERM, then KILL after 5 s.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# setup_work: WORK (a new folder), STARTED (PIDs to stop) and the exit traps. KEEP_TEMP=1, or a
# failure, keeps the folder.
setup_work() {
  WORK=$(mktemp -d "/tmp/outrigger-$TOOL.XXXXXX")
  chmod 755 "$WORK" # nginx workers run as nobody
  STARTED=()
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${STARTED[@]}"; do stop_pid "$pid"; done
  wait 2>/dev/null || true
  if ((${KEEP_TEMP:-0})) || ((rc != 0)); then log "configs and logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}

# start_backend PORT [http2]: one nginx worker on 127.0.0.1:PORT answering "ok" to everything but
# /4k, which is a 4,096-byte file (perf/compare's h1-4k body); with http2 it speaks HTTP/2 with
# prior knowledge (h2c) instead of HTTP/1.1, and does not end a connection after 1,000 requests
# (its GOAWAY would refuse the streams in flight: a test of the pool, not of the data path's cost).
start_backend() {
  mkdir -p "$WORK/nginx/logs" "$WORK/www"
  head -c 4096 /dev/zero | tr '\0' 'x' >"$WORK/www/4k"
  chmod 755 "$WORK" "$WORK/www"
  cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  ${2:+keepalive_requests 100000000;}
  server {
    listen 127.0.0.1:$1${2:+ $2};
    location / { return 200 "ok\n"; }
    location = /4k { root $WORK/www; }
  }
}
EOF
  nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.log" 2>&1 &
  STARTED+=("$!")
}

# proxy_yaml HTTP_PORT ADMIN_PORT BACKEND_PORT STAT_PREFIX [HCM_LINES]: a bootstrap whose one
# listener sends every request to the backend; HCM_LINES (indented 10 spaces) go into the
# connection manager, e.g. "codec_type: AUTO".
proxy_yaml() {
  cat <<EOF
admin:
  address:
    socket_address: { address: 127.0.0.1, port_value: $2 }
static_resources:
  listeners:
  - name: http
    address:
      socket_address: { address: 127.0.0.1, port_value: $1 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: $4
${5:+$5
}          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: / }
                route: { cluster: backend }
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: backend
    connect_timeout: 1s
    load_assignment:
      cluster_name: backend
      endpoints:
      - lb_endpoints:
        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: $3 } } }
EOF
}

# await_ready ADMIN_PORT PID: up to 30 s for /ready; false if the process died or never got ready.
await_ready() {
  local i
  for ((i = 0; i < 300; i++)); do
    curl -fsS -m 1 "http://127.0.0.1:$1/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# tls_listener_yaml PORT ADMIN_PORT CERT KEY ALPN STAT_PREFIX: a TLS listener with nothing but a
# certificate and ALPN (the defaults), answering 200 "ok" itself.
tls_listener_yaml() {
  cat <<EOF
admin:
  address:
    socket_address: { address: 127.0.0.1, port_value: $2 }
static_resources:
  listeners:
  - name: tls
    address:
      socket_address: { address: 127.0.0.1, port_value: $1 }
    filter_chains:
    - transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            alpn_protocols: [$5]
            tls_certificates:
            - certificate_chain: { filename: $3 }
              private_key: { filename: $4 }
      filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: $6
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: / }
                direct_response: { status: 200, body: { inline_string: "ok" } }
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
EOF
}
