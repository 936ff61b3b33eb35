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

# The monthly study: answers with June callbacks to a lost and a potential
# customer and with the swing customer's June visit report; the lost one
# answers again in July (the June report keeps the June answers); a bad
# answer exits 2 and saves nothing.
study_lost=$(q "$DB" "SELECT code FROM customers WHERE stability = 'lost' ORDER BY code LIMIT 1 OFFSET 5")
study_pot=$(q "$DB" "SELECT code FROM customers WHERE stability = 'potential' ORDER BY code LIMIT 1")
[ -n "$study_lost" ] && [ -n "$study_pot" ] || fail "demo lacks lost and potential customers"
printf '246824\n' | FORECOURT_NOW=2026-06-20T02:00:00Z fc callback add "$study_lost" --as H1 --method visit \
	--notes "visited the fleet office" --loss-reason competitor_offer --loss-reason-text "0.3 yuan/L off" \
	--current-channel "中石油 5号线站" --competitor-offer "每升优惠0.3元, 免费洗车" \
	--measures "offered the gold price for 3 months" --responsible "王站长" >/dev/null || fail "study callback"
printf '246824\n' | FORECOURT_NOW=2026-06-21T02:00:00Z fc callback add "$study_pot" --as H1 --method phone \
	--notes "asked why they never came" --loss-reason distance --current-channel "Sinopec Route 9" \
	>/dev/null || fail "study callback to the potential customer"
printf '246824\n' | FORECOURT_NOW=2026-06-28T02:00:00Z fc callback report "$swing" --as H1 \
	--quality good --attitude poor --renown known --date 2026-06-28 --loss-reason service \
	--measures "retrained the night shift" --responsible "Li" >/dev/null || fail "study visit report"
printf '246824\n' | FORECOURT_NOW=2026-07-01T02:00:00Z fc callback add "$study_lost" --as H1 --method phone \
	--notes "called again" --loss-reason price --responsible "Zhao" >/dev/null || fail "July study callback"
for bad in "--loss-reason cheaper" "--loss-reason other" "--loss-reason-text alone" "--measures $(printf 'a\tb')"; do
	printf '246824\n' | fc callback add "$study_pot" --as H1 --method phone --notes x $bad >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "callback add $bad: exit $rc, not 2: $(cat "$T/out")"
done
grep -qF "loss-reason: 'cheaper' is not a reason (price, service, distance, competitor_offer, vehicle_sold, business_closed, other)" \
	<(printf '246824\n' | fc callback add "$study_pot" --as H1 --method phone --notes x --loss-reason cheaper 2>&1) ||
	fail "bad reason message"
grep -qF "loss-reason-text: say what the other reason is" \
	<(printf '246824\n' | fc callback report "$study_pot" --as H1 --quality good --attitude good --renown high \
	--loss-reason other 2>&1) || fail "other without its text"
[ "$(q "$DB" "SELECT count(*) FROM callbacks WHERE notes = 'x'")" = 0 ] || fail "a refused study was saved"
# The customer keeps the latest answers; the records carry them to head office.
[ "$(q "$DB" "SELECT loss_reason || '|' || coalesce(current_channel, '-') || '|' || responsible || '|' || study_at
	FROM customers WHERE code = '$study_lost'")" = "price|-|Zhao|2026-07-01T02:00:00Z" ] ||
	fail "customer's latest study: $(q "$DB" "SELECT loss_reason, current_channel, responsible, study_at FROM customers WHERE code = '$study_lost'")"
[ "$(q "$DB" "SELECT study_source = (SELECT id FROM callbacks WHERE notes = 'called again') FROM customers WHERE code = '$study_lost'")" = 1 ] ||
	fail "study_source is not the July callback"
[ "$(q "$DB" "SELECT json_extract(payload, '$.data.loss_reason') || '|' || json_extract(payload, '$.data.competitor_offer')
	|| '|' || json_extract(payload, '$.data.responsible') FROM outbox WHERE type = 'callback'
	AND json_extract(payload, '$.data.notes') = 'visited the fleet office'")" = "competitor_offer|每升优惠0.3元, 免费洗车|王站长" ] ||
	fail "outbox record lacks the study"
