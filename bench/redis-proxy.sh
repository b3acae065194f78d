#!/usr/bin/env bash
# Redis proxy benchmark: direct redis-server vs Eden vs nutcracker (twemproxy), in one run.
# redis-benchmark SET and GET with 50 clients (unpipelined and -P 16) and 1000 clients,
# ROUNDS interleaved rounds (direct, Eden, nutcracker one after the other), medians printed,
# then Eden's resident memory with 10,000 idle clients.
#   ROUNDS=3 REQUESTS=100000 bench/redis-proxy.sh   (REQUESTS per unpipelined run; -P 16 runs send 16 times as many)
# RESULTS=FILE keeps every run's line (round, case, target, ops/s, p50, p99, max, CPU ticks) as CSV.
# EDEN_OPTIONS adds Eden options, e.g. EDEN_OPTIONS="--option redis.lanes=4"; JAVA_OPTS its JVM's,
# e.g. JAVA_OPTS=-Deden.redis.loops=2 (client event loops; default: half the cores, at least one).
# PIN (1): the server side (redis-server and the proxy measured) runs on the first half of the CPUs,
# redis-benchmark on the rest, as a load generator on its own machine would. Unpinned (PIN=0), a
# 2-CPU run is bimodal: the kernel puts the proxy on redis-server's CPU (Eden ~100k-120k GET/s)
# or on the other (~55k: the loop and Redis wake for a few commands at a time), anew in each
# redis-benchmark run, so a median of three says more about the scheduler than about the proxy.
# Each run also records the CPU time redis-server, the proxy and redis-benchmark spent per request;
# the second table shows the medians, and for -P 16 how little CPU Eden may use to reach 0.9x direct.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
here="$root/bench/redis-proxy"
rounds="${ROUNDS:-3}"
requests="${REQUESTS:-100000}"
idle="${IDLE_CLIENTS:-10000}"

need=()
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v redis-server >/dev/null || need+=(redis-server)
command -v nutcracker >/dev/null || need+=(nutcracker)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cpus=$(nproc)
if [ "${PIN:-1}" = 1 ] && [ "$cpus" -ge 2 ] && command -v taskset >/dev/null; then
    server_cpus="0-$((cpus / 2 - 1))"
    load_cpus="$((cpus / 2))-$((cpus - 1))"
    server_count=$((cpus / 2))
    placement="server side (redis-server, proxy) on CPUs $server_cpus, redis-benchmark on CPUs $load_cpus"
    on_server=(taskset -c "$server_cpus")
    on_load=(taskset -c "$load_cpus")
else
    server_count=0
    placement="unpinned"
    on_server=()
    on_load=()
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); eden_port=$(free_port); api_port=$(free_port); nc_port=$(free_port)
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"${on_server[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxclients 20000 \
    --logfile "$work/redis.log" &
pids+=($!)
redis_pid=$!

. "$root/bin/find-jdk.sh"
jar="$root/bootstrap/target/eden-server.jar"
if [ ! -f "$jar" ]; then
    (cd "$root" && ./mvnw -B -q -DskipTests package) >&2
fi
token="bench-token-$(date +%s)-0123456789"
# shellcheck disable=SC2086 # the options are words
"${on_server[@]}" "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar "$jar" --listen "127.0.0.1:$eden_port" --api "127.0.0.1:$api_port" \
    --store memory: --data "$work/eden-data" --api-token "$token" --option redis.max-clients=20000 \
    ${EDEN_OPTIONS:-} >"$work/eden.log" 2>&1 &
eden_pid=$!
pids+=($eden_pid)

sed -e "s/@NUTCRACKER_PORT@/$nc_port/" -e "s/@REDIS_PORT@/$redis_port/" "$here/nutcracker.yml.in" >"$work/nutcracker.yml"
"${on_server[@]}" nutcracker -c "$work/nutcracker.yml" -o "$work/nutcracker.log" &
pids+=($!)
nutcracker_pid=$!

for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$api_port/healthz" && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$api_port/api/v1/endpoints" -H "Content-Type: application/json" \
    -H "Authorization: Bearer $token" -d "{\"id\": \"bench\", \"uri\": \"redis://127.0.0.1:$redis_port\"}" >/dev/null
for port in "$redis_port" "$eden_port" "$nc_port"; do
    for _ in $(seq 50); do [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ] && break; sleep 0.2; done
done

