#!/usr/bin/env bash
# Gateway-overhead benchmark (issue 5): PlugAI against Portkey's open-source gateway, both in front of the
# same zero-delay OpenAI-compatible mock on loopback (bench/gateway/MockUpstream.java), driven by a JDK-only
# load generator (bench/gateway/LoadGen.java). Three paths to the mock: direct, through PlugAI
# (POST /v1/generate), through Portkey (POST /v1/chat/completions with x-portkey-provider: openai and
# x-portkey-custom-host). Measures, per path:
#   a) latency at concurrency 1: ROUNDS rounds of C1_REQUESTS after C1_WARMUP warm-up requests; the median of
#      the rounds' p50 and p99;
#   b) an open-loop fixed-rate sweep (RATES, each DURATION s after WARMUP_S s at the same rate): p50/p99 per
#      rate from each request's scheduled start; the highest rate with added p99 < 5 ms and no errors;
#   c) streams of 64 chunks 20 ms apart (model stream-64x20), one at a time: time to the first body byte and
#      to the first token (first content chunk / first `delta` event), median of STREAMS streams;
#   d) memory per concurrent stream: gateway RSS with 0 and with HOLD_STREAMS open slow streams
#      (stream-600x500), on freshly started gateways warmed with a few requests: (RSS_K - RSS_0) / K.
# Prints the raw RESULT lines and a table (figure | direct | PlugAI | Portkey | added PlugAI | added Portkey),
# made by bench/gateway/summary.py (which can be run again on a saved output file).
# "Added" = path - direct at the same concurrency or rate.
#
#   flock /tmp/plugai-bench.lock bench/gateway.sh            (the lock keeps other benchmarks off the CPUs)
#   RATES=200,400 DURATION=5 bench/gateway.sh                 (a shorter run)
#   PHASES="c1 stream" bench/gateway.sh                       (some phases only: c1 rate stream hold)
# Needs: a JDK >= 21 (found like ./plugai does), node >= 18 and npm (Portkey is installed once into
# $PORTKEY_DIR, default ~/.cache/plugai-bench/portkey, never into the repository), curl, python3.
# PlugAI gets a fresh data folder, an admin token, a dummy operator credential for the mock provider and
# these settings: server.max-concurrent-requests=10000, server.max-connections=20000, providers.retries=0.
# PlugAI always streams from its upstream, so its non-streaming requests reach the mock as a one-chunk stream
# (same text, written in one flush); direct and Portkey requests are plain non-streaming completions.
# Output also goes to $OUT (default /tmp/plugai-gateway-bench.txt). Stops every process it started on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
plugai_find_java || exit 1
JAVA="$JAVA_HOME/bin/java"

PORTKEY_VERSION="${PORTKEY_VERSION:-1.15.2}"
PORTKEY_DIR="${PORTKEY_DIR:-$HOME/.cache/plugai-bench/portkey}"
PHASES="${PHASES:-c1 rate stream hold}"
C1_WARMUP="${C1_WARMUP:-3000}"
C1_REQUESTS="${C1_REQUESTS:-2000}"
ROUNDS="${ROUNDS:-5}"
RATES="${RATES:-50,100,200,400,800,1200,1600,2400,3200}"
DURATION="${DURATION:-10}"
WARMUP_S="${WARMUP_S:-3}"
STREAMS="${STREAMS:-20}"
HOLD_STREAMS="${HOLD_STREAMS:-200}"
OUT="${OUT:-/tmp/plugai-gateway-bench.txt}"
# The mock and the load generator: a small serial-GC heap keeps their pauses short.
TOOL_JVM=(-XX:+UseSerialGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)

WORK="$(mktemp -d /tmp/plugai-gwbench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "== $*" >&2; }
: >"$OUT"
record() { tee -a "$OUT"; }

# Waits until FILE has a line matching REGEX and prints the first match; fails if PID dies.
wait_for() {
  local file="$1" regex="$2" pid="$3" tries=0
  until grep -qE "$regex" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "process $pid died:" >&2; cat "$file" >&2; return 1; }
    tries=$((tries + 1)); [ "$tries" -lt 1200 ] || { echo "timed out waiting for $regex" >&2; return 1; }
    sleep 0.1
  done
  grep -oE "$regex" "$file" | head -n 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---------------------------------------------------------------- tools
