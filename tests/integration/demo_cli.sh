#!/usr/bin/env bash
# demo_cli.sh — `forecourt demo --build-only`: builds a complete demo
# database once (0600, WAL, same seed -> same rows), reuses it, refuses a
# database that is not a demo and bad arguments, and leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
export FORECOURT_NOW=2026-07-01T08:00:00Z
conf=$T/fc.conf
printf '[complaints]\nholidays_file = %s/config/holidays.conf\n' "$FORECOURT_SRC" >"$conf"
demo() { "$FC" --config "$conf" "$@"; }

demo --db "$T/a.db" demo --customers 300 --seed 5 --build-only >"$T/out" 2>&1 ||
	{ cat "$T/out"; fail "demo build failed"; }
grep -q "built $T/a.db" "$T/out" || fail "no 'built' line: $(cat "$T/out")"
grep -q "300 customers" "$T/out" || fail "summary lacks the customer count"
[ "$(q "$T/a.db" 'SELECT count(*) FROM customers')" = 300 ] || fail "not 300 customers"
[ "$(q "$T/a.db" "SELECT value FROM meta WHERE key = 'demo_complete'")" = 2026-07-01T00:00:00Z ] ||
	fail "demo_complete not recorded"
[ "$(q "$T/a.db" 'PRAGMA journal_mode')" = wal ] || fail "demo database not in WAL mode"
[ "$(stat -c %a "$T/a.db")" = 600 ] || fail "demo database mode $(stat -c %a "$T/a.db")"
[ "$(q "$T/a.db" 'SELECT count(*) FROM outbox')" = 0 ] || fail "demo rows were queued for upload"
[ ! -e "$T/a.db.building" ] || fail "the temporary file was left"
"$FC" --db "$T/a.db" db check | grep -q 'quick_check: ok' || fail "db check does not say ok"
ok "built: $(tail -n 1 "$T/out")"

# The demo's composite evaluation is classify's: `forecourt classify` right
# after the demo (on a copy) changes no composite score or class.
cp "$T/a.db" "$T/k.db"
classes() { q "$1" "SELECT group_concat(k || '=' || n, ' ') FROM (SELECT composite_class AS k, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1)"; }
before=$(classes "$T/k.db")
sqlite3 "$T/k.db" "CREATE TABLE snap AS SELECT id, composite_score AS s, composite_class AS k FROM customers" || fail "snapshot"
out=$(demo --db "$T/k.db" classify) || fail "classify after the demo: $out"
grep -qF "0 changed stability, 0 changed nature" <<<"$out" || fail "classify changed classes: $out"
counts=$(sed -n 's/.*composite A \([0-9]*\), B \([0-9]*\), C \([0-9]*\).*/A=\1 B=\2 C=\3/p' <<<"$out")
[ "$counts" = "$before" ] || fail "demo composite $before, classify says $counts"
changed=$(q "$T/k.db" "SELECT count(*) FROM customers c JOIN snap ON snap.id = c.id WHERE c.composite_score IS NOT snap.s OR c.composite_class IS NOT snap.k")
[ "$changed" = 0 ] || fail "classify changed $changed composite evaluations"
ok "classify right after the demo: composite $before unchanged (0 of 300 rows changed)"

# The demo's potential customers with a declared yearly demand (their tier
# evaluated from no litres) get the provisional tier of that demand.
declared=$(q "$T/k.db" "SELECT count(*) FROM customers WHERE stability = 'potential' AND yearly_litres IS NOT NULL AND tier_source = 'local'")
[ "$declared" -gt 0 ] || fail "the demo has no potential customer with a declared demand"
notprov=$(q "$T/k.db" "SELECT count(*) FROM customers WHERE stability = 'potential' AND yearly_litres IS NOT NULL AND tier_source = 'local' AND tier_provisional = 0")
[ "$notprov" = 0 ] || fail "$notprov of $declared declared potential customers kept a non-provisional tier"
wrong=$(q "$T/k.db" "SELECT count(*) FROM customers WHERE stability = 'potential' AND yearly_litres IS NOT NULL AND tier_source = 'local' AND tier <> CASE WHEN nature = 'big' THEN CASE WHEN yearly_litres / 2 >= 20000 THEN 'diamond' WHEN yearly_litres / 2 >= 8000 THEN 'gold' WHEN yearly_litres / 2 >= 2000 THEN 'silver' ELSE 'ordinary' END ELSE CASE WHEN yearly_litres / 2 >= 3000 THEN 'platinum' WHEN yearly_litres / 2 >= 1500 THEN 'gold' WHEN yearly_litres / 2 >= 600 THEN 'silver' ELSE 'ordinary' END END")
[ "$wrong" = 0 ] || fail "$wrong declared potential customers graded off the thresholds"
ok "classify after the demo: all $declared declared potential customers provisional, graded by half their yearly demand"

