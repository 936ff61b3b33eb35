#!/usr/bin/env bash
# report_history.sh — a past month's analysis shows the classes as they were
# at its end, from the class history (schema migration 8), not today's: the
# demo built on 07-01, then `classify` and `evaluate-tiers` on 08-20 change
# stabilities and tiers and a customer is registered in August; July's JSON
# counts equal the classes saved before the changes and an independent
# sqlite3 reading of class_history, August's the stored ones, and they differ.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-07-01T08:00:00Z
printf '[complaints]\nholidays_file = %s/config/holidays.conf\n[auth]\npepper_file = %s/pepper\n' \
	"$FORECOURT_SRC" "$T" >"$T/fc.conf"
DB=$T/d.db
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc demo --customers 300 --seed 5 --build-only >"$T/out" 2>&1 || { cat "$T/out"; fail "demo build"; }
[ "$(q "$DB" 'SELECT count(DISTINCT customer_id) FROM class_history')" = 300 ] ||
	fail "the demo's customers have no first class rows"

# The classes at the end of July, saved before they change.
CLASSES="nature || ' ' || tier || ' ' || stability || ' ' || coalesce(composite_class, 'none')"
q "$DB" "SELECT code || ' ' || $CLASSES FROM customers ORDER BY code" >"$T/july"

# 08-20 (local 10:00): the daily classification, then head office's tiers
# (three gold big customers made diamond).
FORECOURT_NOW=2026-08-20T02:00:00Z fc classify >"$T/out" 2>&1 || { cat "$T/out"; fail "classify"; }
{ echo "customer_code,tier,period"
  q "$DB" "SELECT code || ',diamond,2026H1' FROM customers WHERE nature = 'big' AND tier = 'gold' ORDER BY code LIMIT 3"
} >"$T/tiers.csv"
FORECOURT_NOW=2026-08-20T02:10:00Z fc import tiers "$T/tiers.csv" >"$T/out" 2>&1 ||
	{ cat "$T/out"; fail "import tiers"; }
q "$DB" "INSERT INTO customers(code, name, nature, created_at, updated_at)
	VALUES ('S0001-I-OT-900001', '八月新客', 'individual', '2026-08-10T02:00:00Z', '2026-08-10T02:00:00Z')"
q "$DB" "SELECT code || ' ' || $CLASSES FROM customers WHERE created_at < '2026-07-31T16:00:00Z' ORDER BY code" >"$T/now"
changed=$(diff "$T/july" "$T/now" | grep -c '^>')
stab=$(q "$DB" "SELECT count(*) FROM class_history WHERE changed_at = '2026-08-20T02:00:00Z'")
tiers=$(q "$DB" "SELECT count(*) FROM class_history WHERE changed_at = '2026-08-20T02:10:00Z'")
[ "$changed" -gt 0 ] && [ "$stab" -gt 0 ] && [ "$tiers" -gt 0 ] ||
	fail "nothing changed on 08-20 ($changed customers, $stab stability and $tiers tier rows)"
ok "08-20 changed the classes of $changed customers: $stab class rows dated by classify, $tiers by the tier import"

export FORECOURT_NOW=2026-08-21T02:00:00Z
fc report monthly --month 2026-07 --format json >"$T/july.json" 2>"$T/err" || fail "July: $(cat "$T/err")"
fc report monthly --month 2026-08 --format json >"$T/aug.json" 2>"$T/err" || fail "August: $(cat "$T/err")"

# counts "section key n" of a JSON report, and of a "code nature tier stability class" file
summary() {
	python3 - "$@" <<'PY'
import collections, json, sys
if sys.argv[1].endswith(".json"):
    r = json.load(open(sys.argv[1]))
    print(f"customers {r['customers']} {r['classes_from']}")
    for sec in ("by_tier", "by_stability", "by_nature", "by_composite"):
        for k, v in sorted(r[sec].items()):
            if v:
                print(sec, k, v)
    for sec in ("lost", "swing", "potential"):
        print(sec, " ".join(sorted(c["code"] for c in r[sec])))
    print("maintained", r["callbacks"]["maintained"])
    sys.exit(0)
rows = [l.split() for l in open(sys.argv[1])]
tiername = lambda n, t: t if t in ("diamond", "platinum") else f"{t}-{n}"
print(f"customers {len(rows)} {sys.argv[2]}")
for sec, key in (("by_tier", lambda r: tiername(r[1], r[2])), ("by_stability", lambda r: r[3]),
                 ("by_nature", lambda r: r[1]), ("by_composite", lambda r: r[4])):
    for k, v in sorted(collections.Counter(key(r) for r in rows).items()):
        print(sec, k, v)
for sec in ("lost", "swing", "potential"):
    print(sec, " ".join(sorted(r[0] for r in rows if r[3] == sec)))
keep = lambda r: (r[1] == "big" and r[2] == "ordinary") or (r[1] == "individual" and r[2] in ("silver", "ordinary"))
print("maintained", sum(1 for r in rows if keep(r)))
PY
}
summary "$T/july.json" >"$T/july.actual" || fail "reading July's JSON"
summary "$T/july" history >"$T/july.expected"
diff "$T/july.expected" "$T/july.actual" >"$T/diff" || { head -20 "$T/diff"; fail "July's classes are not those of July's end"; }
ok "July (a past month): $(grep -c . "$T/july.actual") figures equal the classes saved before 08-20"

