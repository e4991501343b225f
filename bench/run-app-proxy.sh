#!/usr/bin/env bash
# The app proxy against the service it fronts: a download through the files app, and small GETs.
# Usage: bench/run-app-proxy.sh [MEGABYTES]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dmaven.test.skip=true install -pl bench -am 1>&2
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" 1>&2
exec java -cp "$(cat bench/target/classpath.txt):bench/target/classes" ai.backend.bench.AppProxyBench "$@"
