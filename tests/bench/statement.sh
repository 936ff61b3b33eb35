#!/usr/bin/env bash
# statement.sh FC BIGDB — the fuel ledger figure (issue 16): `forecourt
# statement` of the 13-card fleet with the most fuellings in one month of the
# big database, 21 runs, against the sqlite3 shell running the ledger's query
# (the same rows through visits_customer) as often.  Prints one JSON line (ms).
set -eu
FC=$1 BIG=$2
pick=$(sqlite3 "$BIG" "WITH f AS (SELECT customer_id FROM cards GROUP BY customer_id
	HAVING count(*) = 13 LIMIT 500)
	SELECT c.code || ' ' || c.id || ' ' || substr(v.created_at, 1, 7) FROM f
	JOIN visits v ON v.customer_id = f.customer_id JOIN customers c ON c.id = f.customer_id
	GROUP BY f.customer_id, substr(v.created_at, 1, 7) ORDER BY count(*) DESC LIMIT 1")
[ -n "$pick" ] || { echo "statement: no 13-card fleet in $BIG" >&2; exit 1; }
read -r code id month <<<"$pick"
# UTC bounds are near enough for the floor: the same index, the same rows
next=$(date -u -d "$month-01 +1 month" +%Y-%m)
query="SELECT created_at, card_id, grade, volume_ml, amount_fen, discount_fen, points_earned
	FROM visits WHERE customer_id = $id AND created_at >= '$month-01' AND created_at < '$next-01'
	ORDER BY created_at, id"
ours=() floor=()
for _ in $(seq 21); do
	t0=$(date +%s%N)
	"$FC" --db "$BIG" statement "$code" --month "$month" >/dev/null
	t1=$(date +%s%N)
	sqlite3 "$BIG" "$query" >/dev/null
	t2=$(date +%s%N)
	ours+=($(((t1 - t0) / 1000))) floor+=($(((t2 - t1) / 1000)))
done
rows=$("$FC" --db "$BIG" statement "$code" --month "$month" --format json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["fuellings"])')
python3 -c "
import json, statistics
o = sorted([${ours[*]/%/,}]); f = sorted([${floor[*]/%/,}])
print(json.dumps({'name': 'statement', 'unit': 'ms', 'median': statistics.median(o) / 1000,
  'p99': o[-1] / 1000, 'worst': o[-1] / 1000, 'floor': statistics.median(f) / 1000,
  'n': len(o), 'fuellings': $rows, 'customer': '$code', 'month': '$month'}))"
