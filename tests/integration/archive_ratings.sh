#!/usr/bin/env bash
# archive_ratings.sh — the customers of issue 16 through `forecourt customer`:
# a head's ratings (who and when) re-evaluate the composite class at once;
# the competitor flag and name, searchable (`customer competitors`); special
# dates make a care callback due the week before; the provisional tier of a
# potential customer's declared demand; a nature changed by head office's
# master data re-evaluates the tier against the new thresholds; the holiday
# window and the major column.  Every step's record is in the outbox, and
# head office (a private PostgreSQL, `forecourt-hq records`) takes them all.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"
export TZ=CST-8 FORECOURT_NOW=2026-07-01T02:00:00Z # Wed 07-01 10:00 local
printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
head_edit() { printf '246824\n' | fc customer edit "$@" --as H1; }
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "head"
head_id=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'H1'")
cat >"$T/c.csv" <<'CSV'
code,name,nature,industry,tier,phone
S0042-B-LG-000001,张三物流有限公司,big,logistics,ordinary,13800000001
S0042-I-TX-000002,李四,individual,taxi,gold,13900000002
S0042-I-OT-000003,王五,individual,other,,13700000003
CSV
fc import customers "$T/c.csv" >/dev/null || fail "import"

# --- ratings: who and when, the class evaluated at once, a record each
out=$(head_edit S0042-B-LG-000001 rating_scale=90 rating_credit=80 rating_influence=70) || fail "ratings: $out"
grep -qF "saved: 3 fields changed" <<<"$out" || fail "ratings output: $out"
[ "$(q "$DB" "SELECT rating_scale || ' ' || rating_credit || ' ' || rating_influence || ' ' || rating_by || ' ' || rating_at FROM customers WHERE id = 1")" = \
	"90 80 70 $head_id 2026-07-01T02:00:00Z" ] || fail "ratings stored: $(q "$DB" "SELECT rating_by, rating_at FROM customers WHERE id = 1")"
# no cards, no litres: 30*90 + 20*80 + 30*0 + 20*70 = 5700 -> 57, class C
[ "$(q "$DB" "SELECT composite_score || composite_class || ' ' || composite_quarter FROM customers WHERE id = 1")" = "57C 2026Q3" ] ||
	fail "composite: $(q "$DB" "SELECT composite_score, composite_class, composite_quarter FROM customers WHERE id = 1")"
