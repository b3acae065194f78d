#!/usr/bin/env bash
# Redis data copy: Eden's copier against Redis's own MIGRATE, in one run, on the same data.
#
#   KEYS=1000000 bench/redis-migration.sh
#
# One source redis-server is filled with KEYS keys of mixed types (40% strings, 20% hashes of 4
# fields, 15% lists, 10% sets, 15% sorted sets of 3-8 elements; ~10% with a TTL of 1-2 h) plus
# 5 large keys of about LARGE_MB MB each (string, hash, list, set, sorted set), loaded with
# `redis-cli --pipe`. Then, one after the other:
#   1. Eden copies it to target 1 with no client load: POST /migrate, then GET /status every
#      100 ms until progress.copy_complete; wall time from the POST to the status saying so.
#   2. MIGRATE copies it to target 2: a Python client SCANs the source (COUNT BATCH) and sends
#      `MIGRATE host port "" 0 MIGRATE_TIMEOUT_MS COPY REPLACE KEYS k1 ... kn` per page, with
#      MIGRATE_PIPELINE MIGRATEs in flight on one connection (the next SCAN queued behind them),
#      so the source always has the next batch waiting; wall time from the first SCAN sent to
#      the last reply read.
#   3. Client throughput through Eden: redis-benchmark -t set,get -n LOAD_REQUESTS
#      -c LOAD_CLIENTS -P LOAD_PIPELINE -r 10000, run back to back. "Idle": IDLE_RUNS runs with no
#      migration running (after a warm-up run) before the second copy and IDLE_RUNS more after it
#      (migration rolled back), all counted together, so a machine whose load drifts during the
#      run biases neither side. "During the copy": a second Eden copy, of the same
#      source to target 3, with the runs started as soon as POST /migrate has answered; only runs
#      that started after it and ended before the status said copy_complete count (a run
#      straddling the end is dropped; if none fits, the copy was too short to measure and the
#      result says n/a). Ops/s = all requests of the counted runs / the time redis-benchmark
#      reports for them (SET and GET together). SETs are dual-written (old_authoritative) while
#      the migration runs, so "during" includes the mirror of every write, as in a real migration.
#      The load's 10,000 `key:*` strings land on the source before this copy, so copy 3 moves
#      those too; copies 1 and 2 moved exactly the generated data. Then, with the copy done and
#      the migration still mirroring, IDLE_RUNS runs more: what the dual writes alone cost, so
#      the copy's own share of "during" can be told apart.
# Keys/s = keys on the target at the end (DBSIZE) / wall time. MB = the source's used_memory after
# loading minus before (the data set as the source holds it in memory; 1 MB = 10^6 bytes), the same
# number for Eden and MIGRATE. Eden's own keys_per_second and bytes_copied (the DUMP payload bytes)
# are printed too. Each target's DBSIZE is checked against the source's. For copies 1 and 2, the CPU
# time (user + system, /proc) of the source and target redis-servers and of the copier, per key, and
# the keys/s those costs allow on this machine with every CPU busy.
#
# Env: KEYS (1000000), LARGE_MB (20; 0 for none), BATCH (1000: SCAN COUNT for MIGRATE; Eden uses its
# default copy-batch-keys, 2000), MIGRATE_PIPELINE (4), MIGRATE_TIMEOUT_MS (5000),
# LOAD_REQUESTS (50000 per test per run), LOAD_CLIENTS (50), LOAD_PIPELINE (16), IDLE_RUNS (5),
# KEEP_WORK=1 keeps the temporary directory (logs) at the end. EDEN_OPTIONS adds Eden options, e.g.
# EDEN_OPTIONS="--option redis.copy-batch-keys=5000".
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
here="$root/bench/redis-migration"
keys="${KEYS:-1000000}"
large_mb="${LARGE_MB:-20}"
batch="${BATCH:-1000}"
depth="${MIGRATE_PIPELINE:-4}"
migrate_timeout="${MIGRATE_TIMEOUT_MS:-5000}"
load_requests="${LOAD_REQUESTS:-50000}"
load_clients="${LOAD_CLIENTS:-50}"
load_pipeline="${LOAD_PIPELINE:-16}"
idle_runs="${IDLE_RUNS:-5}"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "needs curl and python3" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
src_port=$(free_port); t1_port=$(free_port); t2_port=$(free_port); t3_port=$(free_port)
eden_port=$(free_port); api_port=$(free_port)
work="$(mktemp -d /tmp/eden-redis-migration.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
log() { echo "[$(date +%T)] $*" >&2; }
now() { date +%s.%N; }

