#!/usr/bin/env bash
# careless_hands.sh — issue 15, what a new user tries: `db backup` onto the
# live database (by name, symlink, -wal) or onto one another connection has
# open is refused and the data survives; evaluate-tiers refuses a half year
# that has not ended and asks --yes before changing many tiers; a price
# discount at or above the list price is refused naming the line; odd
# configs (station id, --config DIR, --config "", --db "", thresholds out
# of order, a grade twice, a station name not UTF-8) exit 2 with FILE:LINE;
# a read-only database serves lookups or names the file; an import file
# with a key twice names both lines, an NDJSON one may start with a BOM,
# and a line over 64 KiB is refused with its number.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-07-10T02:00:00Z   # 2026H1 has ended
printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
fc init >/dev/null || fail "init"
# expect RC PATTERN COMMAND...: COMMAND exits RC and says PATTERN (fixed text).
expect() {
	local rc=$1 pattern=$2 out got
	shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$rc" ] || fail "$*: exit $got, not $rc: $out"
	grep -qF -- "$pattern" <<<"$out" || fail "$*: no '$pattern' in: $out"
}
cat >"$T/c.csv" <<'CSV'
code,name,nature,industry
S0042-I-OT-000001,甲,individual,other
S0042-I-OT-000002,乙,individual,other
S0042-I-OT-000003,丙,individual,other
S0042-I-OT-000004,丁,individual,other
S0042-I-OT-000005,戊,individual,other
CSV
fc import customers "$T/c.csv" >/dev/null || fail "import customers"
printf 'card_id,customer_code,kind\n' >"$T/cards.csv"
for i in 1 2 3 4 5; do printf 'C000000%d,S0042-I-OT-00000%d,personal\n' "$i" "$i" >>"$T/cards.csv"; done
fc import cards "$T/cards.csv" >/dev/null || fail "import cards"

# --- 5. db backup never replaces the live database --------------------------------
fc visit --card C0000001 --grade 92# --litres 30 >/dev/null || fail "visit"
expect 2 "is the live database" fc db backup "$DB"
ln -s "$DB" "$T/link.db"
expect 2 "link.db is the live database" fc db backup "$T/link.db"
expect 2 "is the live database's" fc db backup "$DB-wal"
[ "$(q "$DB" "SELECT count(*) FROM visits")" = 1 ] || fail "the live database lost its visit"
# another program with a connection open on the target (its -shm beside it)
fc db backup "$T/other.db" >/dev/null || fail "a first backup"
mkfifo "$T/hold"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM meta").fetchall()
sys.stdin.read()' "$T/other.db" <"$T/hold" &
BG_PIDS+=($!)
exec 3>"$T/hold"
wait_for 30 test -e "$T/other.db-shm" || fail "the holder did not open other.db"
expect 2 "another SQLite connection has open" fc db backup "$T/other.db"
exec 3>&-
wait "${BG_PIDS[-1]}"
out=$(fc db backup "$T/other.db") || fail "backup once the other connection closed: $out"
[ "$(q "$T/other.db" "SELECT count(*) FROM visits")" = 1 ] || fail "backup content"
ok "db backup refuses the live database (name, symlink, -wal) and an open target"

# --- 6. evaluate-tiers: a half year that has not ended; --yes for many changes ---
for i in 1 2 3; do
	FORECOURT_NOW=2026-03-0${i}T02:00:00Z fc visit --card C000000$i --grade 92# --litres 2000 >/dev/null ||
		fail "visit $i"
done
expect 2 "period 2099H1 has not ended yet (it ends 2099-07-01 00:00)" fc evaluate-tiers --period 2099H1
expect 2 "period 2026H2 has not ended yet" fc evaluate-tiers --period 2026H2
[ "$(q "$DB" "SELECT count(*) FROM tier_history")" = 0 ] || fail "an unfinished half year wrote tiers"
fc evaluate-tiers --period 2099H1 --dry-run >/dev/null || fail "a dry run of a running half year"
# 3 of 5 customers would go gold individual: 60 % > [tiers] confirm_percent 20 %
expect 2 "this would change the tier of 3 of 5 customers (60%), more than [tiers] confirm_percent (20%)" \
	fc evaluate-tiers --period 2026H1
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'tier_changed'")" = 0 ] || fail "written without --yes"
out=$(fc evaluate-tiers --period 2026H1 --yes) || fail "--yes: $out"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'tier_changed'")" = 3 ] || fail "--yes did not write"
printf '[station]\nid = S0042\n[tiers]\nconfirm_percent = 100\n' >"$T/all.conf"
"$FC" --config "$T/all.conf" --db "$DB" evaluate-tiers --period 2026H1 >/dev/null ||
	fail "confirm_percent = 100 still asks"
ok "evaluate-tiers: 2099H1 refused like a future month; 60 % of changes asks for --yes"

# --- 7. a discount at or above the list price ([fuel] price_fen) -------------------
printf 'grade,tier,nature,discount_fen_per_litre\n92#,gold,individual,50\n95#,gold,individual,900\n' >"$T/prices.csv"
expect 2 "prices.csv:3: column 'discount_fen_per_litre': 900 fen is not below the list price of 95# (812 fen per litre" \
	fc import prices "$T/prices.csv"
