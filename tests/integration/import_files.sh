#!/usr/bin/env bash
# import_files.sh — `forecourt import`: good CSV and NDJSON files, bad rows
# named FILE:LINE: column 'x' (row 3 and row 999 999 of a big file), a GBK
# file refused as not UTF-8, unknown columns refused, re-import unchanged.
. "$(dirname "$0")/../lib.sh"
DB="$T/st.db"
"$FC" --db "$DB" init >/dev/null || fail "init"

# A good customers file, Chinese included, some optional columns empty.
cat >"$T/customers.csv" <<'CSV'
code,name,nature,industry,tier,points,phone,plate,address,yearly_litres
S1-LB-000001,张三物流,big,logistics,gold,1200,13800000001,京A12345,北京市朝阳区,50000
S1-TI-000002,李四,individual,taxi,,,13900000002,京B88888,,
S1-XI-000003,"Wang, Wu",individual,other,platinum,0,,,"Line 1, ""quoted""",
CSV
out=$("$FC" --db "$DB" import customers "$T/customers.csv") || fail "good customers: $out"
[ "$out" != "${out#customers: 3 rows: 3 inserted, 0 updated, 0 unchanged}" ] || fail "summary: $out"
[ "$(q "$DB" "SELECT name || '|' || tier || '|' || tier_source || '|' || points_synced || '|' || yearly_litres FROM customers WHERE code = 'S1-LB-000001'")" = "张三物流|gold|hq|1200|50000" ] ||
	fail "stored customer: $(q "$DB" "SELECT * FROM customers WHERE code = 'S1-LB-000001'")"
[ "$(q "$DB" "SELECT name || '|' || address FROM customers WHERE code = 'S1-XI-000003'")" = 'Wang, Wu|Line 1, "quoted"' ] || fail "CSV quoting"
[ "$(q "$DB" "SELECT tier || '|' || tier_source FROM customers WHERE code = 'S1-TI-000002'")" = "ordinary|local" ] || fail "default tier"
# The search index follows the import.
[ "$(q "$DB" "SELECT c.code FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE customer_search MATCH '\"三物流\" OR \"B88888\"' ORDER BY c.code")" = "S1-LB-000001
S1-TI-000002" ] || fail "search index not in step"
ok "good customers file stored and indexed"

out=$("$FC" --db "$DB" import customers "$T/customers.csv") || fail "re-import: $out"
[ "$out" != "${out#customers: 3 rows: 0 inserted, 0 updated, 3 unchanged}" ] || fail "re-import summary: $out"
ok "re-import reports everything unchanged"

# One row changed (a new name, another tier): exactly 1 updated, a tier history
# row, and search finds the new name and no longer the old one.
sed 's/^S1-TI-000002,李四,individual,taxi,,/S1-TI-000002,李四海,individual,taxi,silver,/' \
	"$T/customers.csv" >"$T/customers2.csv"
hist=$(q "$DB" "SELECT count(*) FROM tier_history")
out=$("$FC" --db "$DB" import customers "$T/customers2.csv") || fail "changed re-import: $out"
[ "$out" != "${out#customers: 3 rows: 0 inserted, 1 updated, 2 unchanged}" ] || fail "changed re-import summary: $out"
[ "$(q "$DB" "SELECT name || '|' || tier || '|' || tier_source FROM customers WHERE code = 'S1-TI-000002'")" = "李四海|silver|hq" ] || fail "changed row not stored"
[ "$(q "$DB" "SELECT count(*) || '|' || max(old_tier) || '|' || max(new_tier) FROM tier_history")" = "$((hist + 1))|ordinary|silver" ] || fail "tier history: $(q "$DB" "SELECT * FROM tier_history")"
out=$("$FC" --db "$DB" customer search 李四海) || fail "search: $out"
grep -q "^S1-TI-000002 " <<<"$out" || fail "search does not find the new name: $out"
out=$("$FC" --db "$DB" customer search 四海) || fail "search: $out"
grep -q "^S1-TI-000002 " <<<"$out" || fail "search does not find part of the new name: $out"
[ "$(q "$DB" "SELECT count(*) FROM customer_search WHERE customer_search MATCH '\"李四海\"'")" = 1 ] || fail "FTS index not updated"
out=$("$FC" --db "$DB" import customers "$T/customers2.csv") || fail "re-import 2: $out"
[ "$out" != "${out#customers: 3 rows: 0 inserted, 0 updated, 3 unchanged}" ] || fail "re-import 2 summary: $out"
ok "a re-import with 1 changed row: 1 updated, history kept, search finds the new name"

# The same code twice in one file (into an empty database): refused naming
# both lines, nothing stored (the last line silently won before).
awk 'BEGIN { print "code,name,nature,industry"
	for (i = 1; i <= 200; i++) {
		printf "S2-OB-%06d,客户%d,big,other\n", i, i
		if (i == 10) print "S2-OB-000007,客户七,big,other"
	}
	print "S2-OB-000100,客户一百,big,other" }' >"$T/dup.csv"
