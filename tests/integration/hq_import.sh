#!/usr/bin/env bash
# hq_import.sh — forecourt-hq on a private PostgreSQL: `import` of every kind
# (the station's files and checks) stores the rows with new master versions,
# a re-import changes nothing, a bad row at line N anywhere changes nothing
# and names FILE:N and the column; `block` makes a blocked_cards row with a
# higher version and never prints the card number; `stats` and
# `stats --json` give the figures the database holds.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"
pg_start
hq_conf "$(free_port)"
hq init >/dev/null || fail "init"

maxver() { psql_q "SELECT greatest((SELECT coalesce(max(version), 0) FROM customers),
	(SELECT coalesce(max(version), 0) FROM cards), (SELECT coalesce(max(version), 0) FROM blocked_cards),
	(SELECT coalesce(max(version), 0) FROM prices), (SELECT coalesce(max(version), 0) FROM holidays))"; }
# Everything master data holds, versions included.
snapshot() {
	psql_q "SELECT * FROM customers ORDER BY code; SELECT * FROM cards ORDER BY card_id;
		SELECT * FROM blocked_cards ORDER BY card_id; SELECT * FROM prices ORDER BY 1, 2, 3;
		SELECT * FROM holidays ORDER BY date" | md5sum
}

# Customers: Chinese, CSV quoting, optional columns empty, a plate in its
# stored form.
cat >"$T/customers.csv" <<'CSV'
code,name,nature,industry,tier,points,phone,plate,address,yearly_litres
S1-LB-000001,张三物流,big,logistics,gold,1200,13800000001,京a 12345,北京市朝阳区,50000
S1-TI-000002,李四,individual,taxi,,,13900000002,京B88888,,
S1-XI-000003,"Wang, Wu",individual,other,platinum,0,,,"Line 1, ""quoted""",
CSV
out=$(hq import customers "$T/customers.csv") || fail "good customers: $out"
grep -qF "customers: 3 rows: 3 inserted, 0 updated, 0 unchanged" <<<"$out" || fail "summary: $out"
[ "$(psql_q "SELECT count(*), count(DISTINCT version), min(version) > 0 FROM customers")" = "3|3|t" ] ||
	fail "3 customers with 3 versions: $(psql_q "SELECT code, version FROM customers")"
[ "$(psql_q "SELECT name, tier, points, plate, yearly_litres FROM customers WHERE code = 'S1-LB-000001'")" = "张三物流|gold|1200|京A12345|50000" ] ||
	fail "stored customer: $(psql_q "SELECT * FROM customers WHERE code = 'S1-LB-000001'")"
[ "$(psql_q "SELECT name, address FROM customers WHERE code = 'S1-XI-000003'")" = 'Wang, Wu|Line 1, "quoted"' ] || fail "CSV quoting"
[ "$(psql_q "SELECT tier, points FROM customers WHERE code = 'S1-TI-000002'")" = "ordinary|0" ] || fail "defaults"
ok "customers stored, each with its own master version"

v=$(maxver)
out=$(hq import customers "$T/customers.csv") || fail "re-import: $out"
grep -qF "customers: 3 rows: 0 inserted, 0 updated, 3 unchanged" <<<"$out" || fail "re-import summary: $out"
[ "$(maxver)" = "$v" ] || fail "an unchanged re-import drew new versions"
ok "a re-import changes nothing and draws no version"

# One row changed (its phone left empty: kept), one new code listed twice:
# the last line wins.
printf 'code,name,nature,industry,phone\nS1-TI-000002,李四海,individual,taxi,\nS1-NEW-1,甲,big,other,1\nS1-NEW-1,乙,big,other,\n' >"$T/change.csv"
out=$(hq import customers "$T/change.csv") || fail "change: $out"
grep -qF "customers: 3 rows: 1 inserted, 2 updated, 0 unchanged" <<<"$out" || fail "change summary: $out"
[ "$(psql_q "SELECT name, phone, version > $v FROM customers WHERE code = 'S1-TI-000002'")" = "李四海|13900000002|t" ] ||
	fail "changed row: $(psql_q "SELECT * FROM customers WHERE code = 'S1-TI-000002'")"