[ "$(q "$DB" "SELECT json_extract(payload, '$.data.measures') FROM outbox WHERE type = 'visit_report'
	AND json_extract(payload, '$.data.report_date') = '2026-06-28'")" = "retrained the night shift" ] ||
	fail "visit report record lacks the study"
# Satisfaction ratings: three in June, one in July; two competitor customers.
for rn in "2026-06-10T02:00:00Z 5" "2026-06-11T02:00:00Z 4" "2026-06-30T15:59:00Z 2" "2026-06-30T16:00:00Z 1"; do
	FORECOURT_NOW=${rn% *} fc feedback add ${rn#* } >/dev/null || fail "feedback $rn"
done
q "$DB" "UPDATE customers SET competitor = 1, competitor_name = '中石化' WHERE code = '$study_lost';
	UPDATE customers SET competitor = 1 WHERE code = (SELECT min(code) FROM customers WHERE stability = 'current')"
ok "study answers with 3 June callbacks/reports and 1 July one, bad answers refused (exit 2), 4 ratings, 2 competitor customers"

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
STUDY = ("loss_reason", "loss_reason_text", "current_channel", "competitor_offer", "measures", "responsible")
for sec in ("lost", "swing", "potential", "competitors"):
    for c in sorted(r[sec], key=lambda c: c["code"]):
        if c["study"]:
            out.append(f"study {sec} {c['code']} {c['study']['at']} " + "|".join(c["study"][k] or "-" for k in STUDY))
KINDS = ("subjective", "objective", "unclassified")
for t, reasons in sorted(r["study_reasons"].items()):
    for k, v in sorted(reasons.items()):
        if v and k not in KINDS:
            out.append(f"reason {t} {k} {v}")
for t, reasons in sorted(r["study_reasons"].items()):
    for k in KINDS:
        if reasons[k]:
            out.append(f"reason_kind {t} {k} {reasons[k]}")
sat = r["satisfaction"]
out.append(f"satisfaction {sat['count']} {sat['sum']} " + " ".join(str(sat["by_rating"][str(k)]) for k in range(1, 6)))
vr = r["visit_reports"]
out.append(f"visit_reports {vr['count']} {vr['sum']['quality']} {vr['sum']['attitude']} {vr['sum']['renown']}")
for v in vr["reports"]:
    out.append(f"visit_report {v['date']} {v['code']} {v['quality']} {v['attitude']} {v['renown']}")
for h in r["complaints_by_handler"]:
    out.append(f"handler {h['handler'] or '-'} {h['received']} {h['closed_in_time']} {h['closed_late']} {h['open']} {h['overdue']}")
out.append(f"competitors {len(r['competitors'])}")
for c in r["competitors"]:
    out.append(f"competitor {c['code']} {c['competitor_name'] or '-'} {c['stability']}")
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
	# The study in force at June's end: each customer's latest callback or
	# visit report with an answer created before it.
	ANSWERS="(SELECT customer_id, created_at, loss_reason, loss_reason_text, current_channel,
		competitor_offer, measures, responsible FROM callbacks UNION ALL SELECT customer_id,
		created_at, loss_reason, loss_reason_text, current_channel, competitor_offer, measures,
		responsible FROM visit_reports)"
	LATEST="WITH a AS (SELECT * FROM $ANSWERS WHERE created_at < '$TO' AND coalesce(loss_reason,
		loss_reason_text, current_channel, competitor_offer, measures, responsible) IS NOT NULL),
		l AS (SELECT a.* FROM a WHERE created_at = (SELECT max(created_at) FROM a b
		WHERE b.customer_id = a.customer_id))"
	for s in lost swing potential; do
		q "$DB" "$LATEST SELECT 'study $s ' || c.code || ' ' || l.created_at || ' ' ||
			coalesce(l.loss_reason, '-') || '|' || coalesce(l.loss_reason_text, '-') || '|' ||
			coalesce(l.current_channel, '-') || '|' || coalesce(l.competitor_offer, '-') || '|' ||
			coalesce(l.measures, '-') || '|' || coalesce(l.responsible, '-')
			FROM customers c JOIN l ON l.customer_id = c.id WHERE c.stability = '$s' ORDER BY c.code"
	done
	q "$DB" "$LATEST SELECT 'study competitors ' || c.code || ' ' || l.created_at || ' ' ||
		coalesce(l.loss_reason, '-') || '|' || coalesce(l.loss_reason_text, '-') || '|' ||
		coalesce(l.current_channel, '-') || '|' || coalesce(l.competitor_offer, '-') || '|' ||
		coalesce(l.measures, '-') || '|' || coalesce(l.responsible, '-')
		FROM customers c JOIN l ON l.customer_id = c.id WHERE c.competitor = 1 ORDER BY c.code"
	q "$DB" "$LATEST SELECT 'reason ' || t || ' ' || k || ' ' || n FROM (SELECT $TIERNAME AS t,
		coalesce(l.loss_reason, 'none') AS k, count(*) AS n FROM customers c LEFT JOIN l
		ON l.customer_id = c.id WHERE c.stability IN ('lost', 'swing', 'potential') GROUP BY 1, 2)
		ORDER BY t, k"
	# subjective: what we or the competitor do; objective: the customer's
	# circumstances; other: unclassified (domain.md "subjective and objective")
	q "$DB" "$LATEST SELECT 'reason_kind ' || t || ' ' || k || ' ' || n FROM (SELECT $TIERNAME AS t,
		CASE WHEN l.loss_reason IN ('price', 'service', 'competitor_offer') THEN 'subjective'
		WHEN l.loss_reason IN ('distance', 'vehicle_sold', 'business_closed') THEN 'objective'
		ELSE 'unclassified' END AS k,
		CASE WHEN l.loss_reason IN ('price', 'service', 'competitor_offer') THEN 0
		WHEN l.loss_reason IN ('distance', 'vehicle_sold', 'business_closed') THEN 1 ELSE 2 END AS o,
		count(*) AS n FROM customers c JOIN l ON l.customer_id = c.id
		WHERE c.stability IN ('lost', 'swing', 'potential') AND l.loss_reason IS NOT NULL
		GROUP BY 1, 2, 3) ORDER BY t, o"
	q "$DB" "SELECT 'satisfaction ' || count(*) || ' ' || coalesce(sum(rating), 0) || ' ' ||
		sum(rating = 1) || ' ' || sum(rating = 2) || ' ' || sum(rating = 3) || ' ' ||
		sum(rating = 4) || ' ' || sum(rating = 5) FROM feedback
		WHERE created_at >= '$FROM' AND created_at < '$TO'"
	VRMONTH="w.report_date BETWEEN '2026-06-01' AND '2026-06-30'"
	q "$DB" "SELECT 'visit_reports ' || count(*) || ' ' || coalesce(sum(quality), 0) || ' ' ||
		coalesce(sum(attitude), 0) || ' ' || coalesce(sum(renown), 0) FROM visit_reports w WHERE $VRMONTH"
	q "$DB" "SELECT 'visit_report ' || w.report_date || ' ' || c.code || ' ' || quality || ' ' ||
		attitude || ' ' || renown FROM visit_reports w JOIN customers c ON c.id = w.customer_id
		WHERE $VRMONTH ORDER BY w.report_date, c.code, w.id"
	q "$DB" "SELECT 'handler ' || coalesce(nullif(handler, ''), '-') || ' ' || count(*) || ' ' ||
		sum(status = 'closed' AND closed_at < $DEADLINE_END) || ' ' ||
		sum(status = 'closed' AND closed_at >= $DEADLINE_END) || ' ' ||
		sum(status = 'open' AND '$NOW' < $DEADLINE_END) || ' ' ||
		sum(status = 'open' AND '$NOW' >= $DEADLINE_END)
		FROM complaints WHERE received_at >= '$FROM' AND received_at < '$TO'
		GROUP BY coalesce(handler, '') ORDER BY coalesce(handler, '')"
	echo "competitors $(q "$DB" 'SELECT count(*) FROM customers WHERE competitor = 1')"
	q "$DB" "SELECT 'competitor ' || code || ' ' || coalesce(competitor_name, '-') || ' ' || stability
		FROM customers WHERE competitor = 1 ORDER BY code"
} >"$T/expected"

