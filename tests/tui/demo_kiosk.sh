#!/usr/bin/env bash
# demo_kiosk.sh — what `make run` does: `forecourt demo` with the example
# config builds the demo database, then shows the kiosk with the simulated
# reader; F2 swipes a demo card and the screen shows that customer's row.
. "$(dirname "$0")/../lib.sh"
cd "$FORECOURT_SRC" || fail "no source tree"
tui_start k 100 30 "$FC" --config config/forecourt.conf.example --db "$T/demo.db" demo --customers 200
tui_wait k 60 "请刷客户卡" || fail "the kiosk did not come up on the demo database"
tui_wait k 5 "F2" || fail "no F2 demo swipe offered"
[ "$(q "$T/demo.db" 'SELECT count(*) FROM customers')" = 200 ] || fail "demo database not built"
ok "demo database built, kiosk idle screen shown"

# F2 swipes a random demo card: a blocked one shows its reason from the
# database; swipe again (Esc first) until a customer's card comes up.
either() { tui_screen k | grep -qE '客户代码： S0001-|此卡已停用'; }
code="" blocked=0
for try in 1 2 3 4 5 6 7 8 9 10; do
	tui_keys k F2
	wait_for 10 either || fail "F2 showed nothing: $(tui_screen k)"
	if tui_screen k | grep -q '此卡已停用'; then
		last4=$(tui_screen k | grep -o '卡号： \*\*\*\*[0-9A-F]\{4\}' | grep -o '[0-9A-F]\{4\}$')
		reason=$(q "$T/demo.db" "SELECT blocked_reason FROM cards WHERE status = 'blocked' AND card_id LIKE '%$last4'" | head -n 1)
		[ -n "$reason" ] || fail "blocked card ****$last4 is not a blocked demo card"
		tui_wait k 10 "$reason" || fail "reason '$reason' not shown"
		blocked=$((blocked + 1))
		tui_keys k Escape
		tui_wait k 5 "请刷客户卡" || fail "Esc did not return to the idle screen"
		continue
	fi
	code=$(tui_screen k | grep -o 'S0001-[BI]-[A-Z][A-Z]-[0-9]\{6\}' | head -n 1)
	break
done
[ -n "$code" ] || fail "no customer code on screen after $try swipes"
name=$(q "$T/demo.db" "SELECT name FROM customers WHERE code = '$code'")
[ -n "$name" ] || fail "code $code on screen is not in the database"
tui_wait k 10 "$name" || fail "screen does not show $name for $code"
ok "F2 shows demo customer $code $name (after $blocked blocked cards with their reasons)"
