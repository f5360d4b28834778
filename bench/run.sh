#!/usr/bin/env bash
# One command for the end-to-end benchmark: builds the harness, prepares the peers (node-ws,
# vertx, go-gorilla, spring-boot in scratch copies under roomcast-bench/target/peers), raises the
# open-file limit and runs every scenario against them, seed-python, the floor and roomcast.
#
#   bench/run.sh --quick                       # smoke test: small sizes, ~1 min per server
#   bench/run.sh                               # full run (3 reps, medians)
#   bench/run.sh --scenarios fanout,idle --servers node-ws,seed-python
#   bench/run.sh --roomcast-cmd "java -XX:MaxRAM=512m -jar roomcast-example/target/roomcast-example.jar"
#   bench/run.sh --help                        # every option of the harness
#
# Script-only flags (must come first): --skip-build, --skip-npm, --skip-peers (do not build the
# vertx, go-gorilla and spring-boot copies), --no-redis (do not start a redis-server for the redis
# scenario; by default one is started on a free port unless --redis-env is given).
# Env: PEERS_DIR (default ../shared/peers next to the repo), MVN (default ./mvnw),
#      BENCH_JAVA_OPTS (default -Xms512m -Xmx2g), ROOMCAST_CMD (roomcast start command).
# Results: roomcast-bench/target/bench-results/<timestamp>/{runs.csv,summary.csv,results.json,sweep.png,logs/}
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS_DIR=${PEERS_DIR:-$(cd "$ROOT/.." && pwd)/shared/peers}
MVN=${MVN:-./mvnw}
PEER_BUILDS="$ROOT/roomcast-bench/target/peers"
NODE_DIR="$PEER_BUILDS/node-ws"
JAR="$ROOT/roomcast-bench/target/roomcast-bench.jar"

build=1
npm_install=1
build_peers=1
start_redis=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-build) build=0; shift ;;
    --skip-npm) npm_install=0; shift ;;
    --skip-peers) build_peers=0; shift ;;
    --no-redis) start_redis=0; shift ;;
    *) break ;;
  esac
done

if [[ $build == 1 ]]; then
  echo "== building roomcast-bench and the roomcast example server"
  # offline first (the machine shares a cached ~/.m2), online only if something is missing
  "$MVN" -q -o -pl roomcast-bench,roomcast-example -am package -DskipTests \
    || "$MVN" -q -pl roomcast-bench,roomcast-example -am package -DskipTests
fi
[[ -f "$JAR" ]] || { echo "missing $JAR; run without --skip-build" >&2; exit 1; }

if [[ $npm_install == 1 && -d "$PEERS_DIR/node-ws" ]]; then
  # the peers folder is read-only in CI: install into a copy under target/
  if [[ ! -d "$NODE_DIR/node_modules/ws" ]] || ! cmp -s "$PEERS_DIR/node-ws/package.json" "$NODE_DIR/package.json"; then
    echo "== preparing node-ws peer in $NODE_DIR"
    mkdir -p "$NODE_DIR"
    cp "$PEERS_DIR/node-ws/package.json" "$PEERS_DIR/node-ws/server.mjs" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error)
  else
    cp "$PEERS_DIR/node-ws/server.mjs" "$NODE_DIR/"
  fi
fi

# vertx, go-gorilla, spring-boot: copy the read-only source to target/peers/<name> and run its
# ./build.sh there, only when the source changed since the last build. A build that fails (no
# Maven Central, no apt for go) leaves no artifact; the harness then skips that peer with a note.
build_peer() {
  local name=$1 artifact=$2 src="$PEERS_DIR/$1" dst="$PEER_BUILDS/$1"
  [[ -d "$src" ]] || { echo "note: no $src, $name will be skipped"; return 0; }
  if [[ -e "$dst/$artifact" ]] && diff -rq "$src" "$dst" -x target -x build.log -x "$(basename "$artifact")" >/dev/null 2>&1; then
    return 0
  fi
  echo "== building peer $name in $dst"
  rm -rf "$dst"
  mkdir -p "$PEER_BUILDS"
  cp -r "$src" "$dst"
  chmod -R u+w "$dst"
  # the peers call "$MVN" as one word: hand them this build's Maven (and its local repository)
  if ! (cd "$dst" && MVN="$PEER_BUILDS/mvn" ./build.sh) >"$dst/build.log" 2>&1; then
    echo "note: building $name failed, it will be skipped; see $dst/build.log:"
    tail -5 "$dst/build.log" | sed 's/^/  /'
    rm -f "$dst/$artifact"
  fi
}
if [[ $build_peers == 1 ]]; then
  mkdir -p "$PEER_BUILDS"
  read -r -a mvn_words <<<"$MVN"
  [[ ${mvn_words[0]} == ./* ]] && mvn_words[0]="$ROOT/${mvn_words[0]#./}"
  printf '#!/bin/sh\nexec %s "$@"\n' "${mvn_words[*]}" >"$PEER_BUILDS/mvn"
  chmod +x "$PEER_BUILDS/mvn"
  build_peer vertx target/peer-vertx.jar
  build_peer go-gorilla peer-gorilla
  build_peer spring-boot target/peer-spring-boot.jar
fi

if ! "${PYTHON:-/usr/bin/python3}" -c "import websockets" 2>/dev/null; then
  echo "note: python3-websockets missing, seed-python will be skipped (apt-get install -y python3-websockets)"
fi

# 15,000 idle sockets on the harness side; servers inherit the limit (max 20,000 per process)
ulimit -n 20000 2>/dev/null || echo "warning: could not raise ulimit -n (now $(ulimit -n))"

# The redis scenario needs one Redis for the two roomcast instances: unless --redis-env is given
# (or --no-redis), start a throwaway redis-server on a free loopback port (never the machine's
# 6379), without persistence, and stop it when the harness ends.
redis_args=()
redis_pid=
if [[ " $* " != *" --redis-env "* && $start_redis == 1 ]]; then
  if command -v redis-server >/dev/null; then
    redis_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
      --protected-mode yes --logfile '' >/dev/null 2>&1 &
    redis_pid=$!
    trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 50); do
      redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    echo "== redis-server for the redis scenario on 127.0.0.1:$redis_port (pid $redis_pid)"
    redis_args=(--redis-env "REDIS_URL=redis://127.0.0.1:$redis_port")
  else
    echo "note: redis-server not on PATH, roomcast/redis will be skipped (apt-get install -y redis-server)"
  fi
fi

# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -Djava.awt.headless=true -jar "$JAR" \
  --peers-dir "$PEERS_DIR" --node-dir "$NODE_DIR" --peer-builds "$PEER_BUILDS" "${redis_args[@]}" "$@"