rec=$(q "$DB" "SELECT json_extract(payload, '\$.data.score') || json_extract(payload, '\$.data.class') || ' ' || json_extract(payload, '\$.data.scale_rated') || json_extract(payload, '\$.data.credit_rated') || json_extract(payload, '\$.data.influence_rated') || ' staff ' || json_extract(payload, '\$.staff') FROM outbox WHERE type = 'composite_evaluated'")
[ "$rec" = "57C 111 staff $head_id" ] || fail "composite_evaluated record: $rec"
out=$(fc customer show S0042-B-LG-000001) || fail "show"
grep -qE "^rating_by +$head_id$" <<<"$out" && grep -qE "^composite_quarter +2026Q3$" <<<"$out" || fail "show ratings: $out"
before=$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type <> 'audit'" | md5sum)
out=$(head_edit S0042-B-LG-000001 rating_scale=101 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'rating_scale': 101 is out of range 0..100 points" <<<"$out" || fail "rating 101 ($rc): $out"
out=$(head_edit S0042-B-LG-000001 rating_credit=high 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'rating_credit': 'high' is not a whole number" <<<"$out" || fail "rating high ($rc): $out"
[ "$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type <> 'audit'" | md5sum)" = "$before" ] || fail "refused ratings changed data"
ok "ratings: stored with who and when, class 57 C at once, composite_evaluated queued; 101 and 'high' refused (exit 2)"

# --- the competitor flag and name, searchable
out=$(head_edit S0042-I-TX-000002 competitor=1 competitor_name=中石化加油站) || fail "competitor: $out"
[ "$(q "$DB" "SELECT competitor || competitor_name FROM customers WHERE id = 2")" = "1中石化加油站" ] || fail "competitor stored"
[ "$(q "$DB" "SELECT group_concat(json_extract(c.value, '\$.field') || '=' || json_extract(c.value, '\$.new'), ' ') FROM outbox o, json_each(json_extract(o.payload, '\$.data.changes')) c WHERE o.type = 'customer_changed' AND json_extract(o.payload, '\$.data.customer_code') = 'S0042-I-TX-000002'")" = \
	"competitor=1 competitor_name=中石化加油站" ] || fail "customer_changed lacks the competitor fields"
out=$(fc customer competitors) && grep -q "^S0042-I-TX-000002 .*competitor:中石化加油站$" <<<"$out" && grep -qF "1 found" <<<"$out" || fail "competitors: $out"
out=$(fc customer competitors 石化) && grep -qF "1 found" <<<"$out" || fail "competitors 石化: $out"
out=$(fc customer competitors 壳牌) && grep -qF "0 found" <<<"$out" || fail "competitors 壳牌: $out"
out=$(fc customer search 李四) && grep -q "competitor:中石化加油站" <<<"$out" || fail "search shows no competitor: $out"
out=$(fc customer show S0042-I-TX-000002) && grep -qxF "competitor customer: buys from 中石化加油站" <<<"$out" || fail "show competitor: $out"
out=$(head_edit S0042-I-TX-000002 competitor=2 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'competitor': 2 is out of range 0..1" <<<"$out" || fail "competitor=2 ($rc): $out"
out=$(head_edit S0042-I-TX-000002 competitor= 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'competitor': 1 (buys from a competitor) or 0" <<<"$out" || fail "competitor= ($rc): $out"
# whose is noted: competitor=1 without a name, clearing the name of a competitor
# customer, and a name without competitor=1 are refused (exit 2), nothing changed
out=$(head_edit S0042-I-OT-000003 competitor=1 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'competitor_name': a competitor customer (competitor=1) needs whose: the competitor's name" <<<"$out" ||
	fail "competitor=1 without a name ($rc): $out"
out=$(head_edit S0042-I-TX-000002 competitor_name= 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "needs whose" <<<"$out" || fail "name cleared of a competitor customer ($rc): $out"
out=$(head_edit S0042-I-OT-000003 competitor=0 competitor_name=壳牌 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'competitor_name': '壳牌' is noted only for a competitor customer: set competitor=1 too, or clear the name" <<<"$out" ||
	fail "a name with competitor=0 ($rc): $out"
out=$(head_edit S0042-I-TX-000002 competitor=0 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "is noted only for a competitor customer" <<<"$out" || fail "flag cleared, name kept ($rc): $out"
[ "$(q "$DB" "SELECT group_concat(coalesce(competitor, '-') || coalesce(competitor_name, '-'), ',') FROM customers WHERE id IN (2, 3)")" = \
	"1中石化加油站,0-" ] || fail "refused competitor edits changed data: $(q "$DB" "SELECT id, competitor, competitor_name FROM customers")"
out=$(printf '246824\n' | fc customer register 赵六 individual other competitor_name=壳牌 --as H1 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "is noted only for a competitor customer" <<<"$out" || fail "registered with a name but no competitor=1 ($rc): $out"
[ "$(q "$DB" "SELECT count(*) FROM customers WHERE name = '赵六'")" = 0 ] || fail "refused registration stored"
ok "competitor flag and name: stored, in customer_changed, found by \`customer competitors\` and shown; whose needed, a name only with the flag"

# --- special dates: a care callback is due the week before
out=$(head_edit S0042-I-OT-000003 birthday=07-05 anniversary=1998-09-01) || fail "special dates: $out"
out=$(fc callback due) && grep -q "^S0042-I-OT-000003 .*(birthday 2026-07-05)$" <<<"$out" || fail "callback due: $out"
out=$(head_edit S0042-I-OT-000003 birthday=02-30 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'birthday': '02-30' is not a date (MM-DD or YYYY-MM-DD, e.g. 03-15)" <<<"$out" || fail "02-30 ($rc): $out"
out=$(head_edit S0042-I-OT-000003 anniversary=2026-2-1 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "field 'anniversary': '2026-2-1' is not a date" <<<"$out" || fail "2026-2-1 ($rc): $out"
ok "birthday 07-05: callback due lists the care call (birthday 2026-07-05); 02-30 refused"

# --- the provisional tier of a potential customer's declared demand
out=$(printf '246824\n' | fc customer register 赵六 individual other yearly_litres=3000 --as H1) || fail "register: $out"
new=$(sed -n 's/^registered //p' <<<"$out")
[ "$(q "$DB" "SELECT tier || ' ' || tier_provisional FROM customers WHERE code = '$new'")" = "gold 1" ] || fail "provisional tier"
out=$(fc customer show "$new") && grep -qxF "tier gold (provisional: from the declared yearly demand)" <<<"$out" || fail "show provisional: $out"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.new_tier') || ' ' || json_extract(payload, '\$.data.provisional') || ' ' || json_extract(payload, '\$.data.reason') FROM outbox WHERE type = 'tier_changed' AND json_extract(payload, '\$.data.customer_code') = '$new'")" = "gold 1 declared" ] ||
	fail "tier_changed of the provisional tier"
out=$(head_edit "$new" yearly_litres=6000) || fail "yearly 6000"
[ "$(q "$DB" "SELECT tier || ' ' || tier_provisional FROM customers WHERE code = '$new'")" = "platinum 1" ] || fail "regraded"
ok "declared 3 000 L a year: provisional gold (individual), 6 000 L: provisional platinum, each a tier_changed record"

# --- head office changes a nature without a tier: evaluated again, not by rank
printf 'code,name,nature,industry\nS0042-I-TX-000002,李四,big,taxi\n' >"$T/n.csv"
fc import customers "$T/n.csv" >/dev/null || fail "import nature"
[ "$(q "$DB" "SELECT nature || ' ' || tier || ' ' || tier_source FROM customers WHERE id = 2")" = "big ordinary local" ] ||
	fail "nature change: $(q "$DB" "SELECT nature, tier, tier_source FROM customers WHERE id = 2")"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.old_nature') || ' ' || json_extract(payload, '\$.data.old_tier') || '>' || json_extract(payload, '\$.data.nature') || ' ' || json_extract(payload, '\$.data.new_tier') || ' ' || json_extract(payload, '\$.data.reason') FROM outbox WHERE type = 'tier_changed' AND json_extract(payload, '\$.data.customer_code') = 'S0042-I-TX-000002'")" = \
	"individual gold>big ordinary nature_changed" ] || fail "tier_changed of the nature change"
out=$(fc customer show S0042-I-TX-000002) && grep -qxF "customer S0042-I-TX-000002: now big, taxi (the code keeps the classes it was made with)" <<<"$out" || fail "show nature: $out"
ok "individual gold made big by head office: big ordinary (no litres), not big gold; the code keeps its letters, show says 'now big'"

# --- the holiday window and the major column
printf '2026-07-05 holiday minor 测试小节\n2026-07-12 holiday major 测试大节\n' >"$T/h.conf"
out=$(fc holidays load "$T/h.conf") && grep -qF "2 calendar days loaded from $T/h.conf (1 major holidays)" <<<"$out" || fail "holidays load: $out"
out=$(fc callback due) && ! grep -q "^holiday" <<<"$out" || fail "a minor holiday or one 11 days ahead announced: $out"
printf '[callbacks]\nholiday_window_days = 14\n' >>"$T/fc.conf"
out=$(fc callback due) && grep -qF "holiday 2026-07-12 (测试大节) ahead" <<<"$out" || fail "window of 14 days: $out"
printf 'holiday_window_days = 0\n' >>"$T/fc.conf"
out=$(fc callback due 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "holiday_window_days" <<<"$out" || fail "window 0 ($rc): $out"
sed -i '$d' "$T/fc.conf"
printf '2026-07-20 workday major 调休\n' >"$T/bad.conf"
out=$(fc holidays load "$T/bad.conf" 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "$T/bad.conf:1: a workday cannot be a major holiday" <<<"$out" || fail "workday major ($rc): $out"
# a typo of the major|minor column and a holiday without a name: FILE:LINE, exit 2, nothing loaded
printf '2026-12-12 holiday big 测试\n' >"$T/bad.conf"
out=$(fc holidays load "$T/bad.conf" 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "$T/bad.conf:1: 'big' is not major or minor" <<<"$out" || fail "holiday big ($rc): $out"
printf '2026-12-11 holiday minor 测试\n2026-12-12 holiday major\n' >"$T/bad.conf"
out=$(fc holidays load "$T/bad.conf" 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "$T/bad.conf:2: holiday without a name" <<<"$out" || fail "holiday major without a name ($rc): $out"
[ "$(q "$DB" "SELECT count(*) FROM holidays WHERE date >= '2026-12-01'")" = 0 ] || fail "a refused holiday file loaded"
ok "holidays: minor 07-05 not announced, major 07-12 only with holiday_window_days = 14; 0, a major workday, a column typo and no name refused"

# --- head office takes every record (a private PostgreSQL, forecourt-hq records)
pg_start
hq_conf "$(free_port)"
hq init >/dev/null || fail "hq init"
hq station add S0042 "站 S0042" >/dev/null || fail "hq station add"
mkdir -p "$T/files" && chmod 755 "$T/files"
cut -d, -f1-4 "$T/c.csv" >"$T/files/c.csv" && printf '%s,赵六,individual,other\n' "$new" >>"$T/files/c.csv"
hq import customers "$T/files/c.csv" >/dev/null || fail "hq import customers"
mkdir -p "$T/usb" && fc outbox export "$T/usb" >/dev/null || fail "outbox export"
f=$(ls "$T"/usb/*) && chmod 755 "$T/usb" && chmod 644 "$f"
n=$(q "$DB" "SELECT count(*) FROM outbox")
hq records "$f" >"$T/records.log" || fail "forecourt-hq records: $(cat "$T/records.log")"
grep -q "station S0042: $n applied, 0 already there, 0 refused" "$T/records.log" || fail "records: $(cat "$T/records.log")"
[ "$(psql_q "SELECT string_agg(type || ' ' || n, ', ' ORDER BY type) FROM (SELECT type, count(*) AS n FROM records WHERE type IN ('composite_evaluated', 'tier_changed') GROUP BY type) t")" = \
	"$(q "$DB" "SELECT group_concat(type || ' ' || n, ', ') FROM (SELECT type, count(*) AS n FROM outbox WHERE type IN ('composite_evaluated', 'tier_changed') GROUP BY type ORDER BY type)")" ] ||
	fail "head office's records differ: $(psql_q "SELECT type, count(*) FROM records GROUP BY type")"
[ "$(psql_q "SELECT count(*) FROM customer_changes WHERE changes @> '[{\"field\": \"competitor_name\"}]'")" = 1 ] || fail "head office lacks the competitor change"
ok "head office applied all $n records (composite_evaluated, tier_changed with the new fields, the archive changes)"