"$FC" --db "$T/dup.db" init >/dev/null || fail "init dup.db"
out=$("$FC" --db "$T/dup.db" import customers "$T/dup.csv" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "dup file: exit $rc: $out"
grep -qF "dup.csv:12: code 'S2-OB-000007' is given twice, on line 8 and here" <<<"$out" ||
	fail "first duplicate not named with both lines: $out"
grep -qF "dup.csv:203: code 'S2-OB-000100' is given twice, on line 102 and here" <<<"$out" ||
	fail "second duplicate not named with both lines: $out"
[ "$(q "$T/dup.db" "SELECT count(*) FROM customers")" = 0 ] || fail "rows of a refused file stored"
# The same key twice among cards (NDJSON) and prices (grade, tier, nature).
printf '%s\n' '{"grade":"92#","tier":"gold","nature":"big","discount_fen_per_litre":"20"}' \
	'{"grade":"95#","tier":"gold","nature":"big","discount_fen_per_litre":"20"}' \
	'{"grade":"92#","tier":"gold","nature":"big","discount_fen_per_litre":"30"}' >"$T/dup-prices.ndjson"
out=$("$FC" --db "$T/dup.db" import prices "$T/dup-prices.ndjson" 2>&1) && fail "twice-listed price accepted"
grep -qF "dup-prices.ndjson:3: grade, tier, nature '92#/gold/big' is given twice, on line 1 and here" <<<"$out" ||
	fail "price key twice: $out"
# Without the twice-listed lines the batched new rows are stored and indexed.
grep -vE '^S2-OB-000007,客户七|^S2-OB-000100,客户一百' "$T/dup.csv" >"$T/nodup.csv"
out=$("$FC" --db "$T/dup.db" import customers "$T/nodup.csv") || fail "nodup file: $out"
[ "$out" != "${out#customers: 200 rows: 200 inserted, 0 updated, 0 unchanged}" ] || fail "nodup summary: $out"
[ "$(q "$T/dup.db" "SELECT count(*) FROM customer_search")" = 200 ] || fail "new batched customers not indexed"
sqlite3 "$T/dup.db" "INSERT INTO customer_search(customer_search, rank) VALUES ('integrity-check', 1)" || fail "search index out of step with customers"
ok "a key twice in a file (customers, prices) refused naming both lines; batched rows indexed"

# A big import (more than 1000 new or renamed customers: shadow tables)
# returns before their search entries are made (FORECOURT_SEARCH_INDEX=later:
# none made; by default a background process makes them): search finds
# each by its values meanwhile (a scan of search_pending), the old name of a
# renamed one nowhere; the same after the entries are made, from the index.
big_file() { # name of customer 1500
	awk -v n="$1" 'BEGIN { print "code,name,nature,industry,tier,points,phone,plate"
		for (i = 1; i <= 2000; i++)
			printf "S3-BG-%06d,%s,individual,other,ordinary,0,139%08d,\n", i,
				i == 1500 ? n : "顾客" i, i }'
}
search_codes() { "$FC" --db "$T/big.db" customer search "$1" | awk '$1 ~ /^S3-/ { print $1 }' | tr '\n' ' '; }
searches_right() { # 2 and 3 characters of the new name, 3 of the old one, when
	[ "$(search_codes "$1")" = "S3-BG-001500 " ] || fail "$4: '$1' not found: $(search_codes "$1")"
	[ "$(search_codes "$2")" = "S3-BG-001500 " ] || fail "$4: '$2' not found"
	[ -z "$(search_codes "$3")" ] || fail "$4: the old name's '$3' still found"
	[ "$(search_codes 13900001500)" = "S3-BG-001500 " ] || fail "$3: phone not found"
	[ "$(search_codes 0001499)" = "S3-BG-001499 " ] || fail "$3: a piece of a phone not found"
}
"$FC" --db "$T/big.db" init >/dev/null || fail "init big.db"
big_file 龙飞凤舞 >"$T/big1.csv"
big_file 虎啸山林 >"$T/big2.csv"
sed -i 's/,顾客\([0-9]*\),/,新顾客\1,/' "$T/big2.csv" # 2000 renamed
out=$(FORECOURT_SEARCH_INDEX=later "$FC" --db "$T/big.db" import customers "$T/big1.csv") || fail "big file: $out"
[ "$(q "$T/big.db" "SELECT count(*) FROM search_pending")" = 2000 ] || fail "new customers not listed"
searches_right 凤舞 飞凤舞 啸山林 "before the entries of new customers"
out=$(FORECOURT_SEARCH_INDEX=later "$FC" --db "$T/big.db" import customers "$T/big2.csv") || fail "big rename: $out"
[ "$out" != "${out#customers: 2000 rows: 0 inserted, 2000 updated}" ] || fail "big rename summary: $out"
searches_right 山林 啸山林 飞凤舞 "before the entries of renamed customers"
echo code,name,nature,industry >"$T/none.csv"
FORECOURT_SEARCH_INDEX=now "$FC" --db "$T/big.db" import customers "$T/none.csv" >/dev/null || fail "empty file"
[ "$(q "$T/big.db" "SELECT count(*) FROM search_pending")" = 0 ] || fail "entries not made"
[ "$(q "$T/big.db" "SELECT count(*) FROM customer_search WHERE customer_search MATCH '虎啸山'")" = 1 ] ||
	fail "the new name not in the index"