[ "$(psql_q "SELECT name, phone FROM customers WHERE code = 'S1-NEW-1'")" = "乙|1" ] || fail "a code twice: last line wins"
[ "$(psql_q "SELECT count(*) FROM customers WHERE version > $v")" = 2 ] || fail "only the changed rows get versions"
ok "changed rows get new versions, unchanged ones keep theirs"

# The chain's columns a customers file may carry (points_seq is a station's:
# head office computes it for each station it sends a balance to), and the
# kinds head office computes itself.
printf '%s\n' 'code,name,nature,industry,points,points_seq,last_purchase_at,home_station,owner_staff,owner_name' \
	'S1-NEW-1,乙,big,other,700,12,2026-06-30T09:15:00Z,S0002,7,王站长' >"$T/chain.csv"
out=$(hq import customers "$T/chain.csv") || fail "chain columns: $out"
grep -qF "customers: 1 rows: 0 inserted, 1 updated, 0 unchanged" <<<"$out" || fail "chain summary: $out"
[ "$(psql_q "SELECT points, to_char(last_purchase_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), home_station, owner_staff, owner_name FROM customers WHERE code = 'S1-NEW-1'")" = "700|2026-06-30 09:15:00|S0002|7|王站长" ] ||
	fail "chain columns not stored: $(psql_q "SELECT * FROM customers WHERE code = 'S1-NEW-1'")"
out=$(hq import customers "$T/chain.csv") || fail "chain re-import: $out"
grep -qF "customers: 1 rows: 0 inserted, 0 updated, 1 unchanged" <<<"$out" || fail "chain re-import summary: $out"
printf 'customer_code,tier,period\nS1-NEW-1,gold,2026H1\n' >"$T/tiers.csv"
printf 'customer_code,period,litres\nS1-NEW-1,2026H1,5\n' >"$T/litres.csv"
for kind in tiers litres; do
	if out=$(hq import "$kind" "$T/$kind.csv" 2>&1); then fail "import $kind accepted: $out"; else rc=$?; fi
	[ "$rc" = 2 ] || fail "import $kind: exit $rc, not 2: $out"
	grep -qF "import $kind: head office computes tiers/litres: forecourt-hq evaluate-tiers" <<<"$out" ||
		fail "import $kind: $out"
done
ok "last purchase, home station, owner and points stored (points_seq not); tiers and litres files refused"

# Cards (NDJSON), blocked cards, prices, holidays.
cat >"$T/cards.ndjson" <<'NDJ'
{"card_id":"00A1B2C3D4","customer_code":"S1-LB-000001","kind":"unit"}
{"card_id":"00A1B2C3D5","customer_code":"S1-TI-000002","kind":"personal","status":"active"}

NDJ
out=$(hq import cards "$T/cards.ndjson") || fail "cards: $out"
grep -qF "cards: 2 rows: 2 inserted, 0 updated, 0 unchanged" <<<"$out" || fail "cards summary: $out"
[ "$(psql_q "SELECT string_agg(card_id || ':' || customer_code || ':' || card_kind || ':' || status, ' ' ORDER BY card_id) FROM cards")" = \
	"00A1B2C3D4:S1-LB-000001:unit:active 00A1B2C3D5:S1-TI-000002:personal:active" ] || fail "cards stored: $(psql_q "SELECT * FROM cards")"
v=$(maxver)
printf 'card_id,reason\n00A1B2C3D4,lost\nFFFF0000,stolen elsewhere\n' >"$T/blocked.csv"
out=$(hq import blocked "$T/blocked.csv") || fail "blocked: $out"
grep -qF "blocked: 2 rows: 2 inserted, 0 updated, 0 unchanged, 1 cards set blocked" <<<"$out" || fail "blocked summary: $out"
[ "$(psql_q "SELECT count(*) FROM blocked_cards WHERE version > $v")" = 2 ] || fail "blocked_cards rows"
[ "$(psql_q "SELECT status, version > $v FROM cards WHERE card_id = '00A1B2C3D4'")" = "blocked|t" ] || fail "card not set blocked"
printf 'grade,tier,nature,discount_fen_per_litre\n92#,gold,big,30\n95#,platinum,individual,25\n' >"$T/prices.csv"
out=$(hq import prices "$T/prices.csv") || fail "prices: $out"
[ "$(psql_q "SELECT count(*), sum(discount_fen_per_litre) FROM prices")" = "2|55" ] || fail "prices stored"
printf 'date,kind,name\n2026-10-01,holiday,国庆节\n2026-09-27,workday,调休\n' >"$T/holidays.csv"
out=$(hq import holidays "$T/holidays.csv") || fail "holidays: $out"
[ "$(psql_q "SELECT string_agg(date || day_kind || name, ';' ORDER BY date) FROM holidays")" = "2026-09-27workday调休;2026-10-01holiday国庆节" ] ||
	fail "holidays stored: $(psql_q "SELECT * FROM holidays")"