diff "$T/expected" "$T/actual" >"$T/diff" || { head -40 "$T/diff"; fail "report differs from the SQL counts"; }
# 2+1+1 callbacks to maintained customers (not the diamond's, not July's) and
# the swing customer's June visit report; 2 of them met (swing needs 3).
grep -q '^won_back 2$' "$T/actual" && grep -qE '^callbacks [0-9]+ [0-9]+ [0-9]+ [0-9]+$' "$T/actual" &&
	grep -q '^volume_ml_by_tier anonymous 20000$' "$T/actual" || fail "added rows not in the report"
# The added study: June's answers (not July's) of the lost customer, three
# ratings in June (5, 4, 2), two visit reports of June.
grep -qF "study lost $study_lost 2026-06-20T02:00:00Z competitor_offer|0.3 yuan/L off|中石油 5号线站|每升优惠0.3元, 免费洗车|offered the gold price for 3 months|王站长" "$T/actual" &&
	grep -q '^satisfaction 3 11 0 1 0 1 1$' "$T/actual" && grep -q '^visit_reports 2 ' "$T/actual" &&
	grep -q '^competitors 2$' "$T/actual" || fail "added study figures not in the report: $(grep -E '^(study|satisfaction|visit_reports|competitors)' "$T/actual")"
ok "$(wc -l <"$T/actual") figures equal the SQL: $(grep -E '^(customers|visits|callbacks|complaints received|won_back|lost|swing|potential) [0-9 ]+$' "$T/actual" | tr '\n' ';')"

