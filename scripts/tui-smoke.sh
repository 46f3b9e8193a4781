#!/usr/bin/env bash
# tui-smoke.sh: drive the real `aiecon tui` in tmux, screen by screen.
#
# It builds aiecon, makes a store with a few short runs, starts the dashboard
# in a detached tmux session of a fixed size, sends keys, and captures the
# screen after each step. A step fails when its screen does not show what it
# must within 10 s. The captures are kept (one text file per screen) so a
# person can read them; the last lines printed say where.
#
#   scripts/tui-smoke.sh                 # 100x30
#   W=80 H=24 scripts/tui-smoke.sh       # the smallest supported terminal
#   NO_COLOR=1 scripts/tui-smoke.sh      # as users without colour see it
#   OUT=/tmp/screens scripts/tui-smoke.sh
#
# Needs: go, tmux. Uses its own store and calibration directory, never yours.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tui-smoke: tmux is not installed" >&2; exit 2; }

W=${W:-100}
H=${H:-30}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aiecon-tui-smoke.XXXXXX")
OUT=${OUT:-$WORK/screens}
mkdir -p "$OUT"
rm -f "$OUT"/[0-9][0-9]-*.txt # captures of an earlier run
SESSION="aiecon-tui-smoke-$$"
WRITER=""

cleanup() {
	tmux kill-session -t "$SESSION" 2>/dev/null || true
	if [ -n "$WRITER" ]; then kill "$WRITER" 2>/dev/null || true; fi
}
trap cleanup EXIT

BIN="$WORK/aiecon"
DB="$WORK/smoke.duckdb"
export AIECON_CONFIG_DIR="$WORK/config" # the built-in calibration profile

echo "tui-smoke: building aiecon"
go build -o "$BIN" ./cmd/aiecon
echo "tui-smoke: making runs in $DB"
"$BIN" run baseline --horizon 10m --db "$DB" -q >/dev/null
"$BIN" run baseline --horizon 10m --seed 2 --set fleet.count=8 --name baseline-8x --db "$DB" -q >/dev/null
"$BIN" run agents-heavy --horizon 10m --db "$DB" -q >/dev/null
# A sweep of two replications a point, whose points pair by seed, and one of
# a single replication, which has no paired differences; a forecast of one
# sample and one quarter. They are newer than the runs, so they list above
# them and the runs the steps below open stay last.
cat >"$WORK/pair.yaml" <<'YAML'
name: smoke-pair
base: baseline
set:
  horizon: 2m
parameters:
  fleet.count: [4, 8]
replications: 2
YAML
sed -e 's/smoke-pair/smoke-single/' -e 's/replications: 2/replications: 1/' "$WORK/pair.yaml" >"$WORK/single.yaml"
"$BIN" sweep "$WORK/pair.yaml" --db "$DB" -q >/dev/null
"$BIN" sweep "$WORK/single.yaml" --db "$DB" -q >/dev/null
sweep_id() { "$BIN" sql --db "$DB" --format csv "SELECT sweep_id FROM sweeps WHERE name = '$1'" | tail -n 1; }
PAIR=$(sweep_id smoke-pair)
SINGLE=$(sweep_id smoke-single)
"$BIN" forecast --samples 1 --periods 1 --db "$DB" -q >/dev/null
RUNS=$("$BIN" sql --db "$DB" --format csv "SELECT count(*) AS n FROM runs" | tail -n 1)

# stderr goes to a file, not the terminal (as with `aiecon tui 2>/dev/null`):
# the dashboard must draw on stdout whatever stderr is.
# A row budget below the launches' requests: each launch stores a sample of
# them, which the footer notes as `aiecon run` notes it on stderr.
tmux new-session -d -s "$SESSION" -x "$W" -y "$H" -c "$WORK" \
	"env NO_COLOR=${NO_COLOR:-} TERM=xterm-256color AIECON_MAX_REQUEST_ROWS=100 $BIN tui --db $DB 2>$WORK/tui.stderr"

