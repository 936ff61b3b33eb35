#!/usr/bin/env bash
# statement_cli.sh — `forecourt statement` (the fuel ledger 用油台账, issue 16)
# on a demo database: a 13-card fleet's June with fuellings added through the
# CLI (two grades, the month's edges in local time), every fuelling row and
# every total of the CSV and JSON equal to independent sqlite3 queries; --card
# narrows to one card; the default month is the current one; an unknown code,
# a bad month, a malformed card or another customer's card exit 2.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-07-01T08:00:00Z   # Wed 07-01 16:00 local
printf '[complaints]\nholidays_file = %s/config/holidays.conf\n' "$FORECOURT_SRC" >"$T/fc.conf"
DB=$T/d.db
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc demo --customers 300 --seed 5 --build-only >"$T/out" 2>&1 || { cat "$T/out"; fail "demo build"; }

# A unit customer with 13 cards, and two of its cards.
code=$(q "$DB" "SELECT c.code FROM customers c JOIN cards k ON k.customer_id = c.id
	WHERE c.nature = 'big' AND k.status = 'active' GROUP BY c.id HAVING count(*) = 13
	ORDER BY c.code LIMIT 1")
[ -n "$code" ] || fail "the demo has no 13-card fleet"
cid=$(q "$DB" "SELECT id FROM customers WHERE code = '$code'")
cards=$(q "$DB" "SELECT card_id FROM cards WHERE customer_id = $cid AND status = 'active' ORDER BY card_id LIMIT 2")
c1=${cards%%$'\n'*} c2=${cards##*$'\n'}
# June in local time: 06-01 00:00 local is 05-31 16:00 UTC.  A fuelling just
# inside each edge, one just outside each, two grades on two cards.
visit() { FORECOURT_NOW=$1 fc visit --card "$2" --grade "$3" --litres "$4" >/dev/null || fail "visit $*"; }
visit 2026-05-31T15:59:00Z "$c1" 92# 40      # 05-31 23:59 local: May
visit 2026-05-31T16:00:00Z "$c1" 92# 41.5    # 06-01 00:00 local: June
visit 2026-06-10T02:00:00Z "$c2" 0# 120
visit 2026-06-20T03:00:00Z "$c1" 95# 30.25
visit 2026-06-30T15:59:00Z "$c2" 0# 88      # 06-30 23:59 local: June
visit 2026-06-30T16:00:00Z "$c2" 0# 77      # 07-01 00:00 local: July
FROM=2026-05-31T16:00:00Z TO=2026-06-30T16:00:00Z
IN="v.customer_id = $cid AND v.created_at >= '$FROM' AND v.created_at < '$TO'"
station=$(fc statement "$code" --month 2026-06 --format json | jq -r .station)
[ -n "$station" ] || fail "no station in the JSON"
n=$(q "$DB" "SELECT count(*) FROM visits v WHERE $IN")
[ "$n" -ge 4 ] || fail "June has $n fuellings of $code"

# CSV fuelling rows against SQL (list mode: no field here holds a comma).
fc statement "$code" --month 2026-06 --format csv >"$T/csv" || fail "csv: $(cat "$T/csv")"
[ "$(head -1 "$T/csv")" = "kind,date,station,card,plate,grade,fuellings,volume_ml,amount_fen,discount_fen,points" ] ||
	fail "csv header: $(head -1 "$T/csv")"
sqlite3 -batch -noheader -separator , "$DB" "SELECT 'fuelling', v.created_at, '$station',
	'****' || substr(v.card_id, -4), coalesce(c.plate, ''), v.grade, 1, v.volume_ml, v.amount_fen,
	v.discount_fen, v.points_earned FROM visits v JOIN customers c ON c.id = v.customer_id
	WHERE $IN ORDER BY v.created_at, v.id" >"$T/want_rows"
grep '^fuelling,' "$T/csv" >"$T/got_rows"
diff "$T/want_rows" "$T/got_rows" >&2 || fail "fuelling rows differ from SQL"
# Totals per card: every card of the fleet, by card id.
sqlite3 -batch -noheader -separator , "$DB" "SELECT 'card', '2026-06', '$station',
	'****' || substr(k.card_id, -4), coalesce(c.plate, ''), '', count(v.id),
	coalesce(sum(v.volume_ml), 0), coalesce(sum(v.amount_fen), 0),
	coalesce(sum(v.discount_fen), 0), coalesce(sum(v.points_earned), 0)
	FROM cards k JOIN customers c ON c.id = k.customer_id
	LEFT JOIN visits v ON v.card_id = k.card_id AND $IN
	WHERE k.customer_id = $cid GROUP BY k.card_id ORDER BY k.card_id" >"$T/want_cards"
grep '^card,' "$T/csv" >"$T/got_cards"
diff "$T/want_cards" "$T/got_cards" >&2 || fail "totals per card differ from SQL"
[ "$(wc -l <"$T/got_cards")" = 13 ] || fail "not 13 cards in the totals"
# Totals per grade and of the month.
sqlite3 -batch -noheader -separator , "$DB" "SELECT 'grade', '2026-06', '$station', '',
	coalesce(c.plate, ''), v.grade, count(*), sum(v.volume_ml), sum(v.amount_fen),
	sum(v.discount_fen), sum(v.points_earned) FROM visits v JOIN customers c ON c.id = v.customer_id
	WHERE $IN GROUP BY v.grade ORDER BY v.grade" >"$T/want_grades"
grep '^grade,' "$T/csv" >"$T/got_grades"
diff "$T/want_grades" "$T/got_grades" >&2 || fail "totals per grade differ from SQL"
[ "$(grep -c . "$T/got_grades")" -ge 3 ] || fail "the three grades of June are not there"
want=$(q "$DB" "SELECT count(*) || ',' || sum(volume_ml) || ',' || sum(amount_fen) || ',' ||
	sum(discount_fen) || ',' || sum(points_earned) FROM visits v WHERE $IN")
[ "$(grep '^total,' "$T/csv" | cut -d, -f7-)" = "$want" ] || fail "month total: $(grep '^total,' "$T/csv") want $want"
ok "CSV of a 13-card fleet's June: every fuelling, per-card, per-grade and month totals equal SQL"

# JSON and text say the same.
fc statement "$code" --month 2026-06 --format json >"$T/json" || fail "json"
[ "$(jq -r '[.total.fuellings, .total.volume_ml, .total.amount_fen, .total.discount_fen, .total.points] | join(",")' "$T/json")" = "$want" ] ||
	fail "json total: $(jq -c .total "$T/json")"
[ "$(jq '.fuellings | length' "$T/json")" = "$n" ] && [ "$(jq '.by_card | length' "$T/json")" = 13 ] ||
	fail "json rows"
[ "$(jq -r '.fuellings[0].at' "$T/json")" = 2026-05-31T16:00:00Z ] && [ "$(jq -r '.fuellings[0].local' "$T/json")" = "2026-06-01 00:00" ] ||
	fail "the first June fuelling: $(jq -c '.fuellings[0]' "$T/json")"
jq -r '.fuellings[].card' "$T/json" | grep -qv '^\*\*\*\*[0-9A-F]\{4\}$' && fail "a card is not masked"
grep -qF "$c1" "$T/json" "$T/csv" && fail "a full card number is printed"
fc statement "$code" --month 2026-06 >"$T/text" || fail "text"
grep -qF "fuel ledger $code" "$T/text" && grep -qF "****${c1: -4}" "$T/text" || fail "text: $(cat "$T/text")"
ok "JSON and text agree; cards masked, June bounded by local midnight"

# --card: one card only.
fc statement "$code" --month 2026-06 --card "${c1,,}" --format csv >"$T/csv1" || fail "--card"
want1=$(q "$DB" "SELECT count(*) || ',' || sum(volume_ml) FROM visits v WHERE $IN AND card_id = '$c1'")
[ "$(grep '^total,' "$T/csv1" | cut -d, -f7-8)" = "$want1" ] || fail "--card total: $(cat "$T/csv1")"
[ "$(grep -c '^card,' "$T/csv1")" = 1 ] || fail "--card lists other cards"
# The default month is the current one (July: the 07-01 00:00 fuelling).
[ "$(fc statement "$code" --format json | jq -r '.month + " " + (.total.fuellings|tostring)')" = \
  "2026-07 $(q "$DB" "SELECT count(*) FROM visits WHERE customer_id = $cid AND created_at >= '2026-06-30T16:00:00Z'")" ] ||
	fail "default month: $(fc statement "$code" --format json | jq -c '{month, total}')"
ok "--card narrows to one card (lower case accepted); the default month is the current one"

# Bad values: exit 2 with the value named.
other=$(q "$DB" "SELECT card_id FROM cards WHERE customer_id <> $cid LIMIT 1")
expect() { # rc text command...
	local want=$1 text=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc (want $want) for $*: $out"
	grep -qF -- "$text" <<<"$out" || fail "no '$text' for $*: $out"
}
expect 2 "no customer with code 'NOPE'" fc statement NOPE
expect 2 "--month '2026-13': month 13 is not 01..12" fc statement "$code" --month 2026-13
expect 2 "--month 'June': give the month as YYYY-MM" fc statement "$code" --month June
expect 2 "--card 'XYZ'" fc statement "$code" --card XYZ
expect 2 "not a card of customer $code" fc statement "$code" --card "$other"
expect 2 "--format 'xml': give text, csv or json" fc statement "$code" --format xml
expect 2 "unknown option '--bogus'" fc statement "$code" --bogus
expect 2 "usage: forecourt statement CODE" fc statement
ok "unknown code, bad month, malformed or foreign card, bad format: exit 2 naming the value"
