#!/usr/bin/env bash
# report_monthly.sh — `forecourt report monthly` on a demo database with June
# callbacks and won-back visits added through the CLI: every figure of the JSON
# equals an independent sqlite3 count; CSV/text agree; bad --month/--format exit 2.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-07-01T08:00:00Z   # Wed 07-01 16:00 local
printf '[complaints]\nholidays_file = %s/config/holidays.conf\n[auth]\npepper_file = %s/pepper\n[callbacks]\nother_per_month = 1\nswing_extra = 2\n' \
	"$FORECOURT_SRC" "$T" >"$T/fc.conf"
DB=$T/d.db
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc demo --customers 300 --seed 5 --build-only >"$T/out" 2>&1 || { cat "$T/out"; fail "demo build"; }
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "head"

# June (local) bounds, written out here rather than taken from the program.
FROM=2026-05-31T16:00:00Z TO=2026-06-30T16:00:00Z
MAINTAINED="((nature = 'big' AND tier = 'ordinary') OR (nature = 'individual' AND tier IN ('silver', 'ordinary')))"

# Callbacks on 06-30 14:00 local: two to one maintained customer, one to each of
# two others (one of them swing), one to a diamond customer (not maintained);
# one at 07-01 01:00 local, which belongs to July.
codes=$(q "$DB" "SELECT code FROM customers WHERE $MAINTAINED AND stability <> 'swing' ORDER BY code LIMIT 2")
swing=$(q "$DB" "SELECT code FROM customers WHERE $MAINTAINED AND stability = 'swing' ORDER BY code LIMIT 1")
diamond=$(q "$DB" "SELECT code FROM customers WHERE tier = 'diamond' ORDER BY code LIMIT 1")
[ -n "$swing" ] && [ -n "$diamond" ] && [ "$(wc -w <<<"$codes")" = 2 ] || fail "demo lacks customers to call"
first=${codes%%$'\n'*}
for c in $codes $first $swing $diamond; do
	printf '246824\n' | FORECOURT_NOW=2026-06-30T06:00:00Z fc callback add "$c" --as H1 --method phone \
		--notes "asked about the new diesel price" >/dev/null || fail "callback to $c"
done
printf '246824\n' | FORECOURT_NOW=2026-06-30T17:00:00Z fc callback add "$first" --as H1 --method sms \
	--notes "holiday greetings" >/dev/null || fail "July callback"
# An in-person visit to the swing customer on 06-29 (its report counts as a
# callback of June) and one dated 07-01 (July's).
printf '246824\n' | FORECOURT_NOW=2026-06-30T06:10:00Z fc callback report "$swing" --as H1 \
	--quality good --attitude excellent --renown high --date 2026-06-29 >/dev/null || fail "June visit report"
printf '246824\n' | FORECOURT_NOW=2026-07-01T06:10:00Z fc callback report "$swing" --as H1 \
	--quality good --attitude excellent --renown high --date 2026-07-01 >/dev/null || fail "July visit report"

