#!/usr/bin/env bash
# pgbench -S through three paths in one run: PostgreSQL directly, Eden (transaction pooling),
# PgBouncer (transaction pooling), same pool size. Prints TPS, average latency and the
# Eden / PgBouncer ratios. Starts its own PostgreSQL 15, Eden and PgBouncer on free ports and
# stops them at the end. Run as root (PostgreSQL and PgBouncer run as user postgres).
#
#   bench/postgres-proxy.sh [seconds-per-run]
#   env: ROUNDS (3), POOL_SIZE (20), SCALE (10), CLIENTS ("50 1000"), MODES ("simple prepared"),
#        EVENT_LOOPS (Eden's postgres.event_loops; default: Eden's own)
# Each round runs every case once on each path, the paths in a rotating order, so a neighbour's
# load hits all three alike; the table shows the median of the rounds (per-round numbers go to
# stderr). Runs with more than 100 clients last 3x longer: their logins (SCRAM) take seconds.
# Each run also records the CPU time (user + system) of pgbench, PostgreSQL and the proxy per
# transaction, and how much CPU time stayed idle; a second table shows the medians.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/bin/find-jdk.sh"
PGBIN=/usr/lib/postgresql/15/bin
DURATION="${1:-10}"
POOL_SIZE="${POOL_SIZE:-20}"
SCALE="${SCALE:-10}"
CLIENTS="${CLIENTS:-50 1000}"
MODES="${MODES:-simple prepared}"
ROUNDS="${ROUNDS:-3}"
EVENT_LOOPS="${EVENT_LOOPS:-}"
# the first port from $1 up that nothing listens on (another run of this script may be going)
# (tried by binding it: these ports lie in Linux's ephemeral range, so one nothing listens on may
# still be a client connection's local port, and PostgreSQL's bind would then fail)
free_port() {
    local port=$1
    until python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}
PG_PORT=$(free_port 55432); EDEN_PORT=$(free_port 56432); BOUNCER_PORT=$(free_port 57432); API_PORT=$(free_port 58000)
USER_NAME=bench; USER_PASSWORD=bench-secret
work="$(mktemp -d /tmp/eden-pg-bench.XXXXXX)"
chmod 755 "$work"
pids=()

cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -f "$work/bouncer.pid" ] && kill "$(cat "$work/bouncer.pid")" 2>/dev/null || true
    [ -d "$work/pgdata" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pgdata" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

[ -x "$PGBIN/pgbench" ] || { echo "PostgreSQL 15 binaries missing under $PGBIN" >&2; exit 1; }
if ! command -v pgbouncer >/dev/null; then
    echo "installing pgbouncer..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer) >&2
fi
if [ ! -x /usr/bin/time ]; then
    echo "installing time..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time) >&2
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- Eden jar: built from this checkout (the PostgreSQL adapter and the server) ---
echo "building Eden..." >&2
(cd "$root" && ./mvnw -B -q -o -DskipTests -pl adapters-postgres-wire,bootstrap install) >&2
jar="$root/bootstrap/target/eden-server.jar"

# --- PostgreSQL 15 ---
chown postgres "$work"
runuser -u postgres -- "$PGBIN/initdb" -D "$work/pgdata" -A trust -U postgres >/dev/null
cat >> "$work/pgdata/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
max_connections = 1100
shared_buffers = 256MB
password_encryption = 'scram-sha-256'
fsync = off
CONF
cat > "$work/pgdata/pg_hba.conf" <<HBA
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pgdata" -l "$work/pg.log" -w start >/dev/null || { cat "$work/pg.log" >&2; exit 1; }
psql_admin() { "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
psql_admin -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$USER_PASSWORD'" -c "CREATE DATABASE $USER_NAME OWNER $USER_NAME"
export PGPASSWORD="$USER_PASSWORD"
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U "$USER_NAME" "$USER_NAME" >/dev/null 2>&1

# --- Eden: --listen postgres://, endpoint through the REST API, transaction pooling ---
token="bench-$(date +%s)"
"$JAVA_HOME/bin/java" -jar "$jar" --store memory: --listen "postgres://127.0.0.1:$EDEN_PORT" \
    --api "127.0.0.1:$API_PORT" --api-token "$token" \
    --option postgres.pool_mode=transaction --option "postgres.pool_size=$POOL_SIZE" \
    ${EVENT_LOOPS:+--option "postgres.event_loops=$EVENT_LOOPS"} >"$work/eden.log" 2>&1 &
eden_pid=$!
pids+=($eden_pid)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$API_PORT/api/v1/endpoints" -H "Authorization: Bearer $token" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$API_PORT/api/v1/endpoints" -H "Content-Type: application/json" \
    -H "Authorization: Bearer $token" \
    -d "{\"id\": \"bench_pg\", \"uri\": \"postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable\"}" >/dev/null
for _ in $(seq 1 50); do "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$EDEN_PORT" -U "$USER_NAME" -c "select 1" "$USER_NAME" >/dev/null 2>&1 && break; sleep 0.2; done

# --- PgBouncer: transaction pooling, the role's SCRAM verifier in its auth file (no password) ---
verifier="$(psql_admin -c "SELECT rolpassword FROM pg_authid WHERE rolname = '$USER_NAME'")"
echo "\"$USER_NAME\" \"$verifier\"" > "$work/userlist.txt"
cat > "$work/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = 5000
max_db_connections = $POOL_SIZE
pidfile = $work/bouncer.pid
logfile = $work/pgbouncer.log
INI
chown postgres "$work"/*.ini "$work"/userlist.txt
# PgBouncer refuses root. runuser's PAM session would cut it to 1024 descriptors (too few for
# 1000 clients + servers); setpriv drops to postgres and keeps this shell's limit.
if command -v setpriv >/dev/null; then
    setpriv --reuid=postgres --regid=postgres --init-groups pgbouncer -d "$work/pgbouncer.ini"
else
    runuser -u postgres -- pgbouncer -d "$work/pgbouncer.ini"
fi
for _ in $(seq 1 50); do "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$BOUNCER_PORT" -U "$USER_NAME" -c "select 1" "$USER_NAME" >/dev/null 2>&1 && break; sleep 0.2; done

# --- runs ---
EDEN_PID=$eden_pid
BOUNCER_PID=$(cat "$work/bouncer.pid")
HZ=$(getconf CLK_TCK)
. "$root/bench/cpu-ticks.sh"
# CPU of PostgreSQL: the postmaster, its live children and its exited ones, so backends that come
# and go during a run are counted. Only this run's: another PostgreSQL on the machine (also user
# postgres) made the sum go negative when one of its processes exited mid-run.
pg_ticks() {
    local postmaster pid sum
    postmaster=$(head -1 "$work/pgdata/postmaster.pid")
    sum=$(stat_ticks "$postmaster" '$14 + $15 + $16 + $17')
    for pid in $(pgrep -P "$postmaster"); do sum=$((sum + $(ticks "$pid"))); done
    echo "$sum"
}
idle_ticks() { awk '/^cpu / {print $5 + $6}' /proc/stat; }
declare -A TPS LAT CPU
run() { # target port mode clients: appends this round's TPS and latency (or "failed") to the lists
    local jobs=$(( $4 < 4 ? $4 : 4 ))
    local out
    local seconds=$(( $4 > 100 ? 3 * DURATION : DURATION ))
    local proxy_pid
    case $1 in eden) proxy_pid=$EDEN_PID ;; pgbouncer) proxy_pid=$BOUNCER_PID ;; *) proxy_pid= ;; esac
    local pg0 proxy0 psys0 idle0 pg1 proxy1 psys1 idle1
    pg0=$(pg_ticks); proxy0=$(ticks "$proxy_pid"); psys0=$(sys_ticks "$proxy_pid"); idle0=$(idle_ticks)
    out="$(timeout $(( seconds + 120 )) /usr/bin/time -f "pgbench cpu %U %S" "$PGBIN/pgbench" -n -S -M "$3" -c "$4" -j "$jobs" -T "$seconds" -h 127.0.0.1 -p "$2" -U "$USER_NAME" "$USER_NAME" 2>&1 || true)"
    pg1=$(pg_ticks); proxy1=$(ticks "$proxy_pid"); psys1=$(sys_ticks "$proxy_pid"); idle1=$(idle_ticks)
    local tps lat failed cpu=n/a
    tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")"
    lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")"
    failed="$(grep -c 'aborted\|error' <<<"$out" || true)"
    if [ -z "$tps" ] || [ "$failed" != "0" ]; then
        echo "$1 -M $3 -c $4: pgbench reported errors:" >&2
        grep -m3 'aborted\|error\|FATAL\|fatal' <<<"$out" >&2 || tail -3 <<<"$out" >&2 || true
        tps="failed"; lat="n/a"
    else
        # µs of CPU per transaction: pgbench, PostgreSQL, the proxy; the share of CPU time idle; the
        # proxy's kernel (system) time per transaction
        local txns bench
        txns="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")"
        bench="$(sed -n 's/^pgbench cpu \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' <<<"$out")"
        cpu="$(awk -v t="$txns" -v b="$bench" -v pg=$((pg1 - pg0)) -v px=$((proxy1 - proxy0)) \
            -v psys=$((psys1 - psys0)) -v idle=$((idle1 - idle0)) -v hz="$HZ" -v cpus="$(nproc)" -v s="$seconds" 'BEGIN {
                split(b, u, " "); printf "%.1f/%.1f/%.1f/%.0f/%.1f ", (u[1] + u[2]) * 1e6 / t, pg * 1e6 / hz / t,
                px * 1e6 / hz / t, 100 * idle / hz / (cpus * s), psys * 1e6 / hz / t }')"
        CPU[$1,$3,$4]+="$cpu "
    fi
    echo "  round $round: $1 -M $3 -c $4: tps $tps, latency $lat ms, CPU µs/txn pgbench/postgres/proxy, idle %, proxy kernel µs/txn: $cpu" >&2
    TPS[$1,$3,$4]+="$tps "; LAT[$1,$3,$4]+="$lat "
    return 0
}
# the median of a list of numbers; "failed" when any round failed
median() { awk '{ for (i = 1; i <= NF; i++) { if ($i !~ /^[0-9.]+$/) { print "failed"; exit } v[i] = $i } n = NF
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    if (n == 0) print "n/a"; else if (n % 2) print v[(n + 1) / 2]; else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }' <<<"$1"; }

echo "pgbench -S, ${DURATION}s per run, pool_size $POOL_SIZE, scale $SCALE, $ROUNDS rounds, $(nproc) CPUs, $(date -u +%FT%TZ)"
# warm-up (Eden's JIT compiler; the same for PgBouncer, for fairness): not measured. Each mode
# its own 10 s: after one 5 s run, Eden's first measured run cost it 35.9 µs of CPU per transaction
# against 20-27 µs warm, and after a 10 s run its C2 compiler thread still took 0.6 s of CPU in the
# next 10 s (per-thread /proc ticks).
for port in "$EDEN_PORT" "$BOUNCER_PORT"; do
    for mode in $MODES; do
        "$PGBIN/pgbench" -n -S -M "$mode" -c 20 -j 4 -T 10 -h 127.0.0.1 -p "$port" -U "$USER_NAME" "$USER_NAME" \
            >/dev/null 2>&1 || true
    done
done
targets=(direct eden pgbouncer)
declare -A PORT=([direct]=$PG_PORT [eden]=$EDEN_PORT [pgbouncer]=$BOUNCER_PORT)
for round in $(seq 1 "$ROUNDS"); do
    for mode in $MODES; do
        for c in $CLIENTS; do
            for k in 0 1 2; do
                t="${targets[$(( (k + round) % 3 ))]}"
                run "$t" "${PORT[$t]}" "$mode" "$c"
            done
        done
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
printf '\n| -M | clients | direct TPS | direct ms | Eden TPS | Eden ms | PgBouncer TPS | PgBouncer ms | Eden/PgBouncer TPS |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for mode in $MODES; do
    for c in $CLIENTS; do
        declare -A M=()
        for t in "${targets[@]}"; do
            M[$t,tps]="$(median "${TPS[$t,$mode,$c]}" | awk '/^[0-9.]+$/ { printf "%.0f\n", $1; next } { print }')"
            M[$t,lat]="$(median "${LAT[$t,$mode,$c]}")"
            [ "${M[$t,tps]}" = "failed" ] && M[$t,lat]="n/a"
        done
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$mode" "$c" \
            "${M[direct,tps]}" "${M[direct,lat]}" "${M[eden,tps]}" "${M[eden,lat]}" \
            "${M[pgbouncer,tps]}" "${M[pgbouncer,lat]}" "$(ratio "${M[eden,tps]}" "${M[pgbouncer,tps]}")"
        unset M
    done
done

# Where the CPU goes, per transaction (medians of the rounds): a proxy's own share bounds what any
# proxy can gain over another by being cheaper, when PostgreSQL and pgbench cost the same through both.
component() { tr ' ' '\n' <<<"$1" | awk -F/ -v i="$2" 'NF == 5 { printf "%s ", $i }'; }
printf '\n| -M | clients | path | pgbench µs/txn | PostgreSQL µs/txn | proxy µs/txn | of it kernel | CPU idle |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for mode in $MODES; do
    for c in $CLIENTS; do
        for t in "${targets[@]}"; do
            [ -n "${CPU[$t,$mode,$c]:-}" ] || continue
            printf '| %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$mode" "$c" "$t" \
                "$(median "$(component "${CPU[$t,$mode,$c]}" 1)")" "$(median "$(component "${CPU[$t,$mode,$c]}" 2)")" \
                "$(median "$(component "${CPU[$t,$mode,$c]}" 3)")" "$(median "$(component "${CPU[$t,$mode,$c]}" 5)")" \
                "$(median "$(component "${CPU[$t,$mode,$c]}" 4)")"
        done
        if [ -n "${CPU[pgbouncer,$mode,$c]:-}" ]; then
            b="$(median "$(component "${CPU[pgbouncer,$mode,$c]}" 1)")"
            p="$(median "$(component "${CPU[pgbouncer,$mode,$c]}" 2)")"
            x="$(median "$(component "${CPU[pgbouncer,$mode,$c]}" 3)")"
            k="$(median "$(component "${CPU[pgbouncer,$mode,$c]}" 5)")"
            # the 1.2x goal: what a proxy may cost per transaction, idling as PgBouncer did, to get there
            awk -v b="$b" -v p="$p" -v x="$x" -v k="$k" -v m="$mode" -v c="$c" 'BEGIN {
                printf "-M %s -c %s: a proxy costing no CPU at all, with PostgreSQL and pgbench as in the PgBouncer runs and no CPU idle, would reach %.2fx PgBouncer;\n",
                    m, c, (b + p + x) / (b + p)
                printf "  1.2x PgBouncer leaves a proxy %.1f µs per transaction (PgBouncer: %.1f, %.1f of them in the kernel)\n",
                    (b + p + x) / 1.2 - b - p, x, k }'
        fi
    done
done