sqlite3 "$T/big.db" "INSERT INTO customer_search(customer_search, rank) VALUES ('integrity-check', 1)" ||
	fail "search index out of step with customers after the entries were made"
searches_right 山林 啸山林 飞凤舞 "after the entries were made"
ok "a big import: search right before and after its search entries are made (search_pending)"

cat >"$T/cards.ndjson" <<'NDJ'
{"card_id":"00A1B2C3D4","customer_code":"S1-LB-000001","kind":"unit"}
{"card_id":"00A1B2C3D5","customer_code":"S1-TI-000002","kind":"personal","status":"active"}

NDJ
out=$("$FC" --db "$DB" import cards "$T/cards.ndjson") || fail "cards: $out"
[ "$out" != "${out#cards: 2 rows: 2 inserted, 0 updated, 0 unchanged}" ] || fail "cards summary: $out"
out=$("$FC" --db "$DB" import cards "$T/cards.ndjson") || fail "cards again: $out"
[ "$out" != "${out#cards: 2 rows: 0 inserted, 0 updated, 2 unchanged}" ] || fail "cards re-import: $out"
ok "NDJSON cards stored; re-import unchanged"

# Bad rows anywhere: every one named, nothing changed.
snapshot() { sqlite3 "$DB" "SELECT * FROM customers ORDER BY id; SELECT * FROM cards ORDER BY card_id; SELECT count(*) FROM customer_search;" | md5sum; }
before=$(snapshot)
cat >"$T/bad.csv" <<'CSV'
code,name,nature,industry,tier,points
S1-LB-000001,张三物流改名,big,logistics,gold,1200
S1-XX-000009,赵六,individual,taxi,diamond,10
S1-XX-000010,钱七,big,airline,silver,x12
CSV
if out=$("$FC" --db "$DB" import customers "$T/bad.csv" 2>&1); then fail "bad file accepted: $out"; fi
grep -qF "bad.csv:3: column 'tier': 'diamond' is not a tier of nature 'individual'" <<<"$out" || fail "row 3 not named: $out"
grep -qF "bad.csv:4: column 'industry': 'airline' is not one of" <<<"$out" || fail "row 4 industry: $out"
grep -qF "bad.csv:4: column 'points': 'x12' is not a whole number" <<<"$out" || fail "row 4 points: $out"
grep -qF "nothing was changed" <<<"$out" || fail "no 'nothing was changed': $out"
[ "$(snapshot)" = "$before" ] || fail "a bad file changed the database"
ok "bad customer rows named, nothing changed"