ok "cards, blocked cards (and the cards they block), prices, holidays stored"

# Bad rows: nothing changed, each named FILE:LINE: column.
before=$(snapshot)
printf '%s\n' 'code,nature,name,industry,points,tier' \
	'S1-LB-000001,big,张三物流改了名,logistics,1300,' 'S1-NEW-2,big,丙,taxi,,' \
	'S1-NEW-3,individual,丁,other,5,diamond' 'S1-NEW-4,big,,railway,-3,' \
	'S1-XI-000003,big,"Wang, Wu",other,,' >"$T/bad.csv"
if out=$(hq import customers "$T/bad.csv" 2>&1); then fail "bad file accepted: $out"; fi
grep -qF "bad.csv:4: column 'tier': 'diamond' is not a tier of nature 'individual'" <<<"$out" || fail "row 4: $out"
grep -qF "bad.csv:5: column 'name': required, but empty" <<<"$out" || fail "row 5 name: $out"
grep -qF "bad.csv:5: column 'industry': 'railway' is not one of" <<<"$out" || fail "row 5 industry: $out"
grep -qF "bad.csv:5: column 'points': '-3' is not a whole number" <<<"$out" || fail "row 5 points: $out"
# (a nature changed without a tier: the stored one must fit it)
grep -qF "bad.csv:6: column 'tier': the stored tier 'platinum' is not a tier of nature 'big'" <<<"$out" ||
	fail "row 6 tier: $out"
grep -qF "nothing was changed" <<<"$out" || fail "no 'nothing was changed': $out"
[ "$(snapshot)" = "$before" ] || fail "a bad customers file changed the database"

# (the unknown customer, found in PostgreSQL after the reading, listed first)
printf '{"card_id":"00FE","customer_code":"S1-NOPE","kind":"unit"}\n{"card_id":"00a1b2","customer_code":"S1-LB-000001","kind":"unit"}\n{"card_id":"00FD","customer_code":"S1-LB-000001","kind":"unit"}\n' >"$T/badcards.ndjson"
if out=$(hq import cards "$T/badcards.ndjson" 2>&1); then fail "bad cards accepted: $out"; fi
grep -qF "badcards.ndjson:1: column 'customer_code': no customer 'S1-NOPE'" <<<"$out" || fail "unknown customer: $out"
grep -qF "badcards.ndjson:2: column 'card_id': '00a1b2': hex digits must be uppercase" <<<"$out" || fail "card id: $out"
[ "$(grep -o 'badcards.ndjson:[0-9]*:' <<<"$out" | cut -d: -f2 | tr '\n' ' ')" = "1 2 " ] ||
	fail "not in line order: $out"

# A bad row near the end of a bigger file (and a GBK one): nothing stored.
awk 'BEGIN { print "code,name,nature,industry"
	for (i = 2; i <= 30000; i++) printf "S3-%06d,客户%d,%s,other\n", i, i, (i == 29999 ? "huge" : "big") }' >"$T/big.csv"
if out=$(hq import customers "$T/big.csv" 2>&1); then fail "big bad file accepted: $out"; fi
grep -qF "big.csv:29999: column 'nature': 'huge' is not one of: big, individual" <<<"$out" || fail "row 29999: $out"
printf 'code,name,nature,industry\nS1-OB-000020,\xd5\xc5\xc8\xfd,big,other\n' >"$T/gbk.csv"
if out=$(hq import customers "$T/gbk.csv" 2>&1); then fail "GBK accepted: $out"; fi
grep -qF "gbk.csv:2: column 'name': not UTF-8" <<<"$out" || fail "GBK: $out"
[ "$(snapshot)" = "$before" ] || fail "a refused file changed the database"
if out=$(hq import colours "$T/gbk.csv" 2>&1); then fail "unknown kind accepted"; else rc=$?; fi
[ "$rc" = 2 ] || fail "unknown kind: exit $rc, not 2: $out"
ok "bad rows (lines 4, 5, 6, 29999, GBK, unknown customer, bad card id) named, nothing changed"

