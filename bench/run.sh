#!/usr/bin/env bash
# Runs the load and latency harness: bench/run.sh <command> [--option value]...
# Commands: load, compare, feeds, fanout-sse, fanout-mqtt, warmup, scale, smoke (see Bench.java and BENCHMARKS.md).
# Needs a JDK 21+ as `java` and Maven; builds the server jar and the harness first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f api/target/jormundb.jar ] || [ ! -d bench/target/classes ]; then
    mvn -q -B -ntp ${MAVEN_ARGS:-} -DskipTests package
fi
mvn -q -B -ntp ${MAVEN_ARGS:-} -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jormundb.bench.Bench "$@"