# A big blocked-cards file with bad rows 3 and 999 999; row 2 would block a card.
awk 'BEGIN {
	print "card_id,reason"
	print "00A1B2C3D4,lost"
	for (i = 3; i <= 1000000; i++) {
		if (i == 3) print "00a1b2c3d5,stolen"
		else if (i == 999999) print "GG12345678,stolen"
		else printf "%010X,cancelled\n", 1000000000 + i
	}
}' >"$T/blocked.csv"
if out=$("$FC" --db "$DB" import blocked "$T/blocked.csv" 2>&1); then fail "big bad file accepted: $out"; fi
grep -qF "blocked.csv:3: column 'card_id': '00a1b2c3d5': hex digits must be uppercase" <<<"$out" || fail "row 3: $out"
grep -qF "blocked.csv:999999: column 'card_id': 'GG12345678': only hex digits" <<<"$out" || fail "row 999999: $out"
grep -qF "2 bad rows" <<<"$out" || fail "count: $out"
[ "$(q "$DB" "SELECT status FROM cards WHERE card_id = '00A1B2C3D4'")" = active ] || fail "card blocked by a refused file"
[ "$(snapshot)" = "$before" ] || fail "the big bad file changed the database"
ok "rows 3 and 999999 of a 1000000-row file named, nothing changed"

# A GBK-encoded file (张三 = D5 C5 C8 FD in GBK) is refused as not UTF-8.
printf 'code,name,nature,industry\nS1-OB-000020,\xd5\xc5\xc8\xfd,big,other\n' >"$T/gbk.csv"
if out=$("$FC" --db "$DB" import customers "$T/gbk.csv" 2>&1); then fail "GBK accepted: $out"; fi
grep -qF "gbk.csv:2: column 'name': not UTF-8" <<<"$out" || fail "GBK message: $out"
printf '{"code":"S1-OB-000021","name":"\xd5\xc5\xc8\xfd","nature":"big","industry":"other"}\n' >"$T/gbk.ndjson"
if out=$("$FC" --db "$DB" import customers "$T/gbk.ndjson" 2>&1); then fail "GBK NDJSON accepted: $out"; fi
grep -qF "gbk.ndjson:1: not UTF-8" <<<"$out" || fail "GBK NDJSON message: $out"
[ "$(snapshot)" = "$before" ] || fail "a GBK file changed the database"
ok "GBK files refused as not UTF-8"

