#!/usr/bin/env bash
# Start-up benchmark: time from launching `./plugai --server --port 0` (fresh data folder each run)
# to the first 200 from /v1/health, over N runs (default 5), and the idle resident memory (RSS)
# of the server 10 s after it became healthy. Prints the figures; nothing is asserted.
#   bench/startup.sh [runs]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
"$ROOT/plugai" --version >/dev/null   # builds first if needed, outside the measurement

times=()
rss_kib=()
for run in $(seq 1 "$RUNS"); do
  data=$(mktemp -d)
  out=$(mktemp)
  start=$(date +%s%N)
  "$ROOT/plugai" --server --port 0 --data-dir "$data" --set log.file=false >"$out" 2>&1 &
  pid=$!
  url=""
  until [ -n "$url" ]; do
    url=$(grep -o 'listening on http://[0-9.:]*/' "$out" | head -n 1 | sed 's/listening on //') || true
    kill -0 "$pid" 2>/dev/null || { echo "server died:"; cat "$out"; exit 1; }
    [ -n "$url" ] || sleep 0.01
  done
  until curl -fs -o /dev/null "${url}v1/health"; do sleep 0.01; done
  end=$(date +%s%N)
  times+=("$(( (end - start) / 1000000 ))")
  sleep 10
  # The launcher execs java, so $pid is the JVM.
  rss_kib+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")")
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$out"
  echo "run $run: healthy after ${times[-1]} ms, idle RSS $(( rss_kib[-1] / 1024 )) MiB"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "---"
echo "start-up to healthy /v1/health: median $(median "${times[@]}") ms over $RUNS runs (all: ${times[*]} ms)"
echo "idle RSS 10 s after healthy:    median $(( $(median "${rss_kib[@]}") / 1024 )) MiB (all KiB: ${rss_kib[*]})"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 || true)"
