#!/usr/bin/env bash
# tests/tui/upload_drain.sh — the kiosk's own uploader thread drains a week's
# backlog (21 000 records) after head office comes back, while the attendant
# keeps pressing keys: each key press is timed from tmux send-keys until the
# screen shows the answer (F1 help, Esc back).  The status bar goes from
# offline with the backlog to online with 0, and the kiosk exits cleanly.
. "$(dirname "$0")/../integration/upload_lib.sh"
. "$(dirname "$0")/fixture.sh"

DB=$T/st.db
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
feed_start "$T" || fail "ptyfeed"
BG_PIDS+=("$FEED_PID")
rx_start --mode down
cat >>"$T/fc.conf" <<CONF
[upload]
url = http://127.0.0.1:$RX_PORT
token_file = $T/token
connect_timeout_s = 1
timeout_s = 2
backoff_base_ms = 1
backoff_cap_s = 1
CONF
fill 21000 --customers 500 --start 2026-06-24T00:00:00Z --step-ms 28800

kiosk_start k "$T" 100 30 || fail "start"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
tui_wait k 10 "离线 自" || fail "status bar does not show offline"
tui_wait k 5 "待上传：21000" || fail "status bar does not show the backlog"
ok "head office down: status bar shows offline and the backlog of 21000"

answer() { # key text: ms from send-keys until text is on screen
	local start deadline
	start=$(date +%s%N)
	tui_keys k "$1"
	deadline=$((start + 5000000000))
	until tmux -L "$TMUX_SOCKET" capture-pane -p -t k | grep -qF "$2"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || fail "$1: '$2' not shown within 5 s"
	done
	echo $((($(date +%s%N) - start) / 1000)) >>"$T/times"
}
stats() { # median and worst of $T/times in ms
	sort -n "$T/times" | awk '{ a[NR] = $1 } END { printf "%.1f %.1f\n", a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }'
}
# The floor: the same key presses with the uploader idle (head office down).
: >"$T/times"
for i in $(seq 10); do
	answer F1 "本屏按键"
	answer Escape "请刷客户卡"
done
read -r floor_median floor_worst < <(stats)
ok "key answers with head office down (floor, tmux capture included): median $floor_median ms, worst $floor_worst ms"

# Head office back: the thread drains while keys are pressed and timed.
rx_ctl "mode=ok"
: >"$T/times"
start=$(date +%s%3N)
presses=0
while [ "$(pending)" -gt 0 ] && [ "$presses" -lt 400 ]; do
	answer F1 "本屏按键"
	answer Escape "请刷客户卡"
	presses=$((presses + 2))
done
wait_for 120 pending_is 0 || fail "kiosk did not drain: $(pending) pending"
drain_ms=$(( $(date +%s%3N) - start ))
[ "$presses" -ge 4 ] || fail "only $presses key presses during the drain"
tui_wait k 10 "在线" || fail "status bar not back online"
tui_wait k 5 "待上传： 0" || fail "status bar backlog not 0"
[ "$(rx_stat distinct)" = 21000 ] || fail "head office holds $(rx_stat distinct)"
[ "$(rx_stat order_violations)" = 0 ] || fail "order violations"
read -r median worst < <(stats)
# Answered within 100 ms beyond what tmux and this machine's load cost anyway.
awk -v m="$median" -v f="$floor_median" 'BEGIN { exit !(m < f + 100) }' ||
	fail "median key answer $median ms during the drain (floor $floor_median ms)"
ok "drain of 21000 by the kiosk's thread in $drain_ms ms; $presses key presses answered: median $median ms, worst $worst ms (send-keys to screen, tmux capture included)"
kiosk_quit k "$T" || fail "unclean exit"
ok "status bar back online with 0 to upload; clean exit (uploader thread stopped, no leak)"