# Unknown columns are refused, in CSV headers and NDJSON keys.
printf 'code,name,nature,industry,colour\nS1-OB-000030,A,big,other,red\n' >"$T/unknown.csv"
if out=$("$FC" --db "$DB" import customers "$T/unknown.csv" 2>&1); then fail "unknown column accepted"; fi
grep -qF "unknown.csv:1: column 'colour': unknown column for customers" <<<"$out" || fail "unknown column: $out"
printf '{"card_id":"00FF","customer_code":"S1-LB-000001","kind":"unit","colour":1}\n' >"$T/unknown.ndjson"
if out=$("$FC" --db "$DB" import cards "$T/unknown.ndjson" 2>&1); then fail "unknown key accepted"; fi
grep -qF "unknown.ndjson:1: column 'colour': unknown column for cards" <<<"$out" || fail "unknown key: $out"
printf 'card_id,customer_code,kind\n00FE,S1-NOPE,unit\n' >"$T/orphan.csv"
if out=$("$FC" --db "$DB" import cards "$T/orphan.csv" 2>&1); then fail "orphan card accepted"; fi
grep -qF "orphan.csv:2: column 'customer_code': no customer 'S1-NOPE'" <<<"$out" || fail "orphan: $out"
[ "$(snapshot)" = "$before" ] || fail "a refused file changed the database"
ok "unknown columns and unknown customers refused"

# Prices and holidays.
printf 'grade,tier,nature,discount_fen_per_litre\n92#,gold,big,30\n95#,platinum,individual,25\n' >"$T/prices.csv"
out=$("$FC" --db "$DB" import prices "$T/prices.csv") || fail "prices: $out"
[ "$(q "$DB" "SELECT discount_fen_per_litre FROM prices WHERE grade = '92#' AND tier = 'gold' AND nature = 'big'")" = 30 ] || fail "price stored"
printf 'grade,tier,nature,discount_fen_per_litre\n93#,gold,big,30\n' >"$T/badprice.csv"
if out=$("$FC" --db "$DB" import prices "$T/badprice.csv" 2>&1); then fail "unknown grade accepted"; fi
grep -qF "badprice.csv:2: column 'grade': '93#' is not a grade" <<<"$out" || fail "grade: $out"
printf 'date,kind,name\n2026-10-01,holiday,国庆节\n2026-09-27,workday,调休\n2026-02-30,holiday,x\n' >"$T/hol.csv"
if out=$("$FC" --db "$DB" import holidays "$T/hol.csv" 2>&1); then fail "bad date accepted"; fi
grep -qF "hol.csv:4: column 'date': '2026-02-30' is not a date" <<<"$out" || fail "date: $out"
sed -i '$d' "$T/hol.csv"
out=$("$FC" --db "$DB" import holidays "$T/hol.csv") || fail "holidays: $out"
[ "$(q "$DB" "SELECT group_concat(date || kind || name, ';') FROM holidays")" = "2026-09-27workday调休;2026-10-01holiday国庆节" ] || fail "holidays stored"
ok "prices and holidays"

# Head office's chain columns, tiers and litres from files, as master lines
# bring them; codes over 31 bytes and bad chain values refused.
printf '%s\n' 'code,name,nature,industry,last_purchase_at,home_station,owner_staff,owner_name' \
	'S1-LB-000001,张三物流,big,logistics,2026-06-30T09:15:00Z,S0002,7,王站长' >"$T/chain.csv"
out=$("$FC" --db "$DB" import customers "$T/chain.csv") || fail "chain columns: $out"
[ "$(q "$DB" "SELECT chain_last_purchase_at || '|' || home_station || '|' || owner_staff || '|' || owner_name FROM customers WHERE code = 'S1-LB-000001'")" = "2026-06-30T09:15:00Z|S0002|7|王站长" ] ||
	fail "chain columns not stored: $(q "$DB" "SELECT * FROM customers WHERE code = 'S1-LB-000001'")"
hist=$(q "$DB" "SELECT count(*) FROM tier_history")
printf 'customer_code,tier,period\nS1-TI-000002,gold,2026H1\n' >"$T/tiers.csv"
out=$("$FC" --db "$DB" import tiers "$T/tiers.csv") || fail "tiers: $out"
[ "$out" != "${out#tiers: 1 rows: 0 inserted, 1 updated, 0 unchanged}" ] || fail "tiers summary: $out"
[ "$(q "$DB" "SELECT tier || '|' || tier_source FROM customers WHERE code = 'S1-TI-000002'")" = "gold|hq" ] || fail "tier not stored"
[ "$(q "$DB" "SELECT count(*) || '|' || max(old_tier) || '>' || max(new_tier) || '|' || max(period) FROM tier_history WHERE id > (SELECT max(id) - 1 FROM tier_history)")" = "1|silver>gold|2026H1" ] ||
	fail "tier history: $(q "$DB" "SELECT * FROM tier_history")"