# The text and CSV forms carry the same figures.
fc report monthly --month 2026-06 >"$T/text" || fail "text report"
rec=$(grep '^complaints received' "$T/actual" | cut -d' ' -f3)
grep -qE "^complaints: $rec received, " "$T/text" || fail "text complaints: $(grep complaints "$T/text")"
grep -qE "^  diamond +$(grep '^by_tier diamond' "$T/actual" | cut -d' ' -f3)$" "$T/text" || fail "text tiers"
grep -qF "satisfaction: 3 ratings, mean 3.67; 1: 0 2: 1 3: 0 4: 1 5: 1" "$T/text" || fail "text satisfaction: $(grep satisfaction "$T/text")"
grep -qF "loss_reason=competitor_offer loss_reason_text=0.3 yuan/L off current_channel=中石油 5号线站" "$T/text" ||
	fail "text study answers"
grep -qE '^reason_kind .* subjective [1-9]' "$T/actual" && grep -qE '^reason_kind .* objective [1-9]' "$T/actual" ||
	fail "no subjective and objective reasons in the report: $(grep '^reason' "$T/actual")"
python3 - "$T/text" "$T/r.json" <<'EOF' || fail "text reason kinds differ from the JSON"
import json, re, sys
r = json.load(open(sys.argv[2]))
text = {m.group(1): tuple(int(m.group(i)) for i in (2, 3, 4)) for m in
        re.finditer(r"^  (\S+) .*\(subjective (\d+), objective (\d+), unclassified (\d+)\)$",
                    open(sys.argv[1]).read(), re.M)}
want = {t: (k["subjective"], k["objective"], k["unclassified"]) for t, k in r["study_reasons"].items()
        if any(v for key, v in k.items())}
assert text == want, (text, want)
EOF
fc report monthly --month 2026-06 --format csv >"$T/csv" || fail "csv report"
[ "$(head -n 1 "$T/csv")" = "section,key,name,tier,stability,count,required,date,volume_ml,month_ml,loss_reason,loss_reason_text,current_channel,competitor_offer,measures,responsible,study_at,competitor" ] ||
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
STUDY = ("loss_reason", "loss_reason_text", "current_channel", "competitor_offer", "measures", "responsible")
for s, js in (("lost", "lost"), ("swing", "swing"), ("potential", "potential"), ("competitor", "competitors")):
    csv_study = {x["key"]: tuple(x[k] for k in STUDY) for x in rows if x["section"] == s}
    assert csv_study == {c["code"]: tuple((c["study"] or {}).get(k) or "" for k in STUDY) for c in r[js]}, s
