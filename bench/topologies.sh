#!/usr/bin/env bash
# The end-to-end benchmark per Redis topology (issue 16): the 1,000-member room split over two
# roomcast instances on one Redis, on 3 independent Redis servers (REDIS_SHARDS) and on a
# 3-primary Redis Cluster (REDIS_CLUSTER_NODES, 3 replicas), in one run.
#
#   bench/topologies.sh                  # 3 rounds, full sizes (about 20-30 minutes)
#   bench/topologies.sh --rounds 1 --quick
#   bench/topologies.sh --skip-build --rounds 2 --step-max 6
#
# Script flags (must come first): --skip-build, --rounds N (default 3), --topologies LIST
# (default one,shards,cluster). Everything else goes to the harness (see bench/run.sh --help).
# Env: MVN (default ./mvnw), BENCH_JAVA_OPTS, ROOMCAST_CMD (start command of one instance).
#
# Every redis-server runs on a free loopback port (never the machine's 6379), without persistence,
# in a temporary directory; all of them are started first and stopped at the end. Each round runs
# the topologies in turn (so a noisy machine's load spreads over all of them); a turn starts the
# two roomcast instances with that topology's env, runs the harness's `redis` scenario (delivery,
# loss, duplicates/reordering, p99) and `step` (publish rate at saturation; with two instances its
# room is split the same way), and stops them. The table gives the medians over the rounds and the
# ratios against one Redis, and each redis-server's CPU during its topology's turns.
# Results: roomcast-bench/target/bench-results/topologies-<timestamp>/{table.md,<topology>-<round>/}
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MVN=${MVN:-./mvnw}
JAR="$ROOT/roomcast-bench/target/roomcast-bench.jar"
ROOMCAST_CMD=${ROOMCAST_CMD:-java -XX:MaxRAM=512m -XX:MaxRAMPercentage=70 -Xmn32m -XX:+UseSerialGC -Xss256k -jar roomcast-example/target/roomcast-example.jar}
# as bench/run.sh gives roomcast: notices off, senders above the publish limit, room for clients
ROOMCAST_ENV=(ROOMCAST_NOTICES=off ROOMCAST_PUBLISH_RATE=100000 ROOMCAST_MAX_CONNECTIONS=20000
  ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS=0 ROOMCAST_MAX_PENDING_PER_ADDRESS=20000
  ROOMCAST_MAX_PENDING_CONNECTIONS=20000)

build=1
rounds=3
topologies=one,shards,cluster
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-build) build=0; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --topologies) topologies=$2; shift 2 ;;
    *) break ;;
  esac
done
command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
  || { echo "needs redis-server and redis-cli on PATH" >&2; exit 1; }

if [[ $build == 1 ]]; then
  echo "== building roomcast-bench and the roomcast example server"
  $MVN -q -B -pl roomcast-bench,roomcast-example -am package -DskipTests