out=$("$FC" --db "$DB" import tiers "$T/tiers.csv") || fail "tiers again: $out"
[ "$out" != "${out#tiers: 1 rows: 0 inserted, 0 updated, 1 unchanged}" ] || fail "tiers re-import: $out"
[ "$(q "$DB" "SELECT count(*) FROM tier_history")" = $((hist + 1)) ] || fail "a re-import wrote history again"
printf '{"customer_code":"S1-LB-000001","period":"2026H1","litres":21000}\n' >"$T/litres.ndjson"
out=$("$FC" --db "$DB" import litres "$T/litres.ndjson") || fail "litres: $out"
[ "$out" != "${out#litres: 1 rows: 1 inserted, 0 updated, 0 unchanged}" ] || fail "litres summary: $out"
[ "$(q "$DB" "SELECT litres || '|' || period FROM chain_litres")" = "21000|2026H1" ] || fail "litres not stored"
before=$(snapshot)
printf '%s\n' 'code,name,nature,industry,owner_staff,last_purchase_at,home_station,points_seq' \
	'S0001-B-LG-00000000000000000000000000001,x,big,other,,,,' \
	'S1-OB-000040,x,big,other,0,2026-06-30 09:15:00,S 2,' \
	'S1-OB-000041,x,big,other,,,,5' >"$T/badchain.csv"
if out=$("$FC" --db "$DB" import customers "$T/badchain.csv" 2>&1); then fail "bad chain columns accepted: $out"; fi
grep -qF "badchain.csv:2: column 'code': 'S0001-B-LG-00000000000000000000000000001' is longer than 31 bytes" <<<"$out" || fail "long code: $out"
grep -qF "badchain.csv:3: column 'owner_staff': '0' is not a staff number" <<<"$out" || fail "owner_staff: $out"
grep -qF "badchain.csv:3: column 'last_purchase_at': '2026-06-30 09:15:00' is not a UTC time" <<<"$out" || fail "last_purchase_at: $out"
grep -qF "badchain.csv:3: column 'home_station': 'S 2' is not a station id" <<<"$out" || fail "home_station: $out"
grep -qF "badchain.csv:4: column 'points_seq': given without points" <<<"$out" || fail "points_seq: $out"
printf 'customer_code,tier,period\nS1-LB-000001,platinum,2026H1\nS1-NOPE,gold,2026H3\n' >"$T/badtiers.csv"
if out=$("$FC" --db "$DB" import tiers "$T/badtiers.csv" 2>&1); then fail "bad tiers accepted: $out"; fi
grep -qF "badtiers.csv:2: column 'tier': 'platinum' is not a tier of nature 'big'" <<<"$out" || fail "tier for the nature: $out"
grep -qF "badtiers.csv:3: column 'period': '2026H3' is not a half-year" <<<"$out" || fail "period: $out"
[ "$(snapshot)" = "$before" ] || fail "a refused file changed the database"
ok "chain columns, tiers (with history) and litres from files; long codes and bad chain values refused"

