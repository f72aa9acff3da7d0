#!/usr/bin/env bash
# Crash soak, outside the default test suite: the packaged jar under mixed writes and SSE
# subscribers, killed with SIGKILL every --kill-every seconds for --minutes; after each restart it
# checks that no acknowledged write is lost, the changelog is gapless and every subscriber resumed
# exactly (see bench/src/main/java/io/jormundb/bench/Soak.java and docs/limits.md).
#
#   scripts/soak.sh [--minutes 5] [--kill-every 20] [--writers 4] [--subscribers 3] [--jar PATH]
#
# Builds the jar and the harness first (SOAK_BUILD=0 skips that); MVN picks the Maven command
# (default: mvn); needs a JDK 21+ as `java`.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="${MVN:-mvn}"
if [ "${SOAK_BUILD:-1}" = 1 ] || [ ! -f api/target/jormundb.jar ]; then
  echo "soak: building the jar"
  $MVN -q -B -ntp ${MAVEN_ARGS:-} -DskipTests install
fi
$MVN -q -B -ntp ${MAVEN_ARGS:-} -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jormundb.bench.Soak "$@"