KINDS = ("subjective", "objective", "unclassified")
reasons = {(x["tier"], x["key"]): int(x["count"]) for x in rows if x["section"] == "reason"}
assert reasons == {(t, k): v for t, ks in r["study_reasons"].items() for k, v in ks.items() if v and k not in KINDS}
kinds = {(x["tier"], x["key"]): int(x["count"]) for x in rows if x["section"] == "reason_kind"}
assert kinds == {(t, k): ks[k] for t, ks in r["study_reasons"].items() for k in KINDS if ks[k]}, kinds
for t, ks in r["study_reasons"].items():  # the kinds split the given reasons
    assert sum(ks[k] for k in KINDS) == sum(v for k, v in ks.items() if k not in KINDS and k != "none"), t
assert by("satisfaction") == {**{k: v for k, v in r["satisfaction"]["by_rating"].items()}, "total": r["satisfaction"]["count"]}
assert {x["key"]: int(x["required"]) for x in rows if x["section"] == "visit_score"} == r["visit_reports"]["sum"]
assert sum(1 for x in rows if x["section"] == "visit_report") == r["visit_reports"]["count"]
handlers = {(x["key"], x["name"]): int(x["count"]) for x in rows if x["section"] == "handler"}
assert handlers == {(h["handler"], k): h[k] for h in r["complaints_by_handler"]
                    for k in ("received", "closed_in_time", "closed_late", "open", "overdue")}
EOF
ok "text and CSV agree with the JSON"

# Default month is the current local month (July at FORECOURT_NOW).
fc report monthly --format json >"$T/july.json" || fail "July report"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["month"] == "2026-07"' "$T/july.json" ||
	fail "default month is not 2026-07"
# The current month's lists read the last visit's volume from the customer
# (last_visit_ml, written by the fuelling): the won-back fuellings left it,
# and every listed customer's last purchase and its volume equal the
# visits' (the latest here, when not older than the archive's or head
# office's date), in the JSON and in the text.
[ "$(q "$DB" "SELECT count(*) FROM customers WHERE last_visit_ml = 33500
	AND last_visit_at = '2026-06-30T06:30:00Z'")" = 2 ] || fail "the won-back fuellings did not note their volume"
q "$DB" "UPDATE customers SET chain_last_purchase_at = '2026-06-30T23:00:00Z' WHERE code IN
	(SELECT code FROM customers WHERE stability = 'swing' AND last_visit_at IS NOT NULL ORDER BY code LIMIT 3)"
fc report monthly --format json >"$T/july.json" || fail "July report"
fc report monthly >"$T/july.txt" || fail "July text report"
LATEST="(SELECT l.created_at || ' ' || l.volume_ml FROM visits l WHERE l.customer_id = c.id
	ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"
q "$DB" "SELECT c.code, coalesce($LATEST, ''), coalesce(c.last_visit_at, ''),
	coalesce(c.chain_last_purchase_at, '') FROM customers c ORDER BY c.code" >"$T/latest"
python3 - "$T/july.json" "$T/latest" "$T/july.txt" <<'EOF2' || fail "July's lists differ from the visits"
import json, sys
r = json.load(open(sys.argv[1]))
want = {}
for line in open(sys.argv[2]):
    code, visit, archive, chain = line.rstrip("\n").split("|")
    at, ml = visit.split(" ") if visit else ("", "0")
    last = max(at, archive, chain)
    want[code] = (last or None, int(ml) if at and at >= max(archive, chain) else 0)
rows = [(c["code"], c["last_purchase"], c["last_volume_ml"]) for s in ("lost", "swing", "potential")
        for c in r[s]]
assert len(rows) > 100, len(rows)
bad = [(c, a, m, want[c]) for c, a, m in rows if (a, m) != want[c]]
assert not bad, bad[:5]
assert any(m for _, _, m in rows) and any(not m and a for _, a, m in rows), "no volumes or no zeros"
text = [l.split() for l in open(sys.argv[3]) if l.startswith("  ") and " last " in l]
shown = [(f[0], None if f[3] == "never" else f[3], round(float(f[4]) * 1000)) for f in text]
assert shown == rows + [(c["code"], c["last_purchase"], c["last_volume_ml"]) for c in r["competitors"]], "text != json"
EOF2
ok "July (the current month): $(grep -cE '^  \S+ +\S+ +last ' "$T/july.txt") listed rows' last purchase and volume equal the visits, text and JSON alike"

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