log "compiling the mock and the load generator"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" "$ROOT/bench/gateway/MockUpstream.java" "$ROOT/bench/gateway/LoadGen.java"
loadgen() { "$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" LoadGen "$@"; }

PORTKEY_JS="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
# @hono/node-server is pinned: with the versions npm picks by default (1.14.x-1.19.x), Portkey 1.15.2 answers
# every streamed chat completion with 500 ("TypeError: immutable" in ResponseService.updateHeaders; Portkey
# issues 1389/1550); 1.13.8 is the newest release with which its streams work here.
HONO_NODE_SERVER="${HONO_NODE_SERVER:-1.13.8}"
portkey_installed() {
  [ -f "$PORTKEY_JS" ] && [ "$(node -p "require('$PORTKEY_DIR/node_modules/@hono/node-server/package.json').version" \
    2>/dev/null)" = "$HONO_NODE_SERVER" ]
}
if ! portkey_installed; then
  log "installing @portkey-ai/gateway@$PORTKEY_VERSION (with @hono/node-server@$HONO_NODE_SERVER) into $PORTKEY_DIR"
  mkdir -p "$PORTKEY_DIR"
  rm -rf "$PORTKEY_DIR/node_modules" "$PORTKEY_DIR/package-lock.json"
  printf '{"name": "plugai-bench-portkey", "private": true,\n "dependencies": {"@portkey-ai/gateway": "%s"},\n "overrides": {"@hono/node-server": "%s"}}\n' \
    "$PORTKEY_VERSION" "$HONO_NODE_SERVER" >"$PORTKEY_DIR/package.json"
  (cd "$PORTKEY_DIR" && npm install --no-audit --no-fund >&2)
  portkey_installed || { echo "Portkey install failed" >&2; exit 1; }
fi
log "building PlugAI if needed"
"$ROOT/plugai" --version >&2

# ---------------------------------------------------------------- mock
"$JAVA" "${TOOL_JVM[@]}" -cp "$WORK/classes" MockUpstream --port 0 >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
MOCK_URL="$(wait_for "$WORK/mock.log" 'http://127\.0\.0\.1:[0-9]+/' "$MOCK_PID")"
MOCK_PORT="${MOCK_URL##*:}"; MOCK_PORT="${MOCK_PORT%/}"
log "mock on $MOCK_URL (pid $MOCK_PID)"

# ---------------------------------------------------------------- PlugAI
DATA="$WORK/plugai-data"
mkdir -p "$DATA"
cat >"$DATA/config.yaml" <<EOF
server:
  max-concurrent-requests: 10000   # default 256 would refuse the memory phase's streams with 503
  max-connections: 20000
providers:
  retries: 0                       # a benchmark must see failures, not hide them behind retries
  instances:
    mock:
      kind: openai-compatible
      base-url: http://127.0.0.1:$MOCK_PORT/v1
      models: [bench-model, stream-64x20, stream-600x500]
EOF
printf '%s\n' 'a long benchmark passphrase 123' \
  | "$ROOT/plugai" users add --admin --username bench --password-stdin --data-dir "$DATA" >&2
TOKEN="$("$ROOT/plugai" tokens create --user bench --name bench --scopes models:read,generate,admin \
  --data-dir "$DATA" | tail -n 1 | tr -d '[:space:]')"

PLUGAI_PID=""; PLUGAI_URL=""
start_plugai() {
  "$ROOT/plugai" --server --port 0 --data-dir "$DATA" >"$WORK/plugai.log" 2>&1 &
  PLUGAI_PID=$!; PIDS+=("$PLUGAI_PID")
  PLUGAI_URL="$(wait_for "$WORK/plugai.log" 'listening on http://[0-9.:]+/' "$PLUGAI_PID" | sed 's/listening on //')"
  until curl -fs -o /dev/null "${PLUGAI_URL}v1/health"; do sleep 0.05; done
  log "PlugAI on $PLUGAI_URL (pid $PLUGAI_PID)"
}
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
start_plugai
auth=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
# A dummy operator credential shared with users: the openai-compatible kind needs one; the mock ignores it.
curl -fsS -X PUT "${auth[@]}" "${PLUGAI_URL}v1/admin/credentials/mock" \
  -d '{"secret":{"type":"api_key","key":"sk-bench-dummy"},"shared_with_users":true}' >/dev/null
