#!/usr/bin/env bash
# pump_cli.sh — the headless twins of the swipe screen: lookup --json keys
# and exit codes, visit by litres/amount/anonymous, bad input refused with a
# message and nothing stored, redemption limits, registering a new customer.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-03-10T02:00:00Z   # Tue 03-10 10:00 local
printf '[station]\nid = S0042\n[green_lane]\npumps = 7, 8\n' >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
fc init >/dev/null || fail "init"
sqlite3 "$DB" "INSERT INTO customers(id, code, name, nature, industry, tier, stability, points_synced, created_at, updated_at)
	VALUES (1, 'C001', '张三运输', 'big', 'logistics', 'gold', 'lost', 250, 'x', 'x'),
	       (2, 'C002', '李四', 'individual', 'other', 'silver', 'current', 0, 'x', 'x');
	INSERT INTO cards(card_id, customer_id, kind, status, blocked_reason, updated_at)
	VALUES ('AB12CD34', 1, 'unit', 'active', NULL, 'x'), ('0000BEEF', 2, 'personal', 'blocked', 'lost card', 'x');
	INSERT INTO prices VALUES ('95#', 'gold', 'big', 30, 'x');" || fail "fixture"

# json_get JSON EXPR: evaluate a Python expression over the parsed object `o`.
json_get() { python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

out=$(fc lookup ' ab12cd34 ' --json) || fail "lookup of a known card: exit $?"
[ "$(json_get "$out" 'sorted(k for k in ["card","customer_code","name","nature","tier","green_lane","pumps","points","blocked","stability"] if k not in o)')" = "[]" ] ||
	fail "keys missing: $out"
[ "$(json_get "$out" '(o["card"], o["customer_code"], o["name"], o["nature"], o["tier"], o["green_lane"], o["pumps"], o["points"], o["blocked"], o["stability"])')" = \
	"('AB12CD34', 'C001', '张三运输', 'big', 'gold', True, [7, 8], 250, False, 'lost')" ] || fail "lookup values: $out"
# gold (big) is the branch's to call back, not this station's: no callback due here
[ "$(json_get "$out" '(o["won_back"], o["discounts_fen_per_litre"], o["maintained_by"], o["callback_owed"], o["callback_due"])')" = \
	"(True, {'95#': 30}, 'branch_retail_dept', False, False)" ] || fail "lookup extras: $out"
text=$(fc lookup AB12CD34) || fail "text lookup"
grep -qF "green lane  YES, pumps 7, 8" <<<"$text" || fail "text lookup: $text"
grep -qF "AB12CD34" <<<"$text" && fail "text lookup shows the full card number: $text"
ok "lookup --json: the documented keys and values, canonical card id"

out=$(fc lookup ffff0001 --json 2>"$T/err"); rc=$?
[ $rc = 1 ] || fail "unknown card: exit $rc"
[ "$out" = '{"card":"FFFF0001","registered":false}' ] || fail "unknown card json: $out"
grep -qF "card ****0001 is not registered" "$T/err" || fail "unknown card message: $(cat "$T/err")"
out=$(fc lookup 0000beef --json 2>"$T/err"); rc=$?
[ $rc = 1 ] || fail "blocked card: exit $rc"
[ "$(json_get "$out" '(o["blocked"], o["green_lane"], o["pumps"])')" = "(True, False, [])" ] || fail "blocked json: $out"
grep -qF "card ****BEEF is blocked: lost card" "$T/err" || fail "blocked message: $(cat "$T/err")"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'blocked_card_seen' AND json_extract(payload, '\$.data.card') = '0000BEEF'")" = 1 ] ||
	fail "blocked_card_seen not queued"
fc lookup 'XY' --json >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] || fail "malformed card id: exit $rc"
grep -qF "character 1 ('X') is not a hex digit" "$T/err" || fail "malformed card message: $(cat "$T/err")"
fc lookup >/dev/null 2>&1; [ $? = 2 ] || fail "lookup without a card is not a usage error"
ok "unknown 1, blocked 1 (recorded), malformed 2"

