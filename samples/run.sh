#!/usr/bin/env bash
# Runs a sample against a running JormunDB, from a fresh clone (it compiles what it needs):
#   samples/run.sh fulfilment [--place 3] [--endpoint http://localhost:8002] [--mqtt-host localhost] [--mqtt-port 1883]
# Needs a JDK 21+ as `java` and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
sample="${1:-}"
[ $# -gt 0 ] && shift
case "$sample" in
    fulfilment) main=io.jormundb.samples.fulfilment.FulfilmentApp ;;
    *) echo "usage: samples/run.sh fulfilment [--option value]..." >&2; exit 2 ;;
esac
mvn -q -B -ntp ${MAVEN_ARGS:-} -pl samples compile
mvn -q -B -ntp ${MAVEN_ARGS:-} -pl samples dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "samples/target/classes:$(cat samples/target/classpath.txt)" "$main" "$@"