# Won back in June: two lost customers (last purchase before 05-25) buy on 06-30;
# one anonymous fuelling.
lost=$(q "$DB" "SELECT min(k.card_id) FROM customers c JOIN cards k ON k.customer_id = c.id
	AND k.status = 'active' WHERE c.stability = 'lost' AND c.last_visit_at < '2026-05-25'
	GROUP BY c.id ORDER BY c.code LIMIT 2")
[ "$(wc -w <<<"$lost")" = 2 ] || fail "demo lacks lost customers with a card"
for card in $lost; do
	out=$(FORECOURT_NOW=2026-06-30T06:30:00Z fc visit --card "$card" --grade 92# --litres 33.5) ||
		fail "won-back visit: $out"
	grep -qF "WON BACK" <<<"$out" || fail "visit not won back: $out"
done
FORECOURT_NOW=2026-06-30T06:40:00Z fc visit --anonymous --grade 95# --litres 20 >/dev/null ||
	fail "anonymous visit"
ok "added 5 June callbacks, 1 June visit report, 1 July callback and visit report, 2 won-back and 1 anonymous fuelling"

fc report monthly --month 2026-06 --format json >"$T/r.json" 2>"$T/err" || fail "report: $(cat "$T/err")"
python3 -m json.tool "$T/r.json" >/dev/null || fail "report JSON does not parse"

# The report's figures, one "key value" line each.
python3 - "$T/r.json" >"$T/actual" <<'EOF' || fail "reading the JSON"
import json, sys
r = json.load(open(sys.argv[1]))
out = [f"month {r['month']} {r['from']} {r['to']}", f"customers {r['customers']}"]
for sec in ("by_tier", "by_stability", "by_nature", "by_composite", "volume_ml_by_tier"):
    for k, v in sorted(r[sec].items()):
        if v:  # no empty groups in SQL
            out.append(f"{sec} {k} {v}")
out.append(f"visits {r['visits']} {r['volume_ml']}")
for g in r["volume_ml_by_grade"]:
    out.append(f"grade {g['grade']} {g['volume_ml']} {g['visits']}")
for k, v in sorted(r["complaints"].items()):
    out.append(f"complaints {k} {v}")
cb = r["callbacks"]
out.append(f"callbacks {cb['maintained']} {cb['required']} {cb['done']} {cb['met']}")
for c in cb["customers"]:
    if c["done"]:
        out.append(f"callback {c['code']} {c['done']}/{c['required']}")
for sec in ("won_back", "lost", "swing", "potential"):
    out.append(f"{sec} {len(r[sec])}")
    for c in sorted(r[sec], key=lambda c: c["code"]):
        out.append(f"{sec} {c['code']} {c['last_purchase'] or '-'} {c['last_volume_ml']} {c['month_volume_ml']}")
print("\n".join(out))
EOF

# The same figures straight from the tables.
TIERNAME="CASE WHEN c.tier IN ('diamond', 'platinum') THEN c.tier ELSE c.tier || '-' || c.nature END"
MONTH="v.created_at >= '$FROM' AND v.created_at < '$TO'"
DEADLINE_END="strftime('%Y-%m-%dT%H:%M:%SZ', deadline, '+16 hours')" # local midnight after it, CST-8
NOW=2026-07-01T08:00:00Z
{
	echo "month 2026-06 $FROM $TO"
	echo "customers $(q "$DB" 'SELECT count(*) FROM customers')"
	q "$DB" "SELECT 'by_tier ' || t || ' ' || n FROM (SELECT $TIERNAME AS t, count(*) AS n
		FROM customers c GROUP BY 1) ORDER BY t"
	q "$DB" "SELECT 'by_stability ' || stability || ' ' || count(*) FROM customers GROUP BY stability ORDER BY 1"
	q "$DB" "SELECT 'by_nature ' || nature || ' ' || count(*) FROM customers GROUP BY nature ORDER BY 1"
	q "$DB" "SELECT 'by_composite ' || coalesce(composite_class, 'none') || ' ' || count(*)
		FROM customers GROUP BY coalesce(composite_class, 'none') ORDER BY 1"
	q "$DB" "SELECT 'volume_ml_by_tier ' || t || ' ' || ml FROM (SELECT coalesce($TIERNAME, 'anonymous') AS t,
		sum(v.volume_ml) AS ml FROM visits v LEFT JOIN customers c ON c.id = v.customer_id
		WHERE $MONTH GROUP BY 1) ORDER BY t"
	q "$DB" "SELECT 'visits ' || count(*) || ' ' || sum(volume_ml) FROM visits v WHERE $MONTH"
	q "$DB" "SELECT 'grade ' || grade || ' ' || sum(volume_ml) || ' ' || count(*) FROM visits v
		WHERE $MONTH GROUP BY grade ORDER BY grade"
	q "$DB" "SELECT 'complaints closed_in_time ' || sum(status = 'closed' AND closed_at < $DEADLINE_END),
		'complaints closed_late ' || sum(status = 'closed' AND closed_at >= $DEADLINE_END),
		'complaints open ' || sum(status = 'open' AND '$NOW' < $DEADLINE_END),
		'complaints overdue ' || sum(status = 'open' AND '$NOW' >= $DEADLINE_END),
		'complaints received ' || count(*)
		FROM complaints WHERE received_at >= '$FROM' AND received_at < '$TO'" | tr '|' '\n'
	DONE="(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id AND k.created_at >= '$FROM'
		AND k.created_at < '$TO') + (SELECT count(*) FROM visit_reports w
		WHERE w.customer_id = c.id AND w.report_date BETWEEN '2026-06-01' AND '2026-06-30')"
	q "$DB" "WITH m AS (SELECT code, 1 + 2 * (stability = 'swing') AS req, $DONE AS done
		FROM customers c WHERE $MAINTAINED)
		SELECT 'callbacks ' || count(*) || ' ' || sum(req) || ' ' || sum(done) || ' ' || sum(done >= req) FROM m;
		WITH m AS (SELECT code, 1 + 2 * (stability = 'swing') AS req, $DONE AS done
		FROM customers c WHERE $MAINTAINED)
		SELECT 'callback ' || code || ' ' || done || '/' || req FROM m WHERE done > 0 ORDER BY code"
	LAST="(SELECT l.created_at FROM visits l WHERE l.customer_id = c.id ORDER BY l.created_at DESC LIMIT 1)"
	LASTML="(SELECT l.volume_ml FROM visits l WHERE l.customer_id = c.id ORDER BY l.created_at DESC LIMIT 1)"
	MONTHML="(SELECT coalesce(sum(v.volume_ml), 0) FROM visits v WHERE v.customer_id = c.id AND $MONTH)"
	echo "won_back $(q "$DB" "SELECT count(DISTINCT customer_id) FROM visits v WHERE won_back = 1 AND $MONTH")"
	q "$DB" "SELECT 'won_back ' || c.code || ' ' || min(v.created_at) || ' ' || v.volume_ml || ' ' || $MONTHML
		FROM visits v JOIN customers c ON c.id = v.customer_id WHERE v.won_back = 1 AND $MONTH
		GROUP BY c.id ORDER BY c.code"
	for s in lost swing potential; do
		echo "$s $(q "$DB" "SELECT count(*) FROM customers WHERE stability = '$s'")"
		q "$DB" "SELECT '$s ' || code || ' ' || coalesce($LAST, last_visit_at, '-') || ' ' ||
			coalesce($LASTML, 0) || ' ' || $MONTHML FROM customers c WHERE stability = '$s' ORDER BY code"
	done
} >"$T/expected"