# Same seed and count, another file: the same rows.
demo --db "$T/b.db" demo --customers 300 --seed 5 --build-only >/dev/null 2>&1 || fail "second build"
dump() { sqlite3 "$1" 'SELECT * FROM customers ORDER BY id; SELECT * FROM cards ORDER BY card_id;
	SELECT * FROM visits ORDER BY id; SELECT * FROM complaints ORDER BY id;' | sha256sum; }
[ "$(dump "$T/a.db")" = "$(dump "$T/b.db")" ] || fail "same seed gave different databases"
demo --db "$T/c.db" demo --customers 300 --seed 6 --build-only >/dev/null 2>&1 || fail "third build"
[ "$(dump "$T/a.db")" != "$(dump "$T/c.db")" ] || fail "another seed gave the same database"
ok "same seed, same rows; another seed, other rows"

# An existing demo is reused, untouched.
before=$(dump "$T/a.db")
demo --db "$T/a.db" demo --customers 50 --build-only >"$T/out" 2>&1 || fail "reuse failed"
grep -q "using $T/a.db" "$T/out" || fail "no 'using' line: $(cat "$T/out")"
[ "$(dump "$T/a.db")" = "$before" ] || fail "the existing demo database changed"
ok "existing demo database reused"

# A database that is not a demo is refused and left alone.
"$FC" --db "$T/real.db" init >/dev/null || fail "init"
q "$T/real.db" "INSERT INTO meta VALUES ('marker', 'station data')"
if demo --db "$T/real.db" demo --build-only >"$T/out" 2>&1; then fail "a real database was taken"; fi
grep -q "is not a demo database" "$T/out" || fail "refusal does not say why: $(cat "$T/out")"
[ "$(q "$T/real.db" 'SELECT count(*) FROM customers')" = 0 ] || fail "customers added to it"
[ "$(q "$T/real.db" "SELECT value FROM meta WHERE key = 'marker'")" = "station data" ] ||
	fail "the real database changed"
printf 'not a database\n' >"$T/junk.db"
if demo --db "$T/junk.db" demo --build-only >"$T/out" 2>&1; then fail "a junk file was taken"; fi
grep -q "is not a demo database" "$T/out" || fail "junk refusal does not say why: $(cat "$T/out")"
[ "$(cat "$T/junk.db")" = "not a database" ] || fail "the junk file changed"
ok "non-demo database and junk file refused, untouched"

# Bad arguments: exit 2, the argument named, nothing created.
for args in "--customers 0" "--customers 12x" "--customers" "--seed -1" "--colour red"; do
	demo --db "$T/bad.db" demo $args --build-only >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "demo $args: exit $rc, not 2"
	grep -q "forecourt demo: " "$T/out" || fail "demo $args: no message"
	[ ! -e "$T/bad.db" ] || fail "demo $args created a database"
done
for opt in --db --config; do
	"$FC" $opt >"$T/out" 2>&1; rc=$?
	[ "$rc" = 2 ] && grep -qx "forecourt: $opt needs a FILE" "$T/out" ||
		fail "$opt without its FILE: exit $rc: $(head -1 "$T/out")"
done
ok "bad arguments refused with exit 2; --db and --config without a FILE say so"

# A missing holidays file is named with its config key; no database is made.
printf '[complaints]\nholidays_file = %s/nowhere.conf\n' "$T" >"$T/nohol.conf"
if "$FC" --config "$T/nohol.conf" --db "$T/nohol.db" demo --build-only >"$T/out" 2>&1; then
	fail "built without a holidays file"
fi
grep -q "nowhere.conf (\[complaints\] holidays_file" "$T/out" || fail "message: $(cat "$T/out")"
[ ! -e "$T/nohol.db" ] && [ ! -e "$T/nohol.db.building" ] || fail "a database was left"
ok "missing holidays file named"
