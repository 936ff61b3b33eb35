# tests/lib.sh — shared helpers for integration and TUI test scripts.
# Source it: `. "$(dirname "$0")/../lib.sh"`.  Gives: $T (a temporary
# directory removed on exit), fail, wait_for, tmux helpers.
set -u
FC=${FORECOURT_BIN:?run through tests/run-all or set FORECOURT_BIN}
T=$(mktemp -d /tmp/fc-test.XXXXXX)
TMUX_SOCKET="fc-test-$$"
BG_PIDS=() # background processes of the test, killed at exit
_cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
	rm -rf "$T"
}
trap _cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "# ok: $*"; }

# wait_for SECONDS COMMAND...: run COMMAND until it succeeds or the deadline
# passes (polls every 20 ms); returns 1 on timeout.  A deadline only guards
# against a hang, it is no limit on speed: on a loaded machine under ASan a
# kiosk can take seconds to answer, so no wait gives up before
# FC_WAIT_MIN_S seconds (default 30) whatever SECONDS says.
FC_WAIT_MIN_S=${FC_WAIT_MIN_S:-30}
wait_for() {
	local secs=$1; shift
	[ "$secs" -ge "$FC_WAIT_MIN_S" ] || secs=$FC_WAIT_MIN_S
	local deadline=$(( $(date +%s%3N) + secs * 1000 ))
	while ! "$@" 2>/dev/null; do
		[ "$(date +%s%3N)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# A kiosk's monotonic clock (its idle timers) moved instead of waited out:
# start the kiosk with FORECOURT_MONO_OFFSET_FILE=$T/mono.offset and
# FORECOURT_UI_TRACE=$T/ui.trace; mono_advance MS puts its clock MS ahead of
# the real one (counted from the start, not added up) and returns once the
# kiosk has ticked with the new time: two more `tick` lines in the trace (a
# tick may have begun before the change).
mono_advance() {
	printf '%s\n' "$1" >"$T/mono.new" && mv "$T/mono.new" "$T/mono.offset" || return 1
	local ticks
	ticks=$(grep -c '^tick ' "$T/ui.trace")
	wait_for 30 sh -c '[ "$(grep -c "^tick " "$1")" -ge "$2" ]' _ "$T/ui.trace" $((ticks + 2))
}

# q DB SQL: one value from sqlite3.
q() { sqlite3 -batch -noheader "$1" "$2"; }

# tmux: start CMD in a detached session of WxH (default 80x24).
tui_start() { # name cols rows command...
	local name=$1 cols=$2 rows=$3; shift 3
	tmux -L "$TMUX_SOCKET" new-session -d -s "$name" -x "$cols" -y "$rows" \
		-e LANG=C.UTF-8 -e TERM=xterm-256color "$@"
}
tui_keys() { local name=$1; shift; tmux -L "$TMUX_SOCKET" send-keys -t "$name" "$@"; }
tui_screen() { tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1"; }
# tui_wait NAME SECONDS TEXT: wait until TEXT (fixed string) is on screen.
tui_wait() {
	local name=$1 secs=$2 text=$3
	wait_for "$secs" sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t '$name' | grep -qF -- \"\$1\"" _ "$text" ||
		{ echo "--- screen of $name ---"; tui_screen "$name"; return 1; }
}