diff "$T/expected" "$T/actual" >"$T/diff" || { head -40 "$T/diff"; fail "report differs from the SQL counts"; }
# 2+1+1 callbacks to maintained customers (not the diamond's, not July's) and
# the swing customer's June visit report; 2 of them met (swing needs 3).
grep -q '^won_back 2$' "$T/actual" && grep -qE '^callbacks [0-9]+ [0-9]+ 5 2$' "$T/actual" &&
	grep -q '^volume_ml_by_tier anonymous 20000$' "$T/actual" || fail "added rows not in the report"
ok "$(wc -l <"$T/actual") figures equal the SQL: $(grep -E '^(customers|visits|callbacks|complaints received|won_back|lost|swing|potential) [0-9 ]+$' "$T/actual" | tr '\n' ';')"

# The text and CSV forms carry the same figures.
fc report monthly --month 2026-06 >"$T/text" || fail "text report"
rec=$(grep '^complaints received' "$T/actual" | cut -d' ' -f3)
grep -qE "^complaints: $rec received, " "$T/text" || fail "text complaints: $(grep complaints "$T/text")"
grep -qE "^  diamond +$(grep '^by_tier diamond' "$T/actual" | cut -d' ' -f3)$" "$T/text" || fail "text tiers"
fc report monthly --month 2026-06 --format csv >"$T/csv" || fail "csv report"
[ "$(head -n 1 "$T/csv")" = "section,key,name,tier,stability,count,required,date,volume_ml,month_ml" ] ||
	fail "csv header: $(head -n 1 "$T/csv")"
python3 - "$T/csv" "$T/r.json" <<'EOF' || fail "CSV and JSON disagree"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
r = json.load(open(sys.argv[2]))
by = lambda s: {x["key"]: int(x["count"]) for x in rows if x["section"] == s}
assert by("tier") == {**r["by_tier"], "anonymous": 0}, by("tier")
assert by("stability") == r["by_stability"]
assert {k: v for k, v in by("complaints").items()} == {k: v for k, v in r["complaints"].items()}
for s in ("lost", "swing", "potential", "won_back"):
    assert sorted(x["key"] for x in rows if x["section"] == s) == sorted(c["code"] for c in r[s]), s
assert sum(1 for x in rows if x["section"] == "callback") == r["callbacks"]["maintained"]
EOF
ok "text and CSV agree with the JSON"

# Default month is the current local month (July at FORECOURT_NOW).
fc report monthly --format json | python3 -c 'import json,sys; assert json.load(sys.stdin)["month"] == "2026-07"' ||
	fail "default month is not 2026-07"

# Bad values: exit 2 with a message naming the option.
for args in "--month 2026-13" "--month 26-06" "--month 2026-6" "--month 2026-08" "--format xml" "--month" "--colour red"; do
	fc report monthly $args >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "report monthly $args: exit $rc, not 2"
	grep -qE "forecourt report( monthly)?: " "$T/out" || fail "report monthly $args: no message: $(cat "$T/out")"
done
grep -qF -- "--month '2026-13': month 13 is not 01..12" <(fc report monthly --month 2026-13 2>&1) ||
	fail "bad month message"
grep -qF -- "--month 2026-08 has not begun yet (this is 2026-07)" <(fc report monthly --month 2026-08 2>&1) ||
	fail "future month message: $(fc report monthly --month 2026-08 2>&1)"
fc report weekly >/dev/null 2>&1; [ $? = 2 ] || fail "unknown report not exit 2"
ok "bad --month, --format and report names exit 2 with a message"