fi
[[ -f "$JAR" ]] || { echo "missing $JAR; run without --skip-build" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || echo "warning: could not raise ulimit -n (now $(ulimit -n))"

OUT="$ROOT/roomcast-bench/target/bench-results/topologies-$(date -u +%Y%m%dT%H%M%SZ)"
WORK=$(mktemp -d)
mkdir -p "$OUT"

# Only what this script started is stopped, by pid.
redis_pids=()
app_pids=()
cleanup() {
  for p in "${app_pids[@]}" "${redis_pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${app_pids[@]}" "${redis_pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_ports() { # N distinct free loopback ports, none of them 6379
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
while len(socks) < int(sys.argv[1]):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    if s.getsockname()[1] in (6379,) or s.getsockname()[1] > 55000:
        continue  # the cluster bus listens on port + 10000
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

declare -A redis_pid_of # port -> pid
start_redis() { # port [extra args...]
  local port=$1; shift
  mkdir -p "$WORK/$port"
  (cd "$WORK/$port" && exec redis-server --port "$port" --bind 127.0.0.1 --save '' \
    --appendonly no --protected-mode yes --logfile redis.log "$@") &
  redis_pids+=($!)
  redis_pid_of[$port]=$!
}
await_redis() { # port
  for _ in $(seq 100); do
    redis-cli -p "$1" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server on $1 did not start" >&2
  exit 1
}

read -r -a ports <<<"$(free_ports 10)"
one_port=${ports[0]}
shard_ports=("${ports[@]:1:3}")
cluster_ports=("${ports[@]:4:6}")

echo "== starting redis-servers: one $one_port, shards ${shard_ports[*]}, cluster ${cluster_ports[*]}"
start_redis "$one_port"
for p in "${shard_ports[@]}"; do start_redis "$p"; done
for p in "${cluster_ports[@]}"; do
  start_redis "$p" --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 5000
done
for p in "$one_port" "${shard_ports[@]}" "${cluster_ports[@]}"; do await_redis "$p"; done
cluster_seeds=()
for p in "${cluster_ports[@]}"; do cluster_seeds+=("127.0.0.1:$p"); done
redis-cli --cluster create "${cluster_seeds[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/create.log" 2>&1 \
  || { cat "$WORK/create.log" >&2; exit 1; }
for _ in $(seq 300); do
  ok=1
  for p in "${cluster_ports[@]}"; do
    redis-cli -p "$p" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
  done
  [[ $ok == 1 ]] && break
  sleep 0.1
done
[[ $ok == 1 ]] || { echo "the cluster did not reach cluster_state:ok" >&2; exit 1; }

shard_urls=()
for p in "${shard_ports[@]}"; do shard_urls+=("redis://127.0.0.1:$p"); done
env_of() { # topology -> the env line the example server reads
  case "$1" in
    one) echo "REDIS_URL=redis://127.0.0.1:$one_port" ;;
    shards) (IFS=,; echo "REDIS_SHARDS=${shard_urls[*]}") ;;
    cluster) (IFS=,; echo "REDIS_CLUSTER_NODES=${cluster_seeds[*]}") ;;
    *) echo "unknown topology $1" >&2; exit 1 ;;
  esac
}
redis_ports_of() {
  case "$1" in
    one) echo "$one_port" ;;
    shards) echo "${shard_ports[*]}" ;;
    cluster) echo "${cluster_ports[*]}" ;;
  esac
}
cpu_ticks() { # pid -> utime+stime in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

start_app() { # topology port log; sets app_pid
  local topo=$1 port=$2 log=$3
  # shellcheck disable=SC2086
  env "${ROOMCAST_ENV[@]}" "$(env_of "$topo")" PORT="$port" $ROOMCAST_CMD >"$log" 2>&1 &
  app_pid=$!
  app_pids+=("$app_pid")
}
await_ready() { # port pid
  for _ in $(seq 600); do
    kill -0 "$2" 2>/dev/null || { echo "roomcast on $1 exited" >&2; return 1; }
    curl -fs "http://127.0.0.1:$1/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "roomcast on $1 not ready after 60 s" >&2
  return 1
}

IFS=, read -r -a topo_list <<<"$topologies"
for round in $(seq "$rounds"); do
  for topo in "${topo_list[@]}"; do
    echo "== round $round/$rounds: $topo ($(env_of "$topo"))"
    read -r a_port b_port <<<"$(free_ports 2)"
    run_dir="$OUT/$topo-$round"
    mkdir -p "$run_dir"
    start_app "$topo" "$a_port" "$run_dir/instance-a.log"
    a_pid=$app_pid
    start_app "$topo" "$b_port" "$run_dir/instance-b.log"
    b_pid=$app_pid
    await_ready "$a_port" "$a_pid"
    await_ready "$b_port" "$b_pid"
    declare -A ticks0=()
    for p in $(redis_ports_of "$topo"); do ticks0[$p]=$(cpu_ticks "${redis_pid_of[$p]}"); done
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    java ${BENCH_JAVA_OPTS:--Xms512m -Xmx2g} -Djava.awt.headless=true -jar "$JAR" \
      --url "ws://127.0.0.1:$a_port" --url2 "ws://127.0.0.1:$b_port" --pid "$a_pid,$b_pid" \
      --name "$topo" --scenarios redis,step --reps 1 --out "$run_dir" "$@" \
      | tee "$run_dir/harness.log" || echo "harness failed for $topo round $round"
    t1=$(date +%s.%N)
    for p in $(redis_ports_of "$topo"); do
      echo "$p $(cpu_ticks "${redis_pid_of[$p]}") ${ticks0[$p]} $t0 $t1"
    done >"$run_dir/redis-cpu.txt"
    kill "$a_pid" "$b_pid" 2>/dev/null || true
    wait "$a_pid" 2>/dev/null || true
    wait "$b_pid" 2>/dev/null || true
  done
done

python3 - "$OUT" "$(getconf CLK_TCK)" "${topo_list[@]}" <<'EOF' | tee "$OUT/table.md"
import csv, glob, os, statistics, sys
out, hz, topos = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
# what must be 0 is summed over the rounds, so one bad round cannot hide behind a median
SUMMED = {"loss", "duplicate_or_reordered", "send_failures", "connect_failures"}
rows = [  # (label, scenario, metric)
    ("delivered", "redis", "delivered"),
    ("expected", "redis", "expected"),
    ("loss, sum over rounds", "redis", "loss"),
    ("duplicate_or_reordered, sum over rounds", "redis", "duplicate_or_reordered"),
    ("send_failures, sum over rounds", "redis", "send_failures"),
    ("p50_ms", "redis", "p50_ms"),
    ("p99_ms", "redis", "p99_ms"),
    ("host_busy_pct", "redis", "host_busy_pct"),
    # saturation_delivered_per_s is left out: it is missing in a round where no step passed,
    # and a median over the other rounds only would not compare
    ("step: saturation_msg_per_s", "step", "saturation_msg_per_s"),
    ("step: peak_delivered_per_s", "step", "peak_delivered_per_s"),
    ("step: failed_at_msg_per_s", "step", "failed_at_msg_per_s"),
]
vals = {}  # (topo, scenario, metric) -> [per round]
cpu = {}  # topo -> [max redis-server % of one core per round]
for t in topos:
    for d in sorted(glob.glob(os.path.join(out, t + "-*"))):
        for f in glob.glob(os.path.join(d, "*", "runs.csv")):
            for r in csv.DictReader(open(f)):
                try:
                    vals.setdefault((t, r["scenario"], r["metric"]), []).append(float(r["value"]))
                except ValueError:
                    pass
        c = os.path.join(d, "redis-cpu.txt")
        if os.path.exists(c):
            pcts = []
            for line in open(c):
                port, t1, t0, w0, w1 = line.split()
                pcts.append(100.0 * (int(t1) - int(t0)) / hz / (float(w1) - float(w0)))
            cpu.setdefault(t, []).append(max(pcts) if pcts else float("nan"))
def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")
def fmt(x):
    if x != x:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:.3g}"
