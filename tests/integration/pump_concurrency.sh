#!/usr/bin/env bash
# pump_concurrency.sh — several kiosks on one station database: 8 concurrent
# streams of `forecourt visit` processes (PUMP_VISITS each, default 30: they
# contend from the first one; more for a soak) while another process keeps
# reading the outbox and marking rows sent in BEGIN IMMEDIATE transactions.
# Every visit commits, none sees "database is locked".
. "$(dirname "$0")/../lib.sh"

WRITERS=8
VISITS=${PUMP_VISITS:-30}
export TZ=CST-8
printf '[station]\nid = S0042\n' >"$T/fc.conf"
DB=$T/fc.db
"$FC" --config "$T/fc.conf" --db "$DB" init >/dev/null || fail "init"
# Two writers share each card, so they also contend for the same customer row.
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4)
	INSERT INTO customers(id, code, name, nature, tier, stability, created_at, updated_at)
	SELECT i, 'C00' || i, 'customer ' || i, 'big', 'gold', 'current', 'x', 'x' FROM n;
	INSERT INTO cards(card_id, customer_id, kind, updated_at)
	SELECT 'CA' || printf('%06d', id), id, 'unit', 'x' FROM customers;" || fail "fixture"

# The uploader's part: read the backlog, mark a batch sent, until told to stop.
marker() {
	local rounds=0 errors=0
	while [ ! -e "$T/stop" ]; do
		if ! sqlite3 -batch "$DB" >/dev/null 2>>"$T/marker.err" <<-'SQL'
			.timeout 10000
			SELECT count(*) FROM outbox WHERE state = 'pending';
			BEGIN IMMEDIATE;
			UPDATE outbox SET state = 'sent', sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
			 WHERE seq IN (SELECT seq FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 50);
			COMMIT;
		SQL
		then
			errors=$((errors + 1))
		fi
		rounds=$((rounds + 1))
	done
	echo "$rounds $errors" >"$T/marker.out"
}

writer() { # number
	local n=$1 card i failed=0
	card=CA$(printf '%06d' $(( (n % 4) + 1 )))
	for ((i = 1; i <= VISITS; i++)); do
		"$FC" --config "$T/fc.conf" --db "$DB" visit --card "$card" --grade 92# \
			--litres "$n.$i" --pump "$n" >/dev/null 2>>"$T/writer$n.err" || failed=$((failed + 1))
	done
	echo "$failed" >"$T/writer$n.out"
}

start=$(date +%s%3N)
marker &
marker_pid=$!
pids=()
for ((w = 1; w <= WRITERS; w++)); do
	writer "$w" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
elapsed=$(( $(date +%s%3N) - start ))
touch "$T/stop"
wait "$marker_pid"

total=$((WRITERS * VISITS))
for ((w = 1; w <= WRITERS; w++)); do
	[ "$(cat "$T/writer$w.out")" = 0 ] || fail "writer $w: $(cat "$T/writer$w.out") visits failed: $(head -3 "$T/writer$w.err")"
done
if grep -qiE "locked|busy" "$T"/writer*.err "$T/marker.err"; then
	fail "a busy error was shown: $(grep -hiE 'locked|busy' "$T"/writer*.err "$T/marker.err" | head -3)"
fi
read -r rounds marker_errors <"$T/marker.out"
[ "$marker_errors" = 0 ] || fail "the outbox marker failed $marker_errors times: $(head -3 "$T/marker.err")"
[ "$rounds" -gt 1 ] || fail "the outbox marker never ran alongside the writers"
[ "$(q "$DB" 'SELECT count(*) FROM visits')" = "$total" ] || fail "visits: $(q "$DB" 'SELECT count(*) FROM visits') of $total"
[ "$(q "$DB" "SELECT count(*) FROM visits v JOIN points_ledger l ON l.record_id = v.id JOIN outbox o ON o.id = v.id")" = "$total" ] ||
	fail "visit, ledger and outbox rows do not match"
[ "$(q "$DB" 'SELECT count(*) = max(seq) - min(seq) + 1 FROM outbox')" = 1 ] || fail "outbox seq has gaps"
[ "$(q "$DB" 'SELECT count(*) FROM audit')" = "$total" ] || fail "audit rows"
# Each customer's balance is the sum of its visits' points.
[ "$(q "$DB" "SELECT count(*) FROM customers c WHERE c.points_synced + (SELECT sum(delta) FROM points_ledger WHERE customer_id = c.id) = (SELECT sum(points_earned) FROM visits WHERE customer_id = c.id)")" = 4 ] ||
	fail "points balances do not add up"
sent=$(q "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")
echo "# $total visits by $WRITERS concurrent writers in ${elapsed} ms ($((total * 1000 / (elapsed > 0 ? elapsed : 1))) visits/s); marker: $rounds rounds, $sent marked sent while writing"
ok "all $total visits committed, no busy error, outbox marked concurrently"