declare -A redis_pid
for port in "$src_port" "$t1_port" "$t2_port" "$t3_port"; do
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --logfile "$work/redis-$port.log" &
    pids+=($!)
    redis_pid[$port]=$!
done
. "$root/bench/cpu-ticks.sh"

. "$root/bin/find-jdk.sh"
jar="$root/bootstrap/target/eden-server.jar"
if [ ! -f "$jar" ]; then
    log "building Eden..."
    (cd "$root" && ./mvnw -B -q -DskipTests package) >&2
fi
# run a private copy: others may rebuild the jar in this tree meanwhile, and a JVM whose jar is
# rewritten under it fails with NoClassDefFoundError
for attempt in $(seq 10); do
    cp "$jar" "$work/eden-server.jar"
    python3 -m zipfile -t "$work/eden-server.jar" >/dev/null 2>&1 && break
    [ "$attempt" = 10 ] && { echo "$jar stays unreadable (a build writing it?)" >&2; exit 1; }
    log "$jar is being written, retrying in 10 s"; sleep 10
done
token="bench-token-$(date +%s)-0123456789"
"$JAVA_HOME/bin/java" -jar "$work/eden-server.jar" --listen "127.0.0.1:$eden_port" --api "127.0.0.1:$api_port" --store memory: \
    --data "$work/eden-data" --api-token "$token" ${EDEN_OPTIONS:-} >"$work/eden.log" 2>&1 &
eden_pid=$!
pids+=($eden_pid)