step=0
# shot NAME TEXT...: wait until the screen shows every TEXT, save it as NAME.
# A TEXT written re:REGEX is an extended regular expression; one written
# words:TEXT is found in the screen's words run together, across the lines
# a paragraph wraps onto (which differ with the width). The wait is
# SHOT_WAIT seconds (default 10).
shot() {
	local name=$1 screen=""
	shift
	step=$((step + 1))
	for _ in $(seq $((${SHOT_WAIT:-10} * 10))); do
		screen=$(tmux capture-pane -p -t "$SESSION" 2>/dev/null || true)
		local ok=1
		for want in "$@"; do
			case $want in
			re:*) grep -qE -- "${want#re:}" <<<"$screen" || { ok=0; break; } ;;
			words:*) tr -s ' \n' '  ' <<<"$screen" | grep -qF -- "${want#words:}" || { ok=0; break; } ;;
			*) grep -qF -- "$want" <<<"$screen" || { ok=0; break; } ;;
			esac
		done
		if [ "$ok" = 1 ]; then
			printf '%s\n' "$screen" >"$OUT/$(printf %02d $step)-$name.txt"
			echo "tui-smoke: ok  $name"
			return 0
		fi
		sleep 0.1
	done
	printf '%s\n' "$screen" >"$OUT/$(printf %02d $step)-$name.FAILED.txt"
	echo "tui-smoke: FAIL $name: the screen never showed: $*" >&2
	printf '%s\n' "$screen" >&2
	exit 1
}
keys() { tmux send-keys -t "$SESSION" "$@"; }
# esc sends Escape alone: a key right after it would read as alt+key.
esc() {
	tmux send-keys -t "$SESSION" Escape
	sleep 0.3
}

shot runs "$RUNS of $RUNS runs" "read-only" "? help"
keys End Enter
shot run-overview "✓ complete" "$/Mtok all costs" "Revenue" "Margin" "step times:" "SESSIONS ABANDONED" "PRICED BELOW COST" "i: in full"
keys i # the warnings aiecon show prints for the run, in full, then folded
shot run-warnings "words:SESSIONS ABANDONED: shopping-assistant abandons" "warning lines 1–" "i or esc: back to the tab"
keys i
shot run-warnings-folded "$/Mtok all costs" "i: in full"
keys 2
shot run-charts "Throughput" "completed/s"
keys Right Right Right # small terminals show one or two charts at a time
shot run-charts-more "Revenue and cost"
keys 3
shot run-workloads "WORKLOAD" "chat"
keys 4
shot run-replicas "REPLICA" "PREFILL TOK"
keys 5
# The label and the name show whole at every width from 80 columns: they
# share the room where the longest do not both fit.
shot run-kpis "SCOPE" "ad_clicks_expected" "ad clicks (expected)"
keys 6
shot run-requests "rows 1–"
keys 7
shot run-scenario "resolved scenario"
esc
shot runs-again "$RUNS of $RUNS runs"
keys End Space Up Space c
shot compare "baseline of the deltas" "ΔB"
keys w
shot compare-workload "workload"
esc
keys w
shot sweeps "2 sweeps" "smoke-pair" "smoke-single"
esc
# The paired differences from point 0 (d), as `aiecon sweep --vs 0` prints
# them; esc goes back to the KPIs, then to the runs.
keys ':'
tmux send-keys -t "$SESSION" -l "sweep $PAIR"
keys Enter
shot sweep "smoke-pair" "2 points × 2 replications" "Heatmap" "d paired Δ" "⚠ COMMERCE COUNTED GROSS"
keys d
shot sweep-paired "Paired Δ from point 0 (count=4)" "reference: the Δ are from it" "Δ \$/MTOK" "PAIRS" "re:[+-]\\\$[0-9.]+ ±\\\$[0-9.]+"
esc
shot sweep-kpis-again "Heatmap" "d paired Δ"
# The warnings aiecon sweep prints for its runs, in full (i); esc folds them.
keys i
shot sweep-warnings "SESSIONS ABANDONED: in " "warning lines 1–" "i or esc: back to the points"
esc
shot sweep-warnings-folded "Heatmap" "i: in full"
esc
# One replication a point: one seed, no interval; the screen says so.
keys ':'
tmux send-keys -t "$SESSION" -l "sweep $SINGLE"
keys Enter
shot sweep-single "smoke-single" "2 points × 1 replication"
keys d
shot sweep-single-paired "No paired differences from point 0" "words:sweep smoke-single has 1 replication per point" "esc or d goes back"
esc
esc
# The forecast (:forecast, the last stored), then its next variant.
keys ':'
tmux send-keys -t "$SESSION" -l "forecast"
keys Enter
shot forecast "Forecast trainium-amortization" "one sample: its values, no bands" "PERIOD" "REVENUE" "OP MARGIN" "growth:" "re:variant [^ ]+ \\(1 of 3"
keys v
shot forecast-variant "re:variant [^ ]+ \\(2 of 3"
esc
keys e
shot sql "rows 1–$RUNS of $RUNS"
keys C-u "SELECT name, round(cost_per_mtok_usd, 2) AS usd_per_mtok FROM run_summary ORDER BY 2" C-r
shot sql-query "usd_per_mtok" "rows 1–$RUNS of $RUNS"
keys C-s Enter
shot sql-export "exported $RUNS rows to $WORK/results.csv"
test -s "$WORK/results.csv"
esc
shot runs-3 "$RUNS of $RUNS runs"
keys '?'
shot help "Everywhere" "Tables"
esc
keys ':'
tmux send-keys -t "$SESSION" -l "run base"
shot palette ": run base" "baseline"
esc
keys n
shot launch "Scenario" "Horizon" "Rate (chat)" "[ Run ]"
# A long run shows its progress bar and live cards; esc cancels it, and
# the store keeps it as failed. The running screen shows before the run is
# registered (the store opens first), and esc then stores nothing: wait
# for events counted, which the simulator reports only once the run is in
# the store. Under load that takes longer than a screen change, hence 30 s.
keys Down C-u 30d C-r
SHOT_WAIT=30 shot launch-running "Running baseline" "░" "%" "simulated" "Revenue so far" "re: [1-9][^ ]* events"
esc
RUNS=$((RUNS + 1))
shot launch-cancelled "run cancelled: it is kept in the store as failed" "$RUNS runs" "changed: --set horizon=30d"
keys C-u 2m
shot launch-changed "changed: --set horizon=2m"
keys C-r
shot launched "✓ complete" "horizon 2m" "$((RUNS + 1)) runs" "words:stored; note: baseline: about" "words:KPIs still count every request)"
esc
RUNS=$((RUNS + 1))
shot runs-after-launch "$RUNS of $RUNS runs"

