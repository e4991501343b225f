#!/usr/bin/env bash
# Signed request throughput (issue 5): blocking and async SDK against a raw unsigned loop.
# Usage: bench/run-requests.sh [N]   (default 5000 requests per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dmaven.test.skip=true install -pl bench -am 1>&2
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" 1>&2
exec java -cp "$(cat bench/target/classpath.txt):bench/target/classes" ai.backend.bench.RequestBench "$@"
