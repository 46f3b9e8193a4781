#!/usr/bin/env bash
# killtest.sh: kill -9 aiecon at random points of run, sweep and close, and
# check the store after each kill.
#
# Each cycle starts one writer on the same store: a short run, a small sweep
# (-j 2), a run killed near its end, where the store closes and checkpoints
# (close), or a run killed while it closes the store, timed from the report
# it prints just before (ckpt: aimed at the close's checkpoint). It
# sends SIGKILL after a random delay, then opens the store
# read-write (replaying the write-ahead log, marking the run failed,
# checkpointing) and reads every table in full, which makes DuckDB verify
# the checksum of every block, and checks that every run complete at the
# previous check is still there with the same requests. A store that fails
# any of this is counted corrupt, kept as corrupt-N.duckdb (with its .wal)
# and replaced by a fresh one. A checkpoint torn by the kill, which the
# read-write open repairs (data/repair.go), is counted repaired, and the
# damaged original kept as repaired-N.duckdb. The last line says: cycles,
# corrupt, repaired, and the modes' counts.
#
#   scripts/killtest.sh                    # 200 cycles
#   CYCLES=500 SEED=7 scripts/killtest.sh
#   OUT=/tmp/kt scripts/killtest.sh        # keep the work folder
#   MODES="close ckpt" scripts/killtest.sh # only kills at close (modes: run, sweep, close, ckpt)
#   BIN=/tmp/aiecon scripts/killtest.sh    # test that binary instead of building one
#
# Needs: go. Uses its own store and calibration directory, never yours.
set -euo pipefail

cd "$(dirname "$0")/.."
CYCLES=${CYCLES:-200}
SEED=${SEED:-1}
read -r -a MODES <<<"${MODES:-run sweep close}"
for m in "${MODES[@]}"; do
	case $m in run | sweep | close | ckpt) ;; *)
		echo "killtest: MODES: unknown mode $m (run, sweep, close, ckpt)" >&2
		exit 2
		;;
	esac
done
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/aiecon-killtest.XXXXXX")}
mkdir -p "$OUT"
RANDOM=$SEED

if [ -z "${BIN:-}" ]; then # BIN: a binary built beforehand, e.g. before slowing the disk
	go build -o "$OUT/aiecon" ./cmd/aiecon
fi
export AIECON_DB="$OUT/store.duckdb" AIECON_CONFIG_DIR="$OUT/config" NO_COLOR=1
A=${BIN:-$OUT/aiecon}
cat >"$OUT/sweep.yaml" <<'EOF'
name: killtest
base: baseline
set: {horizon: 5m}
parameters:
  fleet.count: [1, 2]
  workloads[chat].arrivals.rate: [5/s, 20/s]
EOF

# ms since the epoch
now_ms() { date +%s%3N; }

