#!/usr/bin/env bash
# demo_chain.sh — `make demo-chain` as a newcomer uses it (seeds/demo-chain.sh,
# detached, on a tmux server of its own): two kiosks come up on head
# office's demo archive; a card swiped and fuelled at S0001 shows the new
# balance and the last purchase at S0002 after its next pull; F10 in both
# kiosks ends the demo, which stops forecourt-hq and PostgreSQL.
. "$(dirname "$0")/../lib.sh"
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD_DIR=${FORECOURT_BUILD:-$(dirname "$FC")}
SOCK="fc-chain-$$"
tm() { tmux -L "$SOCK" "$@"; }
DEMO_CHAIN_DETACHED=1 DEMO_CHAIN_TMUX=$SOCK DEMO_CHAIN_DB=$T/demo.db DEMO_CHAIN_CUSTOMERS=500 \
	"$FORECOURT_SRC/seeds/demo-chain.sh" "$BUILD_DIR" >"$T/demo.log" 2>&1 </dev/null &
DEMO=$!
_demo_cleanup() { tm kill-server 2>/dev/null; wait "$DEMO" 2>/dev/null; _cleanup; }
trap _demo_cleanup EXIT
screen() { tm capture-pane -p -t "forecourt-chain:$1" 2>/dev/null; }
on_screen() { screen "$1" | grep -qF "$2"; }
wait_for 120 on_screen S0001 请刷客户卡 || fail "no kiosk S0001: $(tail -5 "$T/demo.log")"
wait_for 30 on_screen S0002 请刷客户卡 || fail "no kiosk S0002: $(screen S0002)"
dir=$(sed -n 's/^demo-chain: files in \([^;]*\);.*/\1/p' "$T/demo.log")
[ -d "$dir" ] || fail "the demo did not say where its files are: $(cat "$T/demo.log")"
ok "make demo-chain: head office and two kiosks up ($(grep -c . "$T/demo.log") lines of progress)"

# F2 swipes a random demo card: a blocked one (red, no fuelling) is passed over
for try in 1 2 3 4 5 6 7 8; do
	tm send-keys -t forecourt-chain:S0001 F2
	swiped() { on_screen S0001 客户代码 || on_screen S0001 已停用; }
	wait_for 30 swiped || fail "F2 at S0001: $(screen S0001)"
	screen S0001 | grep -q '已停用' || break
	tm send-keys -t forecourt-chain:S0001 Escape
	wait_for 30 on_screen S0001 请刷客户卡 || fail "Esc at S0001: $(screen S0001)"
done
screen S0001 | grep -q '已停用' && fail "eight blocked cards in a row"
code=$(screen S0001 | grep -o 'S0001-[BI]-[A-Z][A-Z]-[0-9]*' | head -1)
[ -n "$code" ] || fail "no customer code on S0001: $(screen S0001)"
tm send-keys -t forecourt-chain:S0001 a 3 0 Enter
wait_for 30 on_screen S0001 已保存 || fail "fuelling at S0001 not saved: $(screen S0001)"
balance() { # the balance a station shows for $code
	sqlite3 "$dir/$1.db" "SELECT c.points_synced + coalesce((SELECT sum(delta) FROM points_ledger
		WHERE customer_id = c.id AND synced = 0), 0) FROM customers c WHERE code = '$code'"
}
last() { sqlite3 "$dir/$1.db" "SELECT coalesce(chain_last_purchase_at, '') FROM customers WHERE code = '$code'"; }
today=$(date -u +%Y-%m-%d)
want=$(balance S0001)
agrees() { [ "$(balance S0002)" = "$want" ] && [ "$(last S0002 | cut -c1-10)" = "$today" ]; }
wait_for 60 agrees || fail "S0002 shows $(balance S0002) / '$(last S0002)', S0001 $want / today"
ok "fuelled at S0001 ($code, balance $want): S0002 shows the same balance and today's purchase after its pull"

tm send-keys -t forecourt-chain:S0001 F10
tm send-keys -t forecourt-chain:S0002 F10
gone() { ! tm has-session -t forecourt-chain 2>/dev/null; }
wait_for 30 gone || fail "F10 in both kiosks did not end the demo: $(screen S0001)"
done_demo() { ! kill -0 "$DEMO" 2>/dev/null; }
wait_for 60 done_demo || fail "the demo script did not end"
wait "$DEMO" || fail "the demo ended with an error: $(tail -5 "$T/demo.log")"
grep -q "stopped; head office's figures were" "$T/demo.log" || fail "no closing figures: $(tail -5 "$T/demo.log")"
[ ! -e "$dir" ] || fail "the demo left $dir behind"
ok "F10 in both kiosks: the demo ends, head office and PostgreSQL stopped, its files removed"