curl -fsS -X POST "${auth[@]}" "${PLUGAI_URL}v1/admin/providers/mock/refresh" >/dev/null

# ---------------------------------------------------------------- Portkey
PORTKEY_PID=""; PORTKEY_PORT="${PORTKEY_PORT:-}"
start_portkey() {
  [ -n "$PORTKEY_PORT" ] || PORTKEY_PORT="$(free_port)"
  node "$PORTKEY_JS" --port="$PORTKEY_PORT" --headless >"$WORK/portkey.log" 2>&1 &
  PORTKEY_PID=$!; PIDS+=("$PORTKEY_PID")
  until curl -fs -o /dev/null "http://127.0.0.1:$PORTKEY_PORT/"; do
    kill -0 "$PORTKEY_PID" 2>/dev/null || { cat "$WORK/portkey.log" >&2; exit 1; }
    sleep 0.1
  done
  log "Portkey on http://127.0.0.1:$PORTKEY_PORT/ (pid $PORTKEY_PID)"
}
start_portkey

# ---------------------------------------------------------------- the three paths
MSG='"messages":[{"role":"user","content":"Hello"}]'
declare -A URL BODY SBODY HBODY MARKER EXPECT
URL[direct]="${MOCK_URL}v1/chat/completions"
URL[plugai]="${PLUGAI_URL}v1/generate"
BODY[direct]="{\"model\":\"bench-model\",$MSG}"
BODY[plugai]="{\"model\":\"mock/bench-model\",$MSG}"
SBODY[direct]="{\"model\":\"stream-64x20\",$MSG,\"stream\":true}"
SBODY[plugai]="{\"model\":\"mock/stream-64x20\",$MSG,\"stream\":true}"
HBODY[direct]="{\"model\":\"stream-600x500\",$MSG,\"stream\":true}"
HBODY[plugai]="{\"model\":\"mock/stream-600x500\",$MSG,\"stream\":true}"
MARKER[direct]='"content":"tok0'
MARKER[plugai]='event: delta'
EXPECT[direct]='Hello from the mock'
EXPECT[plugai]='Hello from the mock'
portkey_url() { echo "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"; }
URL[portkey]="$(portkey_url)"
BODY[portkey]="${BODY[direct]}"; SBODY[portkey]="${SBODY[direct]}"; HBODY[portkey]="${HBODY[direct]}"
MARKER[portkey]="${MARKER[direct]}"; EXPECT[portkey]="${EXPECT[direct]}"
headers() {
  case "$1" in
    direct) printf '%s\n' --header 'Authorization: Bearer sk-bench-dummy' ;;
    plugai) printf '%s\n' --header "Authorization: Bearer $TOKEN" ;;
    portkey) printf '%s\n' --header 'Authorization: Bearer sk-bench-dummy' --header 'x-portkey-provider: openai' \
      --header "x-portkey-custom-host: http://127.0.0.1:$MOCK_PORT/v1" ;;
  esac
}
PATHS=(direct plugai portkey)