cases=("SET 50 1" "GET 50 1" "SET 50 16" "GET 50 16" "SET 1000 1" "GET 1000 1")
declare -A ports=([direct]=$redis_port [eden]=$eden_port [nutcracker]=$nc_port)
declare -A proxy_pid=([eden]=$eden_pid [nutcracker]=$nutcracker_pid)
. "$root/bench/cpu-ticks.sh"
TIMEFORMAT='%3U %3S'
results="$work/results.csv"
echo "round,case,target,rps,p50,p99,max,redis_ticks,proxy_ticks,bench_user,bench_sys,proxy_sys_ticks,requests" >"$results"
# warm-up (JIT) so the first measured round is not Eden's compile time
"${on_load[@]}" redis-benchmark -p "$eden_port" -t set,get -n 200000 -c 50 -P 16 -r 100000 -q >/dev/null 2>&1 || true
for round in $(seq "$rounds"); do
    for c in "${cases[@]}"; do
        read -r test clients pipeline <<<"$c"
        # a pipelined run sends P times the requests, so it lasts about as long as an unpipelined one:
        # 100,000 requests at -P 16 take a fraction of a second, and measure set-up and JIT as much as the proxy
        n=$((requests * pipeline))
        for target in direct eden nutcracker; do
            redis0=$(ticks "$redis_pid"); proxy0=$(ticks "${proxy_pid[$target]:-}"); psys0=$(sys_ticks "${proxy_pid[$target]:-}")
            { time "${on_load[@]}" redis-benchmark -h 127.0.0.1 -p "${ports[$target]}" -t "${test,,}" -n "$n" \
                -c "$clients" -P "$pipeline" -r 100000 --csv >"$work/run.csv" 2>/dev/null; } 2>"$work/run.time" || true
            redis1=$(ticks "$redis_pid"); proxy1=$(ticks "${proxy_pid[$target]:-}"); psys1=$(sys_ticks "${proxy_pid[$target]:-}")
            line=$(grep "^\"$test\"" "$work/run.csv" | head -1 || true)
            IFS=, read -r _ rps _ _ p50 _ p99 max <<<"${line//\"/}"
            read -r bench_user bench_sys <"$work/run.time"
            echo "$round,$test c=$clients P=$pipeline,$target,$rps,$p50,$p99,$max,$((redis1 - redis0)),$((proxy1 - proxy0)),$bench_user,$bench_sys,$((psys1 - psys0)),$n" >>"$results"
        done
    done
    echo "round $round of $rounds done" >&2
done

if [ -n "${RESULTS:-}" ]; then cp "$results" "$RESULTS"; fi

# resident memory of a freshly started Eden holding idle clients (the load above grew the heap of the first one)
kill "$eden_pid" 2>/dev/null || true
wait "$eden_pid" 2>/dev/null || true
eden_port=$(free_port); api_port=$(free_port)
# shellcheck disable=SC2086
"${on_server[@]}" "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar "$jar" --listen "127.0.0.1:$eden_port" --api "127.0.0.1:$api_port" \
    --store memory: --data "$work/eden-data-2" --api-token "$token" --option redis.max-clients=20000 \
    ${EDEN_OPTIONS:-} >"$work/eden2.log" 2>&1 &
eden_pid=$!
pids+=($eden_pid)
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$api_port/healthz" && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$api_port/api/v1/endpoints" -H "Content-Type: application/json" \
    -H "Authorization: Bearer $token" -d "{\"id\": \"bench\", \"uri\": \"redis://127.0.0.1:$redis_port\"}" >/dev/null
redis-cli -p "$eden_port" PING >/dev/null
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$eden_pid/status")
coproc IDLE { "${on_load[@]}" python3 "$here/idle_clients.py" 127.0.0.1 "$eden_port" "$idle"; }
read -r idle_line <&"${IDLE[0]}"
sleep 2
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$eden_pid/status")
upstream_clients=$(redis-cli -p "$redis_port" INFO clients | awk -F: '/connected_clients/ {print $2}' | tr -d '\r')
eval "exec ${IDLE[1]}>&-"
wait "$IDLE_PID" 2>/dev/null || true

python3 - "$results" "$(getconf CLK_TCK)" "$(nproc)" "$server_count" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
hz, cpus = int(sys.argv[2]), int(sys.argv[3])
server_cpus = int(sys.argv[4])  # 0: unpinned
cases = list(dict.fromkeys(r["case"] for r in rows))
def med(case, target, field):
    vals = [float(r[field]) for r in rows if r["case"] == case and r["target"] == target and r[field]]
    return statistics.median(vals) if vals else float("nan")