# The same from class_history alone, by sqlite3: each customer's latest row
# before 08-01 local (07-31T16:00Z), customers created before it.
q "$DB" "SELECT c.code || ' ' || h.nature || ' ' || h.tier || ' ' || h.stability || ' ' ||
	coalesce(h.composite_class, 'none') FROM customers c JOIN class_history h ON h.id =
	(SELECT x.id FROM class_history x WHERE x.customer_id = c.id AND x.changed_at < '2026-07-31T16:00:00Z'
	ORDER BY x.changed_at DESC, x.id DESC LIMIT 1) WHERE c.created_at < '2026-07-31T16:00:00Z'
	ORDER BY c.code" >"$T/hist"
summary "$T/hist" history >"$T/hist.expected"
diff "$T/hist.expected" "$T/july.actual" >"$T/diff" || { head -20 "$T/diff"; fail "July differs from class_history"; }
ok "July equals an independent reading of class_history"

# August (the current month): the stored classes, the new customer counted.
q "$DB" "SELECT code || ' ' || $CLASSES FROM customers ORDER BY code" >"$T/aug"
summary "$T/aug" stored >"$T/aug.expected"
summary "$T/aug.json" >"$T/aug.actual"
diff "$T/aug.expected" "$T/aug.actual" >"$T/diff" || { head -20 "$T/diff"; fail "August is not the stored classes"; }
! diff -q <(grep '^by_stability' "$T/july.actual") <(grep '^by_stability' "$T/aug.actual") >/dev/null ||
	fail "July's and August's stabilities do not differ"
grep -q '^customers 300 history$' "$T/july.actual" && grep -q '^customers 301 stored$' "$T/aug.actual" ||
	fail "customers: $(grep '^customers' "$T/july.actual" "$T/aug.actual")"
ok "August shows today's classes: $(grep '^by_stability' "$T/aug.actual" | tr '\n' ';') July: $(grep '^by_stability' "$T/july.actual" | tr '\n' ';')"

# June ended before the class history began (the demo's database was made
# on 07-01, migration 10 with it: meta class_history_since): no classes are
# known for it, so it shows today's, saying so, not today's labelled history.
[ "$(q "$DB" "SELECT value FROM meta WHERE key = 'class_history_since'")" = 2026-07-01T08:00:00Z ] ||
	fail "class_history_since: $(q "$DB" "SELECT value FROM meta WHERE key = 'class_history_since'")"
fc report monthly --month 2026-06 --format json >"$T/june.json" 2>"$T/err" || fail "June: $(cat "$T/err")"
python3 - "$T/june.json" <<'PY' || fail "June's JSON does not say today's classes: $(head -c 300 "$T/june.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["classes_from"] == "today", r["classes_from"]
assert r["class_history_since"] == "2026-07-01T08:00:00Z", r["class_history_since"]
assert r["classes_at"] == "2026-08-21T02:00:00Z", r["classes_at"]
PY
q "$DB" "SELECT code || ' ' || $CLASSES FROM customers WHERE created_at < '2026-06-30T16:00:00Z' ORDER BY code" >"$T/june"
summary "$T/june" today >"$T/june.expected"
summary "$T/june.json" >"$T/june.actual"
diff "$T/june.expected" "$T/june.actual" >"$T/diff" || { head -20 "$T/diff"; fail "June is not today's classes"; }
fc report monthly --month 2026-05 >"$T/may.txt" 2>"$T/err" || fail "May: $(cat "$T/err")"
grep -qF "classes as of today: no history before 2026-07-01" "$T/may.txt" ||
	fail "May's text does not say so: $(sed -n 2p "$T/may.txt")"
grep -qF "as they were at the month's end" "$T/may.txt" && fail "May's text claims the month's end"
ok "June and May (before the history began on 2026-07-01): today's classes, classes_from today, the text says so"

# One customer lost since: in August's lost list, not in July's.
who=$(python3 - "$T/july" "$T/now" <<'PY'
import sys
july = {l.split()[0]: l.split()[3] for l in open(sys.argv[1])}
now = {l.split()[0]: l.split()[3] for l in open(sys.argv[2])}
print(next(c for c in sorted(now) if now[c] == "lost" and july.get(c) == "current"))
PY
) || fail "no customer went from current to lost"
python3 - "$T/july.json" "$T/aug.json" "$who" <<'PY' || fail "$who is not lost in August only"
import json, sys
july, aug = (json.load(open(f)) for f in sys.argv[1:3])
assert sys.argv[3] not in {c["code"] for c in july["lost"]}
assert sys.argv[3] in {c["code"] for c in aug["lost"]}
PY
ok "$who: current at July's end, lost in August's list"
