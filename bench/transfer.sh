#!/usr/bin/env bash
# Vfolder transfer benchmark (issue 4): a file of SIZE_MB (default 1024) uploaded to and downloaded from a
# local server by curl and by the SDK (client JVM limited to -Xmx64m), side by side, with peak RSS figures.
# Usage: bench/transfer.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-1024}"
mvn -B -q -Dmaven.test.skip=true install -pl bench,cli -am 1>&2
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" 1>&2
CP="$(cat bench/target/classpath.txt):bench/target/classes"

WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
java -cp cli/target/backend.ai.jar ai.backend.cli.Main server --port 0 --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 200); do grep -q "listening on" "$WORK/server.log" 2>/dev/null && break; sleep 0.1; done
ENDPOINT="$(grep -o 'http://[0-9.:]*' "$WORK/server.log" | head -1)"
AK="$(grep '^user.access_key' "$WORK/data/credentials.properties" | cut -d= -f2)"
SK="$(grep '^user.secret_key' "$WORK/data/credentials.properties" | cut -d= -f2-)"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$WORK/big.bin"
SIZE=$(stat -c %s "$WORK/big.bin")
echo "file: $SIZE bytes; server $ENDPOINT"

hdrs() { python3 bench/sign.py "$@" "$ENDPOINT" "$AK" "$SK" | sed 's/^/-H\n/'; }
mapfile -t H < <(hdrs POST /folders application/json)
curl -sf "${H[@]}" -H 'Content-Type: application/json' -d '{"name": "bench", "host": null}' "$ENDPOINT/folders" > /dev/null

mapfile -t H < <(hdrs POST /folders/bench/upload multipart/form-data)
T0=$(date +%s.%N)
curl -sf "${H[@]}" -F "src=@$WORK/big.bin;filename=big.bin;type=application/octet-stream" "$ENDPOINT/folders/bench/upload"
T1=$(date +%s.%N)
mapfile -t H < <(hdrs GET /folders/bench/download application/json)
curl -sf "${H[@]}" -H 'Content-Type: application/json' -X GET -d '{"files": ["big.bin"]}' -o "$WORK/curl-download" \
    "$ENDPOINT/folders/bench/download"
T2=$(date +%s.%N)
python3 - "$SIZE" "$T0" "$T1" "$T2" <<'PY'
import sys
size, t0, t1, t2 = int(sys.argv[1]), *map(float, sys.argv[2:])
print("curl upload   %.1f MB/s (%.2f s)" % (size / 1e6 / (t1 - t0), t1 - t0))
print("curl download %.1f MB/s (%.2f s) (gzip parts written as received)" % (size / 1e6 / (t2 - t1), t2 - t1))
PY
mkdir -p "$WORK/sdk-download"
java -Xmx64m ${SDK_OPTS:-} -cp "$CP" ai.backend.bench.TransferBench "$ENDPOINT" "$AK" "$SK" bench "$WORK/big.bin" "$WORK/sdk-download"
cmp -s "$WORK/big.bin" "$WORK/sdk-download/big.bin" && echo "sdk download is byte-exact" || echo "SDK DOWNLOAD DIFFERS"
echo "server peak RSS $(( $(grep VmHWM /proc/$SERVER/status | tr -dc 0-9) / 1024 )) MiB"
