#!/usr/bin/env bash
# End-to-end execution benchmarks (issue 3): builds the modules, then runs ExecutionBench against an
# in-process local server. Usage: bench/run-execution.sh [MEGABYTES_OF_OUTPUT]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dmaven.test.skip=true install -pl bench -am 1>&2
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" 1>&2
CP="$(cat bench/target/classpath.txt):bench/target/classes"
exec java -cp "$CP" ai.backend.bench.ExecutionBench "$@"
