# shellcheck shell=bash
# Finds a JDK >= 21 and exports JAVA_HOME to it. Sourced by ./plugai, ./run-tests and .ci/run.
# Order: $PLUGAI_JAVA_HOME, $JAVA_HOME, `java` on the PATH, then the usual install locations
# (newest first). Says what to install and returns 1 when none is found.

PLUGAI_MIN_JAVA=21

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing when it is not a JDK.
plugai_java_feature() {
  local home="$1" version=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

# Prints the folders that may hold a JDK, one a line. PLUGAI_JDK_DIRS (colon-separated folders of
# JDKs) replaces the usual locations; the tests use it.
plugai_jdk_candidates() {
  local dir
  if [ -n "${PLUGAI_JDK_DIRS:-}" ]; then
    local IFS=:
    for dir in $PLUGAI_JDK_DIRS; do
      printf '%s\n' "$dir"/*
    done
  else
    printf '%s\n' /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home
  fi
}

plugai_find_java() {
  local candidate feature best="" best_feature=0
  for candidate in "${PLUGAI_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
    [ -n "$candidate" ] || continue
    feature=$(plugai_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$PLUGAI_MIN_JAVA" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    feature=$(plugai_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$PLUGAI_MIN_JAVA" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  while IFS= read -r candidate; do
    [ -d "$candidate" ] || continue
    feature=$(plugai_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$PLUGAI_MIN_JAVA" ] && [ "$feature" -gt "$best_feature" ]; then
      best="$candidate"
      best_feature="$feature"
    fi
  done < <(plugai_jdk_candidates)
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  cat >&2 <<'MSG'
PlugAI needs a JDK 21 or newer (25 recommended), and none was found.
Looked at $PLUGAI_JAVA_HOME, $JAVA_HOME, `java` on the PATH, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman and ~/.jdks.
Install one, for example:
  Debian/Ubuntu:  sudo apt-get install temurin-25-jdk   (from the Adoptium repository), or openjdk-21-jdk where offered
  macOS:          brew install --cask temurin@25
  Windows:        winget install EclipseAdoptium.Temurin.25.JDK
Or point PLUGAI_JAVA_HOME (or JAVA_HOME) at an installed JDK >= 21.
MSG
  return 1
}
