#!/usr/bin/env bash
# Throughput of 4 `newsgraph ingest --queue` workers against one PostgreSQL
# database, as a ratio to one worker, measured in one run on a generated
# (CPU-bound) corpus:
#
#   scripts/bench-workers.sh [COUNT] [WORKERS] [THREADS]
#
# COUNT articles (default 800, $PARAGRAPHS paragraphs of background each,
# default 3), WORKERS concurrent workers (default 4), THREADS pipeline
# threads per worker
# (RAYON_NUM_THREADS, default 1: a worker stands for one core of a machine
# of its own). The script starts its own PostgreSQL (initdb + pg_ctl in a
# temporary directory, as the tests do), ingests the corpus once with one
# worker and once with WORKERS workers into fresh databases, and prints for
# each: wall-clock seconds, CPU seconds (user + system of the workers and of
# the server), documents per second and per CPU second, the share of running
# statements found waiting for a lock (sampled from pg_stat_activity every
# 0.2 s); then the ratios.
#
# On a machine with fewer cores than WORKERS x THREADS the wall-clock ratio
# is bounded by the cores that are free (2 cores: at most 2.0 with THREADS=1);
# the CPU-second ratio (throughput per CPU second, many workers / one) says
# what concurrency costs: 1.0 means none (no lock waits burning CPU, no
# retries, no duplicated work), so that N machines give N times one.
#
# With BACKEND=sqlite: ingest into SQLite files instead, once with one
# pipeline thread and once with WORKERS threads (RAYON_NUM_THREADS; one
# process, one writer thread), same corpus, and print for each: wall
# seconds, CPU seconds, and the CPU seconds of `extract` alone on one thread
# (the pipeline's share; the rest of the one-thread ingest is reading and
# writing). Two threads finish in at least max(CPU/2, write CPU) seconds on
# two free cores, whatever the load now; so that bound is printed too.
set -euo pipefail