# Another process writes the store: the dashboard says who, keeps what it
# shows, and offers a snapshot; when the writer is gone it goes back.
sleep 3 # the dashboard closes the file when idle; let the writer in
"$BIN" run baseline --horizon 30d --db "$DB" -q >/dev/null 2>&1 &
WRITER=$!
sleep 2
keys r
shot locked "in use by aiecon" "R retry" "S snapshot" "$RUNS of $RUNS runs"
keys S
shot snapshot "snapshot" "may miss the newest runs" "$RUNS of $RUNS runs"
kill "$WRITER" 2>/dev/null || true
wait "$WRITER" 2>/dev/null || true
WRITER=""
keys R
shot live-again "back on the live file"

# A view redefined through `sql --write` with aiecon's columns and other SQL
# (here a frozen copy of the runs list): every CLI command warns as it
# opens the store, and the dashboard says so under its header.
sleep 1 # the dashboard closes the file when idle; let the writer in
"$BIN" sql --db "$DB" --write 'CREATE TABLE frozen AS SELECT * FROM run_summary; CREATE OR REPLACE VIEW run_summary AS SELECT * FROM frozen' >/dev/null
keys r
shot views-changed "run_summary redefined" "aiecon doctor"

keys q
for _ in $(seq 50); do
	tmux has-session -t "$SESSION" 2>/dev/null || break
	sleep 0.1
done
if tmux has-session -t "$SESSION" 2>/dev/null; then
	echo "tui-smoke: FAIL q did not quit" >&2
	exit 1
fi
echo "tui-smoke: all $step screens as expected (${W}x${H}); captures in $OUT"
