#!/usr/bin/env bash
# Generation benchmark: llama.cpp runner decode speed and time to first token on a generated ~260 MB
# GGUF, the latency HTTP + SSE adds to the first token (p50/p99), and resident memory idle / with the
# default model / with one more model. Prints figures; asserts nothing.
#   bench/generation.sh            (ROUNDS=30 by default: ROUNDS=100 bench/generation.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
plugai_find_java || exit 1
cd "$ROOT"
./mvnw -q -B -DskipTests install -pl server-http -am >&2
./mvnw -q -B -pl server-http org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable="$JAVA_HOME/bin/java" \
  -Dexec.classpathScope=test \
  -Dexec.args="--enable-native-access=ALL-UNNAMED -Drounds=${ROUNDS:-30} -Dai.djl.offline=true -classpath %classpath dev.plugai.http.bench.GenerationBench"
