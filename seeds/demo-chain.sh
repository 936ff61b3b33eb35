#!/usr/bin/env bash
# seeds/demo-chain.sh — `make demo-chain`: head office and two stations on
# one machine, for a newcomer.  Starts a private PostgreSQL cluster in a
# temporary directory (Unix socket only, as the unprivileged `postgres`
# user when run as root), forecourt-hq on loopback with the demo archive
# imported, and two kiosks (stations S0001 and S0002, simulated readers) in
# the tmux session "forecourt-chain" (window 1: S0001, window 2: S0002,
# Ctrl-b n / Ctrl-b p to switch).  The kiosks pull master data every 10 s:
# a card swiped at one station shows the new balance and last visit at the
# other a few seconds later.  Everything stops when the tmux session ends.
# Usage: seeds/demo-chain.sh BUILD_DIR
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
export FORECOURT_BIN="$BUILD/forecourt" FORECOURT_HQ_BIN="$BUILD/forecourt-hq"
export FORECOURT_LOCALEDIR="$BUILD/locale"
. "$SRC/tests/lib.sh"
. "$SRC/tests/hq_lib.sh"
SESSION=forecourt-chain
# DEMO_CHAIN_TMUX: a tmux server of its own (-L NAME), for tests
TM=(tmux ${DEMO_CHAIN_TMUX:+-L "$DEMO_CHAIN_TMUX"})
say() { echo "demo-chain: $*"; }

"${TM[@]}" has-session -t "$SESSION" 2>/dev/null &&
	fail "a tmux session '$SESSION' is running already: tmux attach -t $SESSION (or kill it)"
DEMO_DB=${DEMO_CHAIN_DB:-$BUILD/demo.db}
if [ ! -f "$DEMO_DB" ]; then
	say "building the demo database (10 000 customers) ..."
	"$FC" --config "$SRC/config/forecourt.conf.example" --db "$DEMO_DB" demo --customers "${DEMO_CHAIN_CUSTOMERS:-10000}" --build-only ||
		fail "could not build the demo database"
fi

say "files in $T; private PostgreSQL in $PG_DIR ..."
pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "forecourt-hq init"

say "head office's archive: the demo customers, cards, blocked cards, prices, holidays"
mkdir -p "$T/files" && chmod 755 "$T/files"
sqlite3 -csv -header "$DEMO_DB" "SELECT code, name, nature, industry, tier, points_synced AS points,
	phone, plate FROM customers ORDER BY id" >"$T/files/customers.csv"
sqlite3 -csv -header "$DEMO_DB" "SELECT c.card_id, u.code AS customer_code, c.kind, c.status
	FROM cards c JOIN customers u ON u.id = c.customer_id" >"$T/files/cards.csv"
sqlite3 -csv -header "$DEMO_DB" "SELECT card_id, blocked_reason AS reason FROM cards
	WHERE status = 'blocked'" >"$T/files/blocked.csv"
sqlite3 -csv -header "$DEMO_DB" "SELECT grade, tier, nature, discount_fen_per_litre FROM prices" \
	>"$T/files/prices.csv"
sqlite3 -csv -header "$DEMO_DB" "SELECT date, kind, name FROM holidays" \
	>"$T/files/holidays.csv"
chmod 644 "$T/files"/*.csv
for kind in customers cards blocked prices holidays; do
	hq import "$kind" "$T/files/$kind.csv" >"$T/import-$kind.log" 2>&1 ||
		fail "forecourt-hq import $kind: $(tail -3 "$T/import-$kind.log")"
done

say "starting forecourt-hq on 127.0.0.1:$PORT"
hq_serve
for st in S0001 S0002; do
	hq station add "$st" "演示站 $st" >/dev/null || fail "station add $st"
	hq station token "$st" 2>/dev/null >"$T/$st.token" || fail "station token $st"
	chmod 600 "$T/$st.token"
	cp "$DEMO_DB" "$T/$st.db"
	sed -e "s/^id = S0001 /id = $st /" -e "s#^url = .*#url = http://127.0.0.1:$PORT#" \
		-e "s#^token_file = .*#token_file = $T/$st.token#" \
		-e "s#^master_interval_s = .*#master_interval_s = 10#" \
		-e "s#^port = .*#port = sim#" "$SRC/config/forecourt.conf.example" >"$T/$st.conf"
	grep -q "^id = $st " "$T/$st.conf" || fail "could not set the station id in $T/$st.conf"
	# the station starts with head office's view of the chain
	"$FC" --config "$T/$st.conf" --db "$T/$st.db" sync --once >"$T/$st.sync" 2>&1 ||
		fail "first sync of $st: $(tail -3 "$T/$st.sync")"
done

say "two kiosks in tmux session '$SESSION': F2 swipes a demo card; Ctrl-b n switches station"
"${TM[@]}" new-session -d -s "$SESSION" -n S0001 -x 80 -y 24 \
	"$FC --config '$T/S0001.conf' --db '$T/S0001.db'" || fail "tmux"
"${TM[@]}" new-window -t "$SESSION" -n S0002 "$FC --config '$T/S0002.conf' --db '$T/S0002.db'"
"${TM[@]}" select-window -t "$SESSION:S0001"
if [ -t 0 ] && [ -z "${DEMO_CHAIN_DETACHED:-}" ]; then
	"${TM[@]}" attach -t "$SESSION"
else
	# no terminal (a test): wait until the session ends
	say "detached: tmux attach -t $SESSION (the demo stops when both kiosks quit)"
	while "${TM[@]}" has-session -t "$SESSION" 2>/dev/null; do sleep 1; done
fi
"${TM[@]}" kill-session -t "$SESSION" 2>/dev/null
say "stopped; head office's figures were:"
hq stats | head -12
