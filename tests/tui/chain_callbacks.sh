#!/usr/bin/env bash
# chain_callbacks.sh — callbacks are owed by the owner's station, and the
# swipe screen's "callback due", the F8 list, `callback due` and `lookup
# --json` agree (one function); the named owner on the swipe screen and on
# the customer card, at 80x24, in the real kiosk under tmux.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
NOW=2026-07-20T08:00:00Z           # Mon 07-20 16:00 local
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
head_staff

# The fixture's station tiers: 2 (silver individual, home unknown).  Added:
# 7 ordinary big at S0009 (another station's to call back), 8 and 9 ordinary
# individuals at this station, 8 named to 王芳 (#7) with a visit report on
# 07-19, 9 with a callback on 07-05.  The holiday of 07-25 makes a callback in
# the week before it (from 07-18) mandatory: 9's is too early, 8's is not.
CARD7=0A1B2C3D07 CARD8=0A1B2C3D08 CARD9=0A1B2C3D09
sqlite3 "$DB" "INSERT INTO customers(id, code, name, nature, industry, stability, tier, home_station,
	owner_staff, owner_name, created_at, updated_at) VALUES
	(7, 'S0009-B-LG-000007', '外站物流', 'big', 'logistics', 'current', 'ordinary', 'S0009', 3, '李雷', 'x', 'x'),
	(8, 'S0001-I-OT-000008', '王芳维护', 'individual', 'other', 'current', 'ordinary', 'S0001', 7, '王芳', 'x', 'x'),
	(9, 'S0001-I-OT-000009', '节前回访', 'individual', 'other', 'current', 'ordinary', NULL, NULL, NULL, 'x', 'x');
	INSERT INTO cards(card_id, customer_id, kind, status, updated_at) VALUES
	('$CARD7', 7, 'unit', 'active', 'x'), ('$CARD8', 8, 'personal', 'active', 'x'),
	('$CARD9', 9, 'personal', 'active', 'x');
	INSERT INTO visit_reports(id, created_at, customer_id, report_date, quality, attitude, renown)
	VALUES ('r8', '2026-07-19T02:00:00Z', 8, '2026-07-19', 90, 90, 90);
	INSERT INTO callbacks(id, created_at, customer_id, method) VALUES
	('k9', '2026-07-05T02:00:00Z', 9, 'phone'), ('k7', '2026-07-01T02:00:00Z', 7, 'phone');
	INSERT INTO holidays(date, kind, name) VALUES ('2026-07-25', 'holiday', '测试节');
	UPDATE meta SET value = '2026-07-20' WHERE key = 'classified_day'" || fail "customers"

# The CLI twins agree: the same two customers.
want="S0001-I-OT-000002 S0001-I-OT-000009"
got=$(fc callback due | awk '$1 ~ /^S0/ { print $1 }' | sort | tr '\n' ' ')
[ "$got" = "$want " ] || fail "callback due: $(fc callback due)"
got=""
for c in "$CARD_DIAMOND" "$CARD_IND_SILVER" "$CARD_LOST" "$CARD_PLATINUM" "$CARD_LONGNAME" "$CARD7" "$CARD8" "$CARD9"; do
	out=$(fc lookup "$c" --json) || fail "lookup $c"
	got="$got$(python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(o["customer_code"] + " " if o["callback_due"] else "", end="")' "$out")"
done
[ "$(tr ' ' '\n' <<<"$got" | sed '/^$/d' | sort | tr '\n' ' ')" = "$want " ] || fail "lookup --json callback_due: $got"
ok "callback due and lookup --json: 000002 and 000009 (holiday), not S0009's, not 000008 (report in the week)"

feed_start "$T" || fail "ptyfeed"
tui_start hold 20 5 cat
tui_start k 80 24 sh -c "env TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR='$FORECOURT_LOCALEDIR' \
	ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}' \
	'$FC' --config '$T/fc.conf' --db '$DB' 2>'$T/kiosk.err'; echo \$? >'$T/kiosk.status'"
tui_wait k 20 "请刷客户卡" || fail "idle screen not shown"
tui_wait k 10 "读卡器：已连接" || fail "reader not connected"

# swiped CARD NAME: the card's customer on the swipe screen.
swiped() { swipe "$T" "$1"; tui_wait k 10 "$2" || fail "swipe of $2"; }
swiped "$CARD_IND_SILVER" "欧阳建国"
tui_wait k 5 "需回访" || fail "000002: no callback due on the swipe"
screen_has k "维护人： 加油站站长" || fail "000002: the role as maintainer: $(tui_screen k)"
swiped "$CARD9" "节前回访"
tui_wait k 5 "需回访" || fail "000009: no callback due on the swipe"
swiped "$CARD8" "王芳维护"
tui_wait k 5 "维护人： 王芳（7 号）" || fail "000008: owner not shown"
screen_has k "需回访" && fail "000008 shows a callback due: $(tui_screen k)"
tui_screen k >"$T/screen8.txt"
screen_check_layout "$T/screen8.txt" 80 || fail "the owner line breaks the 80x24 layout"
swiped "$CARD7" "外站物流"
tui_wait k 5 "维护人： 李雷（3 号，S0009）" || fail "S0009's owner not shown with the station"
screen_has k "需回访" && fail "S0009's customer shows a callback due here"
swiped "$CARD_DIAMOND" "顺丰物流车队"
screen_has k "需回访" && fail "diamond (the branch manager's) shows a callback due here"
ok "swipe: callback due for 000002 and 000009 only; owners 王芳（7 号）and 李雷（3 号，S0009）shown"

# F8: the same two customers.
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not return to idle"
head_gate k F8
tui_wait k 10 "待回访：2 位客户" || fail "F8 does not list 2 customers"
tui_wait k 5 "2026-07-25（测试节）节日将至" || fail "holiday not announced"
s=$(tui_screen k)
grep -qF "S0001-I-OT-000002" <<<"$s" && grep -qF "S0001-I-OT-000009" <<<"$s" || fail "F8 rows: $s"
grep -qE "S0009-B-LG-000007|S0001-I-OT-000008" <<<"$s" && fail "F8 lists a customer not due here: $s"
ok "F8: the same two customers, the holiday announced"
tui_keys k Escape Escape

# The customer card (Home) shows the named owner: swipe on the search screen.
head_archive k
swipe "$T" "$CARD8"
tui_wait k 10 "客户档案卡 S0001-I-OT-000008" || fail "the swipe did not open the card"
tui_wait k 5 "维护人：王芳（7 号）" || fail "card lacks the owner: $(tui_screen k)"
ok "customer card: 维护人：王芳（7 号）"

tui_keys k Escape Escape Escape
tui_wait k 10 "请刷客户卡" || fail "back to idle"
tui_keys k F10
wait_for 20 test -s "$T/kiosk.status" || fail "kiosk did not quit"
[ "$(cat "$T/kiosk.status")" = 0 ] || fail "kiosk exit $(cat "$T/kiosk.status"): $(cat "$T/kiosk.err")"
[ ! -s "$T/kiosk.err" ] || fail "kiosk stderr: $(cat "$T/kiosk.err")"
ok "clean exit"