# A balance with points_seq (head office's count of this station's records
# up to that seq): the station's own movements above it are added once.
v1=$("$FC" --db "$DB" visit --card 00A1B2C3D4 --grade 92# --litres 10 | sed -n 's/.*, +\([0-9]*\) points.*/\1/p')
v2=$("$FC" --db "$DB" visit --card 00A1B2C3D4 --grade 92# --litres 20 | sed -n 's/.*, +\([0-9]*\) points.*/\1/p')
seq1=$(q "$DB" "SELECT min(seq) FROM points_ledger")
points() { "$FC" --db "$DB" lookup 00A1B2C3D4 --json | sed -n 's/.*"points":\([0-9]*\).*/\1/p'; }
[ "$(points)" = $((1200 + v1 + v2)) ] || fail "before: $(points), want 1200 + $v1 + $v2"
printf 'code,name,nature,industry,points,points_seq\nS1-LB-000001,张三物流,big,logistics,%s,%s\n' $((5000 + v1)) "$seq1" >"$T/balance.csv"
out=$("$FC" --db "$DB" import customers "$T/balance.csv") || fail "balance: $out"
[ "$(points)" = $((5000 + v1 + v2)) ] || fail "after: $(points), want 5000 + $v1 + $v2"
[ "$(q "$DB" "SELECT group_concat(synced, '') FROM (SELECT synced FROM points_ledger ORDER BY seq)")" = 10 ] || fail "ledger flags"
ok "points with points_seq $seq1 from a file: the visit above it added once ($((5000 + v1)) + $v2)"

# A row that changes only the balance (written by id, the columns that can
# change alone): as the whole row's upsert writes it.  Without head
# office's tier a provisional tier stays; with it (the same tier) a
# provisional tier and a pending regrade are head office's again, the
# card's copy of the tier too.
sqlite3 "$DB" "UPDATE customers SET tier_source = 'hq', tier_provisional = 1
	WHERE code = 'S1-LB-000001'" || fail "provisional"
tier=$(q "$DB" "SELECT tier FROM customers WHERE code = 'S1-LB-000001'")
[ "$(q "$DB" "SELECT customer_provisional FROM cards WHERE card_id = '00A1B2C3D4'")" = 1 ] || fail "card's copy"
printf 'code,name,nature,industry,points\nS1-LB-000001,张三物流,big,logistics,7000\n' >"$T/balance2.csv"
out=$("$FC" --db "$DB" import customers "$T/balance2.csv") || fail "balance alone: $out"
[ "$out" != "${out#customers: 1 rows: 0 inserted, 1 updated, 0 unchanged}" ] || fail "balance alone: $out"
[ "$(q "$DB" "SELECT points_synced || '|' || tier || '|' || tier_source || '|' || tier_provisional
	|| '|' || (points_synced_at = updated_at) FROM customers WHERE code = 'S1-LB-000001'")" = "7000|$tier|hq|1|1" ] ||
	fail "balance without tier: $(q "$DB" "SELECT * FROM customers WHERE code = 'S1-LB-000001'")"
[ "$(q "$DB" "SELECT customer_provisional FROM cards WHERE card_id = '00A1B2C3D4'")" = 1 ] || fail "card's copy kept"
sqlite3 "$DB" "UPDATE customers SET tier_regrade = 'big silver' WHERE code = 'S1-LB-000001'" || fail "regrade"
printf 'code,name,nature,industry,tier,points\nS1-LB-000001,张三物流,big,logistics,%s,7100\n' "$tier" >"$T/balance3.csv"
out=$("$FC" --db "$DB" import customers "$T/balance3.csv") || fail "balance with tier: $out"
[ "$out" != "${out#customers: 1 rows: 0 inserted, 1 updated, 0 unchanged}" ] || fail "balance with tier: $out"
[ "$(q "$DB" "SELECT points_synced || '|' || tier || '|' || tier_source || '|' || tier_provisional || '|'
	|| coalesce(tier_regrade, '-') FROM customers WHERE code = 'S1-LB-000001'")" = "7100|$tier|hq|0|-" ] ||
	fail "balance with tier: $(q "$DB" "SELECT * FROM customers WHERE code = 'S1-LB-000001'")"
[ "$(q "$DB" "SELECT customer_provisional FROM cards WHERE card_id = '00A1B2C3D4'")" = 0 ] || fail "card's copy after"
ok "a balance alone: stored as the whole row's upsert stores it (tier given or not)"
