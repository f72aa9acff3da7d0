#!/usr/bin/env bash
# Crash soak, outside the default test suite: the packaged jar under mixed writes and SSE
# subscribers, killed with SIGKILL every --kill-every seconds for --minutes; after each restart it
# checks that no acknowledged write is lost, the changelog is gapless and every subscriber resumed
# exactly (see bench/src/main/java/io/jormundb/bench/Soak.java and docs/limits.md).
#
#   scripts/soak.sh [--minutes 5] [--kill-every 20] [--writers 4] [--subscribers 3] [--jar PATH]
#
# Builds the jar first (SOAK_BUILD=0 skips that); MVN picks the Maven command (default: mvn).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="${MVN:-mvn}"
if [ "${SOAK_BUILD:-1}" = 1 ] || [ ! -f api/target/jormundb.jar ]; then
  echo "soak: building the jar"
  $MVN -q -DskipTests install
fi
exec $MVN -q -pl bench exec:java -Dexec.mainClass=io.jormundb.bench.Soak -Dexec.args="$*"