COUNT=${1:-800}
PARAGRAPHS=${PARAGRAPHS:-3}
WORKERS=${2:-4}
THREADS=${3:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${NEWSGRAPH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/newsgraph}
[ -x "$BIN" ] || { echo "build first: cargo build --release -p newsgraph-cli ($BIN missing)" >&2; exit 1; }
PGBIN=${NEWSGRAPH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }

if [ "${BACKEND:-postgres}" = sqlite ]; then
    WORK=$(mktemp -d /tmp/newsgraph-bench-XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
    "$BIN" generate-corpus --out "$WORK/corpus" --count "$COUNT" --paragraphs "$PARAGRAPHS" --seed 7 >/dev/null
    # Warm the page cache and the model files.
    find "$WORK/corpus" -type f -exec cat {} + >/dev/null
    measure() { # THREADS NAME COMMAND...: prints "wall cpu"
        local threads=$1 name=$2 start end
        shift 2
        start=$(date +%s.%N)
        RAYON_NUM_THREADS=$threads /usr/bin/time -f "%U %S" -o "$WORK/time.$name" "$@" >/dev/null 2>"$WORK/log.$name"
        end=$(date +%s.%N)
        echo "$(echo "$end - $start" | bc -l) $(awk '{print $1 + $2}' "$WORK/time.$name")"
    }
    read -r EW EC < <(measure 1 extract "$BIN" extract "$WORK/corpus")
    read -r W1 C1 < <(measure 1 one "$BIN" ingest "$WORK/corpus" --db "$WORK/one.db")
    read -r WN CN < <(measure "$WORKERS" many "$BIN" ingest "$WORK/corpus" --db "$WORK/many.db")
    python3 - "$COUNT" "$WORKERS" "$EW" "$EC" "$W1" "$C1" "$WN" "$CN" "$(nproc)" <<'EOF'
import os, sys
count, threads = int(sys.argv[1]), int(sys.argv[2])
ew, ec, w1, c1, wn, cn, cores = map(float, sys.argv[3:10])
print(f"corpus: {count} generated articles; SQLite; {int(cores)} cores, load average {os.getloadavg()[0]:.1f}")
print(f"{'run':>22} {'wall s':>8} {'CPU s':>8}")
print(f"{'extract, 1 thread':>22} {ew:8.1f} {ec:8.1f}")
print(f"{'ingest, 1 thread':>22} {w1:8.1f} {c1:8.1f}")
print(f"{f'ingest, {threads} threads':>22} {wn:8.1f} {cn:8.1f}")
write = max(c1 - ec, 0.0)
bound = max(cn / min(threads, cores), write)
print(f"wall-clock ratio ({threads} threads / 1): {w1 / wn:.2f} (measured under the load above)")
print(f"CPU: write and read ~{write:.1f} s of the one-thread ingest's {c1:.1f} s; "
      f"{threads} threads need {cn:.1f} s, so on {min(threads, int(cores))} free cores "
      f"at least {bound:.1f} s: ratio at most {c1 / bound:.2f} (if one thread keeps a core busy)")
EOF
    exit 0
fi

WORK=$(mktemp -d /tmp/newsgraph-bench-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# PERF=1: sample all CPUs with perf during each run and print the
# functions the server's processes spent their CPU in.
# PROFILE=1: load pg_stat_statements and print, after each run, the
# statements that took the most server time.
PROFILE_OPTS=
[ "${PROFILE:-0}" = 1 ] && PROFILE_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$WORK/data" -U newsgraph --auth=trust --no-locale -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=40 $PROFILE_OPTS" \
    start >/dev/null
PGPID=$(head -1 "$WORK/data/postmaster.pid")
URL_BASE="postgres://newsgraph@127.0.0.1:$PORT"

"$BIN" generate-corpus --out "$WORK/corpus" --count "$COUNT" --paragraphs "$PARAGRAPHS" --seed 7 >/dev/null

# CPU seconds (user + system) of the server's processes so far (clock ticks):
# the postmaster's own and its exited children's (a worker's backend has
# exited by the time its run is measured), and the running children's.
server_ticks() {
    local total pid
    total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PGPID/stat")
    for pid in $(pgrep -P "$PGPID" || true); do
        if [ -r "/proc/$pid/stat" ]; then
            total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
        fi
    done
    echo "$total"
}
TICK=$(getconf CLK_TCK)

# run N: ingest the corpus with N workers into a fresh database; prints
# "wall cpu docs".
run() {
    local n=$1 db="bench_$1" i
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U newsgraph -d postgres -qc "CREATE DATABASE $db" >/dev/null
    # The schema first, so that the workers do not wait for each other's migration.
    "$BIN" stats --db "$URL_BASE/$db" >/dev/null
    if [ "${PROFILE:-0}" = 1 ]; then
        psql_db "$db" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
    fi
    local before_server start end sampler
    before_server=$(server_ticks)
    # Every 0.2 s: how many sessions of this database run a statement, and
    # how many of those wait for a lock (merge keys, event rows, queue).
    # The statements found waiting go to waits.N (their first words), to
    # see which locks they wait for. One connection for all the samples, so
    # that sampling costs the server little (a connection per sample would
    # cost it a backend start each time).
    ( while [ ! -e "$WORK/stop.$n" ]; do
        echo "SELECT 'S|' || count(*) FILTER (WHERE state = 'active') || '|' ||
                     count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')
              FROM pg_stat_activity WHERE datname = '$db';
              SELECT 'W|' || wait_event || ': ' || regexp_replace(left(query, 70), '\s+', ' ', 'g')
              FROM pg_stat_activity
              WHERE datname = '$db' AND state = 'active' AND wait_event_type = 'Lock';"
        sleep 0.2
      done | "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U newsgraph -d postgres -At 2>/dev/null ) >"$WORK/samples.$n" &
    sampler=$!
    local perf=
    if [ "${PERF:-0}" = 1 ]; then
        perf record -a -F 499 -o "$WORK/perf.$n" >/dev/null 2>&1 &
        perf=$!
    fi
    start=$(date +%s.%N)
    for i in $(seq 1 "$n"); do
        RAYON_NUM_THREADS=$THREADS /usr/bin/time -f "%U %S" -o "$WORK/time.$n.$i" \
            "$BIN" ingest "$WORK/corpus" --db "$URL_BASE/$db" --queue 2>"$WORK/log.$n.$i" &
    done
    wait $(jobs -p | grep -v "^$sampler$" | grep -v "^$perf$")
    end=$(date +%s.%N)
    if [ -n "$perf" ]; then
        kill -INT "$perf"
        wait "$perf" 2>/dev/null || true
        perf report -i "$WORK/perf.$n" --comm postgres --percentage relative --sort symbol --stdio 2>/dev/null |
            grep -v '^#' | grep -v '^$' | sed -n '1,40p' >"$WORK/perfreport.$n"
    fi
    touch "$WORK/stop.$n"
    wait "$sampler" 2>/dev/null || true
    sed -n 's/^S|//p' "$WORK/samples.$n" >"$WORK/locks.$n"
    sed -n 's/^W|//p' "$WORK/samples.$n" >"$WORK/waits.$n"
    local server_cpu workers_cpu docs
    server_cpu=$(echo "($(server_ticks) - $before_server) / $TICK" | bc -l)
    workers_cpu=$(cat "$WORK"/time."$n".* | awk '{s += $1 + $2} END {print s}')
    docs=$("$BIN" stats --db "$URL_BASE/$db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
    local waits
    waits=$(awk -F'|' '{a += $1; l += $2} END {printf "%.2f", a ? l / a : 0}' "$WORK/locks.$n")
    if [ "${PROFILE:-0}" = 1 ]; then
        psql_db "$db" -Atc "SELECT round(total_exec_time::numeric / 1000, 2) || ' s, ' || calls || ' calls, '
                                  || rows || ' rows: ' || regexp_replace(left(query, 90), '\s+', ' ', 'g')
                           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db')
                           ORDER BY total_exec_time DESC LIMIT 15" >"$WORK/profile.$n"
    fi
    echo "$(echo "$end - $start" | bc -l) $(echo "$workers_cpu + $server_cpu" | bc -l) $docs $waits $server_cpu"
}
psql_db() { local db=$1; shift; as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U newsgraph -d "$db" "$@"; }

LOAD1=$(cut -d' ' -f1 /proc/loadavg)
read -r W1 C1 D1 L1 S1 < <(run 1)
LOADN=$(cut -d' ' -f1 /proc/loadavg)
read -r WN CN DN LN SN < <(run "$WORKERS")
if [ "${PROFILE:-0}" = 1 ]; then
    for n in 1 "$WORKERS"; do
        echo "server time by statement ($n worker(s), pg_stat_statements):"
        sed 's/^/  /' "$WORK/profile.$n"
    done
fi
if [ "${PERF:-0}" = 1 ]; then
    for n in 1 "$WORKERS"; do
        echo "server CPU by function ($n worker(s), perf, postgres processes):"
        sed 's/^/  /' "$WORK/perfreport.$n"
    done
fi
if [ -s "$WORK/waits.$WORKERS" ]; then
    echo "statements most often found waiting for a lock ($WORKERS workers; lock type: statement):"
    sort "$WORK/waits.$WORKERS" | uniq -c | sort -rn | head -8
fi
[ "$D1" = "$COUNT" ] && [ "$DN" = "$COUNT" ] || { echo "stored $D1 and $DN documents, expected $COUNT" >&2; exit 1; }
python3 - "$COUNT" "$WORKERS" "$THREADS" "$W1" "$C1" "$WN" "$CN" "$(nproc)" "$L1" "$LN" "$PARAGRAPHS" "$S1" "$SN" "$LOAD1" "$LOADN" <<'EOF'
import os, sys
count, workers, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
w1, c1, wn, cn, cores, l1, ln = map(float, sys.argv[4:11])
s1, sn, load1, loadn = map(float, sys.argv[12:16])
load = os.getloadavg()[0]
print(f"corpus: {count} generated articles ({sys.argv[11]} paragraphs); {threads} pipeline thread(s) per worker; "
      f"{int(cores)} cores, load average {load1:.1f} / {loadn:.1f} / {load:.1f} (before each run, after)")
print(f"{'workers':>8} {'wall s':>8} {'CPU s':>8} {'server s':>9} {'docs/s':>8} {'docs/CPU s':>11} {'CPU ms/doc':>11} {'lock waits':>11}")
print(f"{1:>8} {w1:8.1f} {c1:8.1f} {s1:9.1f} {count / w1:8.2f} {count / c1:11.2f} {1000 * c1 / count:11.2f} {l1:11.2f}")
print(f"{workers:>8} {wn:8.1f} {cn:8.1f} {sn:9.1f} {count / wn:8.2f} {count / cn:11.2f} {1000 * cn / count:11.2f} {ln:11.2f}")
print("(CPU: user + system of the workers and the server; server: the server's share;")
print(" lock waits: share of the sampled running statements that were waiting for a lock)")
print(f"throughput ratio ({workers} workers / 1, wall clock): {w1 / wn:.2f}"
      f" (bound by free cores: at most {min(workers * threads, cores) / threads:.1f})")
print(f"throughput per CPU second ratio ({workers} workers / 1): {c1 / cn:.2f}")
EOF