base = topos[0]
head = "| metric | " + " | ".join(topos) + " | " + " | ".join(f"{t}/{base}" for t in topos[1:]) + " |"
print(head)
print("|" + " --- |" * (1 + 2 * len(topos) - 1))
for label, sc, m in rows:
    agg = (lambda xs: sum(xs) if xs else float("nan")) if m in SUMMED else med
    ms = [agg(vals.get((t, sc, m), [])) for t in topos]
    ratios = []
    for x in ms[1:]:
        b = ms[0]
        ratios.append("-" if b != b or x != x or b == 0 else f"{x / b:.2f}x")
    print(f"| {label} | " + " | ".join(fmt(x) for x in ms) + " | " + " | ".join(ratios) + " |")
cs = [med(cpu.get(t, [])) for t in topos]
print("| busiest redis-server, % of a core | " + " | ".join(fmt(x) for x in cs) + " | "
      + " | ".join("-" for _ in topos[1:]) + " |")
rounds = max((len(v) for v in vals.values()), default=0)
print(f"\nmedians over {rounds} round(s) (sums where marked); per round:")
for label, sc, m in rows:
    if m in ("loss", "duplicate_or_reordered", "p99_ms", "host_busy_pct", "saturation_msg_per_s"):
        print(f"- {sc} {m}: " + " / ".join(
            ", ".join(fmt(x) for x in vals.get((t, sc, m), [])) for t in topos) + f"  ({' / '.join(topos)})")
EOF
echo "results: $OUT"