[ "$(q "$DB" "SELECT count(*) FROM prices")" = 0 ] || fail "a refused price file stored prices"
ok "a discount above the list price refused with its line"

# --- 9. configs: FILE:LINE and exit 2 ----------------------------------------------
conf() { printf "$1" >"$T/bad.conf"; }
for id in '' '-S1' 'S 1' 'S0001-TOO-LONG-ID'; do
	conf "[station]\nname = 站\nid = $id\n"
	expect 2 "bad.conf:3: bad value for 'id' in [station]" "$FC" --config "$T/bad.conf" --db "$DB" db check
done
conf '[tiers]\nbig_gold = 8000\nbig_diamond = 5000\n'
expect 2 "bad.conf:3: 'big_diamond' in [tiers]: big_diamond (5000 litres) must be above big_gold (8000 litres)" \
	"$FC" --config "$T/bad.conf" --db "$DB" db check
conf '[fuel]\ngrades = 92#, 95#, 92#\n'
expect 2 "bad.conf:2: bad value for 'grades' in [fuel]" "$FC" --config "$T/bad.conf" --db "$DB" db check
conf '[station]\nname = \xd5\xbe\xb5\xe3\n'
expect 2 "bad.conf:2: bad value for 'name' in [station]" "$FC" --config "$T/bad.conf" --db "$DB" db check
expect 2 "a directory, not a config file" "$FC" --config "$T" --db "$DB" db check
expect 2 '--config "": give the config FILE' "$FC" --config "" --db "$DB" db check
expect 2 '--db "": give the database FILE' "$FC" --config "$T/fc.conf" --db "" db check
ok "odd station ids, thresholds out of order, a grade twice, a GBK name, --config DIR/\"\", --db \"\": exit 2"

# --- 11. import files: a key twice, a BOM in NDJSON, a line over 64 KiB -----------
printf 'code,name,nature,industry\nS0042-I-OT-000009,己,individual,other\nS0042-I-OT-000008,庚,individual,other\nS0042-I-OT-000009,辛,individual,other\n' >"$T/twice.csv"
expect 2 "twice.csv:4: code 'S0042-I-OT-000009' is given twice, on line 2 and here" \
	fc import customers "$T/twice.csv"
[ "$(q "$DB" "SELECT count(*) FROM customers")" = 5 ] || fail "a file with a key twice stored rows"
printf '\xef\xbb\xbf{"date":"2026-10-01","kind":"holiday","name":"国庆节"}\n' >"$T/h.ndjson"
out=$(fc import holidays "$T/h.ndjson") || fail "an NDJSON file with a BOM: $out"
[ "$(q "$DB" "SELECT name FROM holidays WHERE date = '2026-10-01'")" = 国庆节 ] || fail "BOM row not stored"
python3 -c 'import sys
print("code,name,nature,industry")
print("S0042-I-OT-000010,壬,individual,other")
print("S0042-I-OT-000011," + "长" * 30000 + ",individual,other")' >"$T/long.csv"
expect 2 "long.csv:3: line longer than 65536 bytes" fc import customers "$T/long.csv"
ok "a key twice names both lines; an NDJSON BOM is fine; a line over 64 KiB is named"

# --- 10. a read-only database: reads work while a program that may write has it
# open (its -shm exists), else the file is named --------------------------------
if [ "$(id -u)" = 0 ]; then
	ro() { runuser -u nobody -- "$FC" --config "$T/ro.conf" --db "$T/ro/fc.db" "$@"; }
else
	ro() { "$FC" --config "$T/ro.conf" --db "$T/ro/fc.db" "$@"; }
fi
printf '[station]\nid = S0042\n' >"$T/ro.conf"
mkdir "$T/ro" && cp "$DB" "$T/ro/fc.db" && rm -f "$T/ro/fc.db-wal" "$T/ro/fc.db-shm"
chmod 0755 "$T" "$T/ro" && chmod 0644 "$T/ro/fc.db" "$T/ro.conf"
[ "$(id -u)" = 0 ] || chmod 0555 "$T/ro"
expect 1 "$T/ro/fc.db: this user may only read the database" ro db check
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM meta").fetchall()
sys.stdin.read()' "$T/ro/fc.db" <"$T/hold" &
BG_PIDS+=($!)
exec 3>"$T/hold"
wait_for 30 test -e "$T/ro/fc.db-shm" || fail "the holder did not open ro/fc.db"
chmod 0644 "$T/ro/fc.db-shm" "$T/ro/fc.db-wal"
out=$(ro db check) || fail "db check read-only: $out"
grep -qF "quick_check: ok" <<<"$out" || fail "db check read-only: $out"
out=$(ro outbox status) || fail "outbox status read-only: $out"
grep -qF "pending:" <<<"$out" || fail "outbox status read-only: $out"
out=$(ro lookup C0000002) || fail "lookup read-only: $out"
grep -qF "customer    S0042-I-OT-000002" <<<"$out" || fail "lookup read-only: $out"
expect 1 "$T/ro/fc.db: saving the visit: the database is read-only for this user" \
	ro visit --card C0000002 --grade 92# --litres 10
exec 3>&-
wait "${BG_PIDS[-1]}"
ok "read-only database: lookup, db check, outbox status work beside a writer; a write names the file"
