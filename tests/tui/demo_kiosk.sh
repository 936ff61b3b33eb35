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

tui_keys k F2
tui_wait k 10 "客户代码： S0001-" || fail "F2 showed no demo customer"
code=$(tui_screen k | grep -o 'S0001-[BI]-[A-Z][A-Z]-[0-9]\{6\}' | head -n 1)
[ -n "$code" ] || fail "no customer code on screen"
name=$(q "$T/demo.db" "SELECT name FROM customers WHERE code = '$code'")
[ -n "$name" ] || fail "code $code on screen is not in the database"
tui_screen k | grep -qF "$name" || fail "screen does not show $name for $code: $(tui_screen k)"
ok "F2 shows demo customer $code $name"