# How long an uninterrupted run takes here: the "close" mode kills near it.
t0=$(now_ms)
"$A" run baseline --horizon 5m --seed 1 -q >/dev/null
RUN_MS=$(($(now_ms) - t0))
t0=$(now_ms)
"$A" sweep "$OUT/sweep.yaml" -j 2 -q >/dev/null 2>&1
SWEEP_MS=$(($(now_ms) - t0))
# How long a run takes from printing its report to exiting: closing the
# store, its checkpoint most of it. The "ckpt" mode kills within it.
"$A" run baseline --horizon 5m --seed 2 -q >"$OUT/run.out" 2>&1 &
pid=$!
while [ ! -s "$OUT/run.out" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.002; done
t0=$(now_ms)
wait "$pid"
CLOSE_MS=$(($(now_ms) - t0 + 1))
echo "killtest: a run takes ${RUN_MS} ms (closing ${CLOSE_MS} ms), a sweep ${SWEEP_MS} ms; $CYCLES cycles in $OUT"

# check opens the store read-write and reads every table in full.
check() {
	"$A" sql --write "CHECKPOINT" >/dev/null 2>"$OUT/check.err" &&
		"$A" sql --format csv "SELECT
		  (SELECT count(*) || ':' || coalesce(sum(hash(r)), 0) FROM runs r) AS runs,
		  (SELECT count(*) || ':' || coalesce(sum(hash(q)), 0) FROM requests q) AS requests,
		  (SELECT count(*) || ':' || coalesce(sum(hash(w)), 0) FROM windows w) AS windows,
		  (SELECT count(*) || ':' || coalesce(sum(hash(k)), 0) FROM kpis k) AS kpis,
		  (SELECT count(*) || ':' || coalesce(sum(hash(s)), 0) FROM sessions s) AS sessions,
		  (SELECT count(*) || ':' || coalesce(sum(hash(a)), 0) FROM auctions a) AS auctions,
		  (SELECT count(*) FROM runs WHERE status = 'running') AS running" >"$OUT/check.out" 2>>"$OUT/check.err" &&
		grep -q ',0$' "$OUT/check.out" &&
		"$A" sql --format csv --all "SELECT r.run_id, coalesce(q.n, 0) || ':' || coalesce(q.h, 0) AS requests
		  FROM runs r LEFT JOIN (SELECT run_id, count(*) AS n, sum(hash(q)) AS h FROM requests q GROUP BY run_id) q USING (run_id)
		  WHERE r.status = 'complete' ORDER BY 1" >"$OUT/digests.new" 2>>"$OUT/check.err" &&
		kept_all
}

# kept_all checks that every run complete at the previous check is still
# there with the same requests, row for row (a repair must lose nothing).
kept_all() {
	touch "$OUT/digests.csv"
	local lost
	lost=$(comm -23 <(sort "$OUT/digests.csv") <(sort "$OUT/digests.new") | grep -v '^run_id,' || true)
	if [ -n "$lost" ]; then
		echo "complete runs lost or changed since the previous check:" >>"$OUT/check.err"
		echo "$lost" >>"$OUT/check.err"
		return 1
	fi
	mv "$OUT/digests.new" "$OUT/digests.csv"
}

corrupt=0 repaired=0
declare -A modes=([run]=0 [sweep]=0 [close]=0 [ckpt]=0)
for i in $(seq 1 "$CYCLES"); do
	mode=${MODES[$((RANDOM % ${#MODES[@]}))]}
	case $mode in
	run) delay=$((RANDOM % RUN_MS)) ;;
	sweep) delay=$((RANDOM % SWEEP_MS)) ;;
	close) delay=$((RUN_MS * 3 / 4 + RANDOM % (RUN_MS / 2 + 1))) ;;
	ckpt) delay=$((RANDOM % CLOSE_MS)) ;;
	esac
	modes[$mode]=$((modes[$mode] + 1))
	if [ $mode = sweep ]; then
		"$A" sweep "$OUT/sweep.yaml" -j 2 -q >/dev/null 2>&1 &
	else
		"$A" run baseline --horizon 5m --seed "$i" -q >"$OUT/run.out" 2>&1 &
	fi
	pid=$!
	if [ $mode = ckpt ]; then # the report is out: the store closes next
		while [ ! -s "$OUT/run.out" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.002; done
	fi
	sleep "$(printf '0.%03d' "$((delay % 1000))")"
	sleep $((delay / 1000))
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if check; then
		# A read-write open that repaired a torn checkpoint kept the damaged
		# original as store.duckdb.corrupt-TIME: count it, keep it aside.
		for f in "$AIECON_DB".corrupt-*; do
			case $f in *.wal | *'*') continue ;; esac
			repaired=$((repaired + 1))
			echo "killtest: cycle $i ($mode, killed after ${delay} ms): a torn checkpoint, repaired; every earlier complete run checks" >&2
			mv "$f" "$OUT/repaired-$i.duckdb"
			if [ -e "$f.wal" ]; then mv "$f.wal" "$OUT/repaired-$i.wal"; fi
		done
	else
		corrupt=$((corrupt + 1))
		echo "killtest: cycle $i ($mode, killed after ${delay} ms): the store does not check:" >&2
		sed 's/^/  /' "$OUT/check.err" >&2
		# A read-write open that found the damage has set the store aside
		# already (store.duckdb.corrupt-TIME); keep whatever is left too.
		for f in "$AIECON_DB" "$AIECON_DB.wal"; do
			if [ -e "$f" ]; then mv "$f" "$OUT/corrupt-$i.${f##*.}"; fi
		done
		rm -f "$OUT/digests.csv" # a new store starts empty
	fi
	if [ $((i % 25)) = 0 ]; then
		echo "killtest: $i cycles, $corrupt corrupt, $repaired repaired"
	fi
done
echo "killtest: cycles=$CYCLES corrupt=$corrupt repaired=$repaired run=${modes[run]} sweep=${modes[sweep]} close=${modes[close]} ckpt=${modes[ckpt]} (seed $SEED, $OUT)"
[ "$corrupt" = 0 ]
