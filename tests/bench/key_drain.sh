#!/usr/bin/env bash
# key_drain.sh — key_drain figure: the kiosk's answer to a key press (F1
# help, Esc back) from tmux send-keys until the answer leaves the kiosk
# (tests/tools/keytime.py), while its own uploader thread drains a week's
# backlog (BENCH_KEY_RECORDS, default 21 000) to the test receiver, against
# the same presses in the same kiosk with the uploader idle (head office
# down) as the floor.  From FORECOURT_UI_TRACE too: the longest key turn and
# the longest loop turn during the drain (a key waits at most both).
# The scene of tests/tui/upload_drain.sh, timed.  Prints one JSON line (ms).
# Needs FORECOURT_BIN, FORECOURT_BUILD, FORECOURT_SRC, FORECOURT_LOCALEDIR.
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$FORECOURT_SRC/tests/integration/upload_lib.sh"
. "$FORECOURT_SRC/tests/tui/fixture.sh"
RECORDS=${BENCH_KEY_RECORDS:-21000}

drain_kiosk_start "$RECORDS" 2
tmux -L "$TMUX_SOCKET" pipe-pane -o -t k "cat >>'$T/pane.out'" || fail "pipe-pane"
keytime() { # samples-file, more arguments
	"$PY" "$FORECOURT_SRC/tests/tools/keytime.py" --socket "$TMUX_SOCKET" --target k \
		--out "$T/pane.out" --samples "$1" --press "F1=本屏按键" --press "Escape=请刷客户卡" "${@:2}" >/dev/null
}
keytime "$T/floor" --presses 40 || fail "floor presses"

trace_from=$(($(wc -l <"$T/ui.trace") + 1))
rx_ctl "mode=ok"
start=$(date +%s%3N)
keytime "$T/drain" --presses 1000 --while-cmd \
	"[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM outbox WHERE state = 'pending'\")\" -gt 0 ]" ||
	fail "presses during the drain"
wait_for 300 pending_is 0 || fail "the kiosk did not drain: $(pending) pending"
drain_ms=$(($(date +%s%3N) - start))
tail -n +"$trace_from" "$T/ui.trace" >"$T/drain.trace"
kiosk_quit k "$T" || fail "unclean exit"

"$PY" - "$T/drain" "$T/floor" "$T/drain.trace" "$drain_ms" "$RECORDS" <<'EOF'
import json, statistics, sys
ours = [float(x) for x in open(sys.argv[1])]
floor = [float(x) for x in open(sys.argv[2])]
turns = [l.split() for l in open(sys.argv[3]) if l.strip()]
key_turns = [float(t[1]) for t in turns if t[0] == "key"]
s = sorted(ours)
print(json.dumps({"name": "key_drain", "unit": "ms", "median": statistics.median(ours),
                  "p99": s[min(len(s) - 1, int(0.99 * (len(s) - 1) + 0.5))], "worst": s[-1],
                  "floor": statistics.median(floor), "floor_worst": max(floor), "n": len(ours),
                  "key_turn_worst": max(key_turns, default=None),
                  "turn_worst": max((float(t[1]) for t in turns), default=None),
                  "drain_ms": int(sys.argv[4]), "records": int(sys.argv[5])}))
EOF