out=$(fc visit --card ab12cd34 --grade 95# --litres 40 --pump 7) || fail "visit: $out"
grep -qF "95# 40.000 L = 312.80 yuan (discount 12.00), +60 points, balance 310, WON BACK" <<<"$out" || fail "visit output: $out"
id=$(q "$DB" "SELECT id FROM visits")
[ "$(q "$DB" "SELECT count(*) FROM points_ledger l JOIN outbox o ON o.id = l.record_id WHERE l.record_id = '$id' AND o.type = 'visit' AND l.delta = 60")" = 1 ] ||
	fail "visit, ledger and outbox ids differ"
[ "$(q "$DB" "SELECT stability FROM customers WHERE id = 1")" = current ] || fail "won-back customer not current"
out=$(fc visit --anonymous --grade 92# --amount 76.00) || fail "anonymous visit: $out"
grep -qF "92# 10.000 L = 76.00 yuan, anonymous" <<<"$out" || fail "anonymous output: $out"
ok "visit by litres with discount and won back, anonymous by amount"

stored="SELECT (SELECT count(*) FROM visits) || '/' || (SELECT count(*) FROM points_ledger) || '/' || (SELECT count(*) FROM outbox WHERE type <> 'blocked_card_seen')"
before=$(q "$DB" "$stored")
bad() { # expected-exit expected-message args...
	local want=$1 msg=$2; shift 2
	fc visit "$@" >/dev/null 2>"$T/err"; local rc=$?
	[ $rc = "$want" ] || fail "visit $*: exit $rc, wanted $want"
	grep -qF -- "$msg" "$T/err" || fail "visit $*: message $(cat "$T/err")"
}
bad 2 "grade '93#' is not configured (92#, 95#, 98#, 0#)" --card AB12CD34 --grade 93# --litres 5
bad 2 "--litres: '-3' is below zero" --card AB12CD34 --grade 92# --litres -3
bad 2 "--litres must be above zero" --card AB12CD34 --grade 92# --litres 0
bad 2 "--litres: '4.0001' has more than 3 decimals" --card AB12CD34 --grade 92# --litres 4.0001
bad 2 "--amount: 'ten' is not a number" --card AB12CD34 --grade 92# --amount ten
bad 2 "give --litres or --amount, not both" --card AB12CD34 --grade 92# --litres 1 --amount 2
bad 2 "give --litres or --amount" --card AB12CD34 --grade 92#
bad 2 "give --card ID or --anonymous" --grade 92# --litres 5
bad 2 "--grade is missing" --card AB12CD34 --litres 5
bad 2 "pump 0: a pump number is 1..99" --card AB12CD34 --grade 92# --litres 5 --pump 0
bad 2 "pump 100: a pump number is 1..99" --card AB12CD34 --grade 92# --litres 5 --pump 100
bad 2 "litres 5000.000: at most 2000 litres in one fuelling" --card AB12CD34 --grade 92# --litres 5000
bad 2 "amount 20000 yuan buys more than 2000 litres" --card AB12CD34 --grade 92# --amount 20000
bad 2 "--pump: 'x' is not a number" --card AB12CD34 --grade 92# --litres 5 --pump x
bad 1 "card ****0001 is not registered" --card FFFF0001 --grade 92# --litres 5
bad 1 "card ****BEEF is blocked: lost card" --card 0000BEEF --grade 92# --litres 5
[ "$(q "$DB" "$stored")" = "$before" ] ||
	fail "a refused visit stored something"
ok "bad visits refused with a message and the right exit code, nothing stored"

fc redeem --card AB12CD34 --points 311 >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] || fail "over-balance redemption: exit $rc"
grep -qF "has 310 points: cannot redeem 311 (never below zero)" "$T/err" || fail "over-balance message: $(cat "$T/err")"
out=$(fc redeem --card AB12CD34 --points 110) || fail "redeem"
grep -qE "^Redeemed 110 points = 1.10 yuan, id [0-9a-f-]{36}, balance 200$" <<<"$out" || fail "redeem output: $out"
printf '[station]\nid = S0042\n[points]\noffline_daily_cap = 150\n' >"$T/cap.conf"
"$FC" --config "$T/cap.conf" --db "$DB" redeem --card AB12CD34 --points 41 >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] || fail "over-cap redemption: exit $rc"
grep -qF "offline: at most 150 points a day per customer; 110 already redeemed today, 40 left" "$T/err" ||
	fail "over-cap message: $(cat "$T/err")"
fc redeem --card AB12CD34 >/dev/null 2>&1; [ $? = 2 ] || fail "redeem without --points is not a usage error"
[ "$(q "$DB" "SELECT count(*) || ' ' || sum(points) FROM redemptions")" = "1 110" ] || fail "redemptions stored: $(q "$DB" 'SELECT * FROM redemptions')"
ok "redeem: never below zero, offline daily cap, exit codes"

out=$(fc register --card feed01 --name '王五' --nature individual --industry taxi --plate '京a·1') || fail "register: $out"
grep -qF "Registered customer S0042-I-TX-000001 (potential)" <<<"$out" || fail "register output: $out"
[ "$(json_get "$(fc lookup FEED01 --json)" '(o["stability"], o["tier"], o["nature"])')" = "('potential', 'ordinary', 'individual')" ] ||
	fail "registered customer lookup"
fc register --card feed01 --name x --nature big --industry other >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] || fail "second registration of a card: exit $rc"
grep -qF "already belongs to a customer" "$T/err" || fail "duplicate registration message: $(cat "$T/err")"
fc register --card feed02 --name x --nature huge --industry other >/dev/null 2>"$T/err"; [ $? = 2 ] || fail "bad nature"
grep -qF -- "--nature: big or individual" "$T/err" || fail "bad nature message: $(cat "$T/err")"
fc register --card feed03 --name x --nature big --industry other --phone abc >/dev/null 2>"$T/err"; [ $? = 2 ] || fail "register --phone abc accepted"
grep -qF "field 'phone': 'abc' may hold only digits, +, - and spaces" "$T/err" || fail "bad phone message: $(cat "$T/err")"
[ "$(q "$DB" "SELECT plate FROM customers WHERE name = '王五'")" = "京A1" ] || fail "registered plate not in its stored form"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'customer_registered'")" = 1 ] || fail "registration records"
ok "register a new customer from an unknown card"