# block: a new blocked_cards row, and the card itself, above every version.
v=$(maxver)
out=$(hq block 00A1B2C3D5 "lost by the driver") || fail "block: $out"
grep -qF "card ****C3D5 blocked for every station" <<<"$out" || fail "block output: $out"
! grep -q "00A1B2C3D5" <<<"$out" || fail "the full card number printed: $out"
[ "$(psql_q "SELECT reason, version > $v FROM blocked_cards WHERE card_id = '00A1B2C3D5'")" = "lost by the driver|t" ] ||
	fail "blocked_cards row: $(psql_q "SELECT * FROM blocked_cards")"
[ "$(psql_q "SELECT status, version > $v FROM cards WHERE card_id = '00A1B2C3D5'")" = "blocked|t" ] || fail "card not blocked"
v=$(maxver)
hq block 00A1B2C3D4 "found, then lost again" >/dev/null || fail "block again"
[ "$(psql_q "SELECT reason, version > $v FROM blocked_cards WHERE card_id = '00A1B2C3D4'")" = "found, then lost again|t" ] || fail "re-block"
before=$(snapshot)
if hq block 00a1b2 "x" 2>/dev/null; then fail "lowercase card id blocked"; fi
if hq block 00A1B2 "  " 2>/dev/null; then fail "empty reason accepted"; fi
[ "$(snapshot)" = "$before" ] || fail "a refused block changed the database"
ok "block: blocked_cards row and card with higher versions, masked output, bad input refused"

# stats, with two stations and records as ingest leaves them.
hq station add S0001 一号站 >/dev/null && hq station add S0002 二号站 >/dev/null &&
	hq station disable S0002 >/dev/null || fail "stations"
psql_q "INSERT INTO records(id, station, seq, type, created_at, data)
	SELECT gen_random_uuid(), 'S0001', s, CASE WHEN s <= 4 THEN 'visit' ELSE 'complaint' END, now(), '{}'
	FROM generate_series(1, 5) s;
	UPDATE stations SET station_seq = 3, max_seq = 5, records = 5, last_post_at = now() WHERE id = 'S0001';
	INSERT INTO rejected(station, id, code, message) VALUES ('S0001', 'x', 'bad_field', 'm')" >/dev/null ||
	fail "records"
out=$(hq stats) || fail "stats: $out"
grep -qF "stations: 2 (1 disabled)" <<<"$out" || fail "stats stations: $out"
grep -qF "records: 5 (complaint 1, visit 4)" <<<"$out" || fail "stats records: $out"
grep -qF "rejected: 1" <<<"$out" || fail "stats rejected: $out"
grep -qE "^  customers +4 rows" <<<"$out" || fail "stats customers: $out"
grep -qE "^S0001 +active +3 +5 +2 +5 " <<<"$out" || fail "stats S0001: $out"
grep -qE "^S0002 +disabled +0 +0 +0 +0 .* never$" <<<"$out" || fail "stats S0002: $out"
hq stats --json >"$T/stats.json" || fail "stats --json"
python3 - "$T/stats.json" "$(maxver)" "$(psql_q "SELECT count(*) FROM customers")" <<'PY' || fail "stats --json: $(cat "$T/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["stations"] == {"count": 2, "disabled": 1}, s["stations"]
assert s["records"] == {"total": 5, "by_type": {"complaint": 1, "visit": 4}}, s["records"]
assert s["rejected"] == 1
assert s["master"]["version"] == int(sys.argv[2]), s["master"]
assert s["master"]["customers"]["rows"] == int(sys.argv[3]), s["master"]
assert s["master"]["blocked"]["rows"] == 3 and s["master"]["tiers"]["rows"] == 0, s["master"]
st = {p["id"]: p for p in s["per_station"]}
assert st["S0001"]["station_seq"] == 3 and st["S0001"]["max_seq"] == 5 and st["S0001"]["lag"] == 2, st
assert st["S0001"]["records"] == 5 and st["S0001"]["last_post"], st
assert st["S0002"]["disabled"] and st["S0002"]["last_post"] is None, st
PY
ok "stats: stations, records per type, rejected, master rows and versions, lag; --json parses"