api() { # METHOD PATH [JSON]
    local args=(-fsS -X "$1" "http://127.0.0.1:$api_port/api/v1$2" -H "Authorization: Bearer $token")
    [ $# -ge 3 ] && args+=(-H "Content-Type: application/json" -d "$3")
    curl "${args[@]}" >/dev/null || { echo "API call $1 $2 failed" >&2; tail -20 "$work/eden.log" >&2; exit 1; }
}
rcli() { redis-cli -h 127.0.0.1 -p "$@"; }
info_field() { rcli "$1" INFO "$2" | awk -F: -v f="$3" '$1 == f {print $2}' | tr -d '\r'; }
dbsize() { rcli "$1" DBSIZE; }

for port in "$src_port" "$t1_port" "$t2_port" "$t3_port"; do
    for _ in $(seq 50); do [ "$(rcli "$port" PING 2>/dev/null)" = PONG ] && break; sleep 0.2; done
done
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$api_port/healthz" && break; sleep 0.5; done

# --- the data ---
mem_empty=$(info_field "$src_port" memory used_memory)
log "loading $keys keys + 5 large keys of ~${large_mb} MB into the source..."
t=$(now)
python3 "$here/helper.py" gen "$keys" "$large_mb" 42 | rcli "$src_port" --pipe >"$work/pipe.out" 2>&1
grep -q "errors: 0" "$work/pipe.out" || { echo "loading failed:" >&2; cat "$work/pipe.out" >&2; exit 1; }
src_keys=$(dbsize "$src_port")
mem_loaded=$(info_field "$src_port" memory used_memory)
data_bytes=$((mem_loaded - mem_empty))
log "loaded $src_keys keys, $((data_bytes / 1000000)) MB in $(python3 -c "print(f'{$(now) - $t:.1f}')") s"

# --- Eden: endpoints (the interlay redis_interlay binds to the first, the source) ---
api POST /endpoints "{\"id\": \"source\", \"uri\": \"redis://127.0.0.1:$src_port\"}"
api POST /endpoints "{\"id\": \"eden_target\", \"uri\": \"redis://127.0.0.1:$t1_port\"}"
api POST /endpoints "{\"id\": \"eden_target_loaded\", \"uri\": \"redis://127.0.0.1:$t3_port\"}"
for _ in $(seq 50); do [ "$(rcli "$eden_port" PING 2>/dev/null)" = PONG ] && break; sleep 0.2; done

create_migration() { # ID TARGET_ENDPOINT
    api POST /migrations "{\"id\": \"$1\", \"description\": \"bench\",
        \"strategy\": {\"type\": \"canary\", \"read_percentage\": 0.05,
                       \"write_mode\": {\"mode\": \"dual_write\", \"policy\": \"old_authoritative\"}},
        \"data\": {\"type\": \"scan\", \"replace\": \"replace\"}, \"failure_handling\": \"rollback_all\"}"
    api POST "/migrations/$1/interlay/redis_interlay" "{\"endpoint\": \"$2\"}"
}
eden_rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$eden_pid/status"; }
eden_hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$eden_pid/status"; }

# --- 1. Eden's copy, no client load ---
create_migration copy_idle eden_target
rss_before=$(eden_rss_kb)
log "Eden copy (no client load)..."
cpu1_before="$(ticks "${redis_pid[$src_port]}") $(ticks "${redis_pid[$t1_port]}") $(ticks "$eden_pid")"
python3 "$here/helper.py" eden-copy "http://127.0.0.1:$api_port" "$token" copy_idle - 3600 >"$work/eden1.json"
cpu1_after="$(ticks "${redis_pid[$src_port]}") $(ticks "${redis_pid[$t1_port]}") $(ticks "$eden_pid")"
eden1_hwm=$(eden_hwm_kb)
t1_keys=$(dbsize "$t1_port")
api POST /migrations/copy_idle/rollback '{"reason": "bench: next copy"}'

# --- 2. MIGRATE ... COPY REPLACE KEYS ---
log "MIGRATE copy (SCAN COUNT $batch, $depth in flight)..."
cpu2_before="$(ticks "${redis_pid[$src_port]}") $(ticks "${redis_pid[$t2_port]}")"
/usr/bin/time -f "%U %S" -o "$work/migrate-client.time" \
    python3 "$here/helper.py" migrate "$src_port" "$t2_port" "$batch" "$depth" "$migrate_timeout" >"$work/migrate.json"
cpu2_after="$(ticks "${redis_pid[$src_port]}") $(ticks "${redis_pid[$t2_port]}")"
t2_keys=$(dbsize "$t2_port")

# --- 3. client throughput through Eden: idle, then during a second copy ---
bench_run() { # OUTFILE: one redis-benchmark run, appends start,end,set_rps,get_rps
    local s e out
    s=$(now)
    out=$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$eden_port" -t set,get -n "$load_requests" -c "$load_clients" \
        -P "$load_pipeline" -r 10000 --csv 2>/dev/null || true)
    e=$(now)
    echo "$s,$e,$(grep '^"SET"' <<<"$out" | cut -d, -f2 | tr -d '"'),$(grep '^"GET"' <<<"$out" | cut -d, -f2 | tr -d '"')" >>"$1"
}
log "client load through Eden, idle (warm-up + $idle_runs runs)..."
redis-benchmark -h 127.0.0.1 -p "$eden_port" -t set,get -n 200000 -c "$load_clients" -P "$load_pipeline" \
    -r 10000 -q >/dev/null 2>&1 || true
: >"$work/idle.csv"
for _ in $(seq "$idle_runs"); do bench_run "$work/idle.csv"; done

create_migration copy_loaded eden_target_loaded
src_keys3=$(dbsize "$src_port")
data_bytes3=$(( $(info_field "$src_port" memory used_memory) - mem_empty ))
: >"$work/during.csv"
(
    while [ ! -e "$work/started" ]; do sleep 0.01; done
    while [ ! -e "$work/stop" ]; do bench_run "$work/during.csv"; done
) &
load_pid=$!
log "Eden copy under client load..."
python3 "$here/helper.py" eden-copy "http://127.0.0.1:$api_port" "$token" copy_loaded "$work/started" 3600 \
    >"$work/eden3.json" || { touch "$work/started" "$work/stop"; exit 1; }
touch "$work/stop"
wait "$load_pid" || true
sleep 1 # the last mirrored writes
t3_keys=$(dbsize "$t3_port")
src_keys_end=$(dbsize "$src_port")
# the same load with the copy done and every write still mirrored: what dual writes alone cost
log "client load through Eden, dual writes after the copy ($idle_runs runs)..."
: >"$work/mirrored.csv"
for _ in $(seq "$idle_runs"); do bench_run "$work/mirrored.csv"; done
api POST /migrations/copy_loaded/rollback '{"reason": "bench: done"}'
log "client load through Eden, idle again ($idle_runs runs)..."
: >"$work/idle-after.csv"
for _ in $(seq "$idle_runs"); do bench_run "$work/idle-after.csv"; done
eden_hwm=$(eden_hwm_kb)
eden_rss=$(eden_rss_kb)
src_mem_human=$(info_field "$src_port" memory used_memory_human)
warnings=$(grep -cE ' (WARN|ERROR) ' "$work/eden.log" || true)

export keys large_mb batch depth migrate_timeout load_requests load_clients load_pipeline
export src_keys data_bytes t1_keys t2_keys t3_keys src_keys3 data_bytes3 src_keys_end
export rss_before eden1_hwm eden_hwm eden_rss src_mem_human warnings
export cpu1_before cpu1_after cpu2_before cpu2_after hz="$(getconf CLK_TCK)" cpus="$(nproc)"
export migrate_client_time="$(cat "$work/migrate-client.time")"
python3 - "$work" <<'PY'
import json, os, sys
w = sys.argv[1]
e = os.environ
e1 = json.load(open(f"{w}/eden1.json"))
mg = json.load(open(f"{w}/migrate.json"))
e3 = json.load(open(f"{w}/eden3.json"))
data_mb = int(e["data_bytes"]) / 1e6
data3_mb = int(e["data_bytes3"]) / 1e6
n = int(e["load_requests"])

def runs(path, lo=None, hi=None):
    out = []
    for line in open(path):
        s, t, st, gt = line.strip().split(",")
        if not st or not gt:
            continue
        if lo is not None and (float(s) < lo or float(t) > hi):
            continue
        out.append((float(s), float(t), float(st), float(gt)))
    return out

def ops(rs):
    secs = sum(n / st + n / gt for _, _, st, gt in rs)
    return (2 * n * len(rs) / secs) if rs else None

idle_before, idle_after = runs(f"{w}/idle.csv"), runs(f"{w}/idle-after.csv")
idle = idle_before + idle_after
all_during = runs(f"{w}/during.csv")
during = runs(f"{w}/during.csv", e3["posted"], e3["end"])
idle_ops, during_ops = ops(idle), ops(during)
mirrored = runs(f"{w}/mirrored.csv")
mirrored_ops = ops(mirrored)

def row(name, keys_on_target, src, secs, mb):
    ok = "yes" if keys_on_target == src else f"NO ({keys_on_target} of {src})"
    return f"| {name} | {keys_on_target} | {secs:.2f} | {keys_on_target / secs:,.0f} | {mb / secs:.1f} | {ok} |"

t1, t2, t3 = int(e["t1_keys"]), int(e["t2_keys"]), int(e["t3_keys"])
src, src3 = int(e["src_keys"]), int(e["src_keys_end"])
eden_kps, mig_kps = t1 / e1["seconds"], t2 / mg["seconds"]
p1, p3 = e1["status"]["progress"], e3["status"]["progress"]
print()
print(f"Source: {src} keys ({e['keys']} generated + 5 large of ~{e['large_mb']} MB), "
      f"{data_mb:.0f} MB of used_memory (used_memory_human at the end: {e['src_mem_human']})")
print()
print("| copy | keys on target | seconds | keys/s | MB/s | target DBSIZE = source |")
print("|---|---|---|---|---|---|")
print(row("Eden, no client load", t1, src, e1["seconds"], data_mb))
print(row(f"MIGRATE COPY REPLACE KEYS (SCAN COUNT {e['batch']}, {e['depth']} in flight)", t2, src, mg["seconds"], data_mb))
print(row(f"Eden, under client load (source now {e['src_keys3']} keys)", t3, src3, e3["seconds"], data3_mb))
print()
print(f"Eden / MIGRATE keys/s (and MB/s): {eden_kps / mig_kps:.2f}x")
print(f"Eden's own status: keys_per_second {p1['keys_per_second']:,.0f} (no load), {p3['keys_per_second']:,.0f} (under load); "
      f"bytes_copied (DUMP payloads) {p1['bytes_copied'] / 1e6:.0f} MB; keys_copied {p1['keys_copied']}")
print(f"Longest time Eden's keys_copied stood still (status polled every 100 ms): {e1['longest_stall_s']:.1f} s "
      f"at {e1['stall_at_keys']} keys (no load), {e3['longest_stall_s']:.1f} s at {e3['stall_at_keys']} keys (under load)")
if mg["errors"]:
    print(f"MIGRATE errors: {mg['errors']}")
print()
load = f"redis-benchmark -t set,get -c {e['load_clients']} -P {e['load_pipeline']} -r 10000, runs of -n {n}"
print("| client load through Eden | ops/s (SET+GET) | runs counted |")
print("|---|---|---|")
print(f"| idle (before: {ops(idle_before) or 0:,.0f}, after: {ops(idle_after) or 0:,.0f}) | {idle_ops:,.0f} | {len(idle)} |")
if during_ops:
    inside = sum(t - s for s, t, _, _ in during)
    print(f"| during the copy | {during_ops:,.0f} | {len(during)} of {len(all_during)} ({inside:.1f} s of the {e3['seconds']:.1f} s copy) |")
else:
    print(f"| during the copy | n/a: no run fit inside the {e3['seconds']:.1f} s copy | 0 of {len(all_during)} |")
if mirrored_ops:
    print(f"| dual writes only (copy done, before the rollback) | {mirrored_ops:,.0f} | {len(mirrored)} |")
ratio = during_ops / idle_ops if during_ops else None
print(f"({load})")
print(f"during / idle: {ratio:.2f}x" if ratio else "during / idle: n/a")
if mirrored_ops:
    print(f"dual writes only / idle: {mirrored_ops / idle_ops:.2f}x"
          + (f"; during the copy / dual writes only: {during_ops / mirrored_ops:.2f}x" if during_ops else ""))
print()
goal = lambda ok: "met" if ok else "NOT met"
print(f"goal keys/s >= 150,000 (Eden, no load):  {eden_kps:,.0f}  {goal(eden_kps >= 150000)}")
print(f"goal Eden >= 0.8x MIGRATE:              {eden_kps / mig_kps:.2f}x  {goal(eden_kps / mig_kps >= 0.8)}")
print(f"goal ops during copy >= 0.7x idle:       " + (f"{ratio:.2f}x  {goal(ratio >= 0.7)}" if ratio else "n/a (copy too short)"))
print(f"goal every target has the source's keys: {goal(t1 == src and t2 == src and t3 == src3)}")
print()
# Where the time goes: each process's CPU (user + system, from /proc) over the whole copy, per key
# on the target. Source and target are single-threaded Redis servers doing the copy's own work, so
# their sum bounds any copier with those commands on this machine, however cheap the copier.
hz, cpus = int(e["hz"]), int(e["cpus"])
def per_key(before, after, keys):
    return [(int(a) - int(b)) / hz * 1e6 / keys for b, a in zip(before.split(), after.split())]
es, et, ee = per_key(e["cpu1_before"], e["cpu1_after"], t1)
ms, mt = per_key(e["cpu2_before"], e["cpu2_after"], t2)
mc = sum(float(x) for x in e["migrate_client_time"].split()[-2:]) * 1e6 / t2
print("CPU per key copied (µs, user + system over the whole copy, from /proc):")
print()
print("| copy | source redis-server | target redis-server | copier | all |")
print("|---|---|---|---|---|")
print(f"| Eden, no client load | {es:.2f} | {et:.2f} | {ee:.2f} (Eden) | {es + et + ee:.2f} |")
print(f"| MIGRATE | {ms:.2f} | {mt:.2f} | {mc:.2f} (the SCAN + MIGRATE client) | {ms + mt + mc:.2f} |")
print()
print(f"Bound on this machine ({cpus} CPUs busy all the time, the copier costing nothing): {cpus} / (source + target) = "
      f"{cpus * 1e6 / (es + et):,.0f} keys/s with Eden's commands (DUMP, PEXPIRETIME, RESTORE), "
      f"{cpus * 1e6 / (ms + mt):,.0f} with MIGRATE's; with Eden's own share: {cpus * 1e6 / (es + et + ee):,.0f}")
print()
print(f"Eden memory: {int(e['rss_before']) // 1024} MB resident before the copies, peak {int(e['eden1_hwm']) // 1024} MB "
      f"after the first, peak {int(e['eden_hwm']) // 1024} MB at the end ({int(e['eden_rss']) // 1024} MB now); "
      f"{e['warnings']} WARN/ERROR lines in Eden's log")
PY
if [ "$warnings" != 0 ]; then
    echo "first WARN/ERROR lines of Eden's log:"
    grep -E ' (WARN|ERROR) ' "$work/eden.log" | head -5 | cut -c1-300
fi