# the three targets of a round ran within a minute of each other: their ratio is free of the drift
# between rounds, which moves all three (load generator included) by up to a third on this VM
def per_round(case, target, other):
    rps = {(r["round"], r["target"]): float(r["rps"]) for r in rows if r["case"] == case and r["rps"]}
    vals = [rps[(rd, target)] / rps[(rd, other)] for rd, t in rps if t == target and (rd, other) in rps]
    return statistics.median(vals) if vals else float("nan")
print(f"{'case':<20}{'direct ops/s':>13}{'eden ops/s':>12}{'nutcr. ops/s':>13}"
      f"{'direct p50/p99':>17}{'eden p50/p99':>17}{'nutcr. p50/p99':>17}{'eden/nutcr':>11}{'eden/direct':>12}"
      f"{'per round':>15}")
for c in cases:
    d, e, n = (med(c, t, "rps") for t in ("direct", "eden", "nutcracker"))
    lat = {t: f"{med(c, t, 'p50'):.3f}/{med(c, t, 'p99'):.3f}" for t in ("direct", "eden", "nutcracker")}
    rounds_ratio = f"{per_round(c, 'eden', 'nutcracker'):.2f} / {per_round(c, 'eden', 'direct'):.2f}"
    print(f"{c:<20}{d:>13.0f}{e:>12.0f}{n:>13.0f}{lat['direct']:>17}{lat['eden']:>17}{lat['nutcracker']:>17}"
          f"{e / n:>11.2f}{e / d:>12.2f}{rounds_ratio:>15}")
print(f"(medians of {len(set(r['round'] for r in rows))} interleaved rounds; latencies in ms; per round: the median of"
      f" each round's eden/nutcr and eden/direct)")
print()
# the slowest request of any round: where a pause (a collection, a stall) shows, which p99 hides
def worst(case, target):
    vals = [float(r["max"]) for r in rows if r["case"] == case and r["target"] == target and r["max"]]
    return max(vals) if vals else float("nan")
print("Slowest request of any round, ms (direct / eden / nutcracker):")
for c in cases:
    print(f"{c:<20}" + " / ".join(f"{worst(c, t):.1f}" for t in ("direct", "eden", "nutcracker")))
print()
# What each request costs in CPU, per process (user + system; /proc for the servers, the shell's
# time for redis-benchmark): the ops/s any placement can reach is bounded by these costs.
def cpu(case, target):
    def m(f):
        return statistics.median([f(r) for r in rows if r["case"] == case and r["target"] == target])
    return (m(lambda r: int(r["redis_ticks"]) / hz * 1e6 / int(r["requests"])),
            m(lambda r: int(r["proxy_ticks"]) / hz * 1e6 / int(r["requests"])),
            m(lambda r: (float(r["bench_user"]) + float(r["bench_sys"])) * 1e6 / int(r["requests"])))
print("CPU per request, µs (redis-server / proxy / redis-benchmark), medians:")
print(f"{'case':<20}{'direct':>22}{'eden':>22}{'nutcracker':>22}")
for c in cases:
    print(f"{c:<20}" + "".join(f"{'%.2f / %.2f / %.2f' % cpu(c, t):>22}" for t in ("direct", "eden", "nutcracker")))
for c in cases:
    if "P=16" not in c:
        continue
    r, p, b = cpu(c, "eden")
    want = 0.9 * med(c, "direct", "rps")
    # the most lenient placement: every CPU shared by all three, none ever idle
    allowed = cpus * 1e6 / want - r - b
    kernel = statistics.median([int(x["proxy_sys_ticks"]) / hz * 1e6 / int(x["requests"])
                                for x in rows if x["case"] == c and x["target"] == "eden"])
    print(f"{c}: 0.9x direct is {want:,.0f} ops/s; with Redis at {r:.2f} and redis-benchmark at {b:.2f} µs per "
          f"request through Eden, {cpus} CPUs that never idle leave Eden {allowed:.2f} µs per request (it used {p:.2f}, "
          f"{kernel:.2f} of them in the kernel)")
    if server_cpus:
        # pinned: Redis and the proxy share the server CPUs, so their two costs must fit there
        print(f"{'':<{len(c)}}  pinned, the {server_cpus} server CPU(s) leave Eden {server_cpus * 1e6 / want - r:.2f} µs "
              f"per request beside Redis")
PY
echo "CPU placement: $placement"
echo "Eden resident memory (fresh process): $((rss_before / 1024)) MB before, $((rss_idle / 1024)) MB with $idle idle clients ($idle_line); redis-server sees $upstream_clients clients"