log "sanity: one request per path"
for p in "${PATHS[@]}"; do
  mapfile -t h < <(headers "$p")
  curl_h=(); for ((i = 1; i < ${#h[@]}; i += 2)); do curl_h+=(-H "${h[$i]}"); done
  answer="$(curl -fsS "${curl_h[@]}" -H 'Content-Type: application/json' "${URL[$p]}" -d "${BODY[$p]}")"
  echo "$p: $answer" | cut -c1-300 >&2
  grep -q "${EXPECT[$p]}" <<<"$answer" || { echo "$p does not answer as expected" >&2; exit 1; }
done

{
  echo "# gateway benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "# $("$JAVA" -version 2>&1 | head -n 1); node $(node --version); PlugAI $(git -C "$ROOT" rev-parse --short HEAD); Portkey $PORTKEY_VERSION"
  echo "# settings: C1 ${C1_WARMUP}+${ROUNDS}x${C1_REQUESTS}, rates $RATES x ${DURATION}s (warm-up ${WARMUP_S}s each), $STREAMS streams, $HOLD_STREAMS held streams"
} | record

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
# Each phase starts on freshly started gateways (FRESH=0 keeps one process for the whole run), so that what
# one phase leaves behind (heap, PlugAI's retained finished jobs) does not spill into the next.
fresh_gateways() {
  if [ "${FRESH:-1}" = 1 ]; then
    stop_pid "$PLUGAI_PID"; start_plugai
    stop_pid "$PORTKEY_PID"; start_portkey
    URL[plugai]="${PLUGAI_URL}v1/generate"; URL[portkey]="$(portkey_url)"
    warm_gateways
  fi
}
# JIT and connection warm-up of a fresh gateway: C1_WARMUP requests one after another.
warm_gateways() {
  local p
  for p in plugai portkey; do
    mapfile -t h < <(headers "$p")
    loadgen c1 --label "$p-warmup" --url "${URL[$p]}" --body "${BODY[$p]}" "${h[@]}" --expect "${EXPECT[$p]}" \
      --warmup "$C1_WARMUP" --rounds 1 --requests 1 >/dev/null 2>&1 || true
  done
}

# ---------------------------------------------------------------- a) concurrency 1
if has_phase c1; then
  for p in "${PATHS[@]}"; do
    log "c1: $p"
    mapfile -t h < <(headers "$p")
    loadgen c1 --label "$p" --url "${URL[$p]}" --body "${BODY[$p]}" "${h[@]}" --expect "${EXPECT[$p]}" \
      --warmup "$C1_WARMUP" --rounds "$ROUNDS" --requests "$C1_REQUESTS" | record || echo "FAILED c1 $p" | record
  done
fi

# ---------------------------------------------------------------- b) rate sweep
if has_phase rate; then
  fresh_gateways
  for p in "${PATHS[@]}"; do
    log "rate sweep: $p ($RATES)"
    mapfile -t h < <(headers "$p")
    loadgen rate --label "$p" --url "${URL[$p]}" --body "${BODY[$p]}" "${h[@]}" --expect "${EXPECT[$p]}" \
      --rate "$RATES" --duration "$DURATION" --warmup-seconds "$WARMUP_S" --stop-p99-ms 200 | record \
      || echo "FAILED rate $p" | record
  done
fi

# ---------------------------------------------------------------- c) streaming TTFB
if has_phase stream; then
  fresh_gateways
  for p in "${PATHS[@]}"; do
    log "streams: $p"
    mapfile -t h < <(headers "$p")
    loadgen stream --label "$p" --url "${URL[$p]}" --body "${SBODY[$p]}" "${h[@]}" --marker "${MARKER[$p]}" \
      --warmup 5 --requests "$STREAMS" | record || echo "FAILED stream $p" | record
  done
fi

# ---------------------------------------------------------------- d) memory per concurrent stream
if has_phase hold; then
  # Always fresh gateways here, so that earlier phases' heap growth does not hide the streams' cost.
  FRESH=1 fresh_gateways
  for p in plugai portkey; do
    pid=$([ "$p" = plugai ] && echo "$PLUGAI_PID" || echo "$PORTKEY_PID")
    mapfile -t h < <(headers "$p")
    log "hold: $p warm-up"
    loadgen c1 --label "$p-warmup" --url "${URL[$p]}" --body "${BODY[$p]}" "${h[@]}" --expect "${EXPECT[$p]}" \
      --warmup 500 --rounds 1 --requests 500 >/dev/null || true
    loadgen stream --label "$p-warmup" --url "${URL[$p]}" --body "${SBODY[$p]}" "${h[@]}" \
      --marker "${MARKER[$p]}" --warmup 0 --requests 3 >/dev/null || true
    sleep 5
    log "hold: $p with $HOLD_STREAMS streams"
    loadgen hold --label "$p" --url "${URL[$p]}" --body "${HBODY[$p]}" "${h[@]}" --marker "${MARKER[$p]}" \
      --count "$HOLD_STREAMS" --pid "$pid" --settle 5 | record || echo "FAILED hold $p" | record
    sleep 3
  done
fi

# ---------------------------------------------------------------- table
log "summary"
python3 "$ROOT/bench/gateway/summary.py" "$OUT" | record
