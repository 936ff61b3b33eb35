#!/usr/bin/env bash
# monthly.sh FC BIGDB — the monthly figure (issue 17): `forecourt report
# monthly` (text, every row) on a copy of the big database, three runs, and
# the kiosk's Ctrl-R on it in tmux: from the key to the figures on the
# screen, and the kiosk's peak RSS (VmHWM) when they are there (its worker
# thread included; the peak of the login's PIN hash before it left out),
# and to the whole page (the lists come after the figures); CPU times
# beside the wall-clock ones.  Target: <= 2 s each, <= 64 MiB.  Prints one JSON line
# (seconds; KiB).  Needs FORECOURT_BIN, FORECOURT_SRC, FORECOURT_LOCALEDIR.
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$FORECOURT_SRC/tests/lib.sh"
BIG=$2
cp "$BIG" "$T/m.db" || fail "copying $BIG"
printf '[station]\nid = S0001\n[reader]\nport = sim\n[ui]\nlocale = zh_CN\nidle_seconds = 3600\n[complaints]\nholidays_file = %s/config/holidays.conf\n[auth]\npepper_file = %s/pepper\n' \
	"$FORECOURT_SRC" "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/m.db" "$@"; }
printf '999999\n999999\n' | fc staff add BA1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add BH1 王站长 head --as BA1 >/dev/null || fail "head"

cli=() cli_cpu=()
for i in 1 2 3; do
	t0=$(date +%s%3N)
	/usr/bin/env time -f '%U %S' -o "$T/cpu" "$FC" --config "$T/fc.conf" --db "$T/m.db" \
		report monthly >"$T/report.txt" 2>"$T/report.err" || fail "report: $(cat "$T/report.err")"
	cli+=($(( $(date +%s%3N) - t0 )))
	cli_cpu+=($(awk '{ print $1 + $2 }' "$T/cpu"))
done
lines=$(wc -l <"$T/report.txt")

tui_start k 100 30 sh -c "export FORECOURT_LOCALEDIR='$FORECOURT_LOCALEDIR'
	exec '$FC' --config '$T/fc.conf' --db '$T/m.db' 2>'$T/kiosk.err'"
tui_wait k 60 "请刷客户卡" >&2 || fail "kiosk did not come up"
pid=$(tmux -L "$TMUX_SOCKET" list-panes -t k -F '#{pane_pid}')
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status"; }
tui_keys k F6
tui_wait k 10 "工号" >&2 || fail "no login form"
tui_keys k -l BH1
tui_keys k Tab
tui_keys k -l 246824
tui_keys k Enter
tui_wait k 10 "已登录：王站长" >&2 || fail "login"
# The login's PIN hash (Argon2, 64 MiB) set the peak: start it afresh
# (clear_refs 5: VmHWM = VmRSS), so it tells what Ctrl-R takes.
before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
echo 5 >"/proc/$pid/clear_refs" || fail "cannot reset the kiosk's peak RSS"
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; } # utime + stime, clock ticks
cpu0=$(cpu)
t0=$(date +%s%3N)
tui_keys k C-r
tui_wait k 120 "按油品的销量" >&2 || fail "no figures after Ctrl-R"
kiosk_ms=$(( $(date +%s%3N) - t0 ))
# then the lists: the page of the figures alone has some 50 lines ("a-b/N"
# in the title row), the whole one a line per customer listed
lines_shown() { tui_screen k | sed -n 3p | grep -oE '/[0-9]+ *$' | tr -dc 0-9; }
lists_in() { [ "$(lines_shown)" -gt 1000 ]; }
wait_for 600 lists_in || fail "the lists did not come"
all_ms=$(( $(date +%s%3N) - t0 ))
cpu_ticks=$(( $(cpu) - cpu0 ))
# the lists are there too: End shows the last lines ("…-N/N" in the title row)
tui_keys k End
at_end() { tui_screen k | grep -qE -- '-([0-9]+)/\1 *$'; }
wait_for 20 at_end || fail "End did not reach the last line"
after=$(hwm)
tui_keys k F10

python3 - "$kiosk_ms" "$before" "$after" "$lines" "$all_ms" "$cpu_ticks" "$(getconf CLK_TCK)" \
	"${cli_cpu[@]}" -- "${cli[@]}" <<'EOF'
import json, statistics, sys
kiosk_ms, before, after, lines, all_ms, ticks, hz = (int(x) for x in sys.argv[1:8])
rest = sys.argv[8:]
cpu = [float(x) for x in rest[:rest.index("--")]]
cli = [int(x) / 1000 for x in rest[rest.index("--") + 1:]]
print(json.dumps({"name": "monthly", "unit": "s", "median": statistics.median(cli),
                  "worst": max(cli), "cpu": statistics.median(cpu), "n": len(cli),
                  "lines": lines, "kiosk_s": kiosk_ms / 1000, "kiosk_all_s": all_ms / 1000,
                  "kiosk_cpu_s": ticks / hz, "kiosk_rss_before_kib": before,
                  "kiosk_rss_kib": after}))
EOF
