# tests/hq_lib.sh — head office in tests: a private PostgreSQL cluster in
# $T/pg (initdb + pg_ctl, Unix socket in that directory, no TCP port) and
# the real forecourt-hq, both as an unprivileged user (CI runs as root:
# Debian's `postgres` user through runuser).  Source after lib.sh.  Both are
# stopped at exit, even on failure.
HQ_BIN=${FORECOURT_HQ_BIN:-$(dirname "$FC")/forecourt-hq}
PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PG_BINDIR/initdb" ] || fail "no PostgreSQL server (initdb) under /usr/lib/postgresql: make deps"
PG_DIR=$T/pg
PG_SOCK=$T/pg # the socket lives in the cluster's directory
HQ_PIDS=()

# as_user CMD...: run CMD as the unprivileged user (postgres when root).
if [ "$(id -u)" = 0 ]; then
	HQ_USER=postgres
	as_user() { runuser -u "$HQ_USER" -- "$@"; }
else
	HQ_USER=$(id -un)
	as_user() { "$@"; }
fi

_hq_cleanup() {
	local p
	for p in "${HQ_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	[ -f "$PG_DIR/data/postmaster.pid" ] &&
		as_user "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
	_cleanup
}
trap _hq_cleanup EXIT

# pg_start: a new cluster with database 'forecourt', listening only on
# the Unix socket in $PG_SOCK.
pg_start() {
	chmod 755 "$T"
	mkdir -p "$PG_DIR" && chown "$HQ_USER" "$PG_DIR" 2>/dev/null
	as_user "$PG_BINDIR/initdb" -D "$PG_DIR/data" -A trust -U "$HQ_USER" -E UTF8 \
		--locale=C.UTF-8 >"$T/initdb.log" 2>&1 || fail "initdb: $(tail -5 "$T/initdb.log")"
	pg_run_ctl start
	as_user "$PG_BINDIR/createdb" -h "$PG_SOCK" -U "$HQ_USER" forecourt ||
		fail "createdb failed"
	HQ_CONNINFO="host=$PG_SOCK dbname=forecourt user=$HQ_USER"
}
pg_run_ctl() { # start | stop | restart
	as_user "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCK' -c fsync=on" \
		${2:+-m "$2"} "$1" >/dev/null || fail "pg_ctl $1: $(tail -5 "$PG_DIR/server.log")"
}
# psql_q SQL: one value (or rows, '|'-separated) from PostgreSQL.
psql_q() { as_user psql -h "$PG_SOCK" -U "$HQ_USER" -d forecourt -XAtq -c "$1"; }

# hq_conf PORT [extra ini lines...]: $T/hq.conf for forecourt-hq.
hq_conf() {
	local port=$1; shift
	{
		printf '[http]\nlisten = 127.0.0.1:%s\ntimeout_s = 10\n' "$port"
		printf '[database]\nconninfo = %s\n' "$HQ_CONNINFO"
		local l; for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/hq.conf"
	chmod 644 "$T/hq.conf"
}
# hq ARGS...: run forecourt-hq as the unprivileged user with $T/hq.conf.
hq() { as_user env ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$HQ_BIN" --config "$T/hq.conf" "$@"; }

# free_port: a TCP port free on loopback now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# hq_serve [CURL-ARGS...]: start `forecourt-hq serve` (log in $T/hq.log)
# and wait until /v1/health answers 200 (asked with CURL-ARGS when given,
# e.g. --cacert FILE https://127.0.0.1:PORT/v1/health).  HQ_PID is the
# forecourt-hq process itself, not the subshell or runuser above it (kill -9
# of those leaves it running): a shell writes its pid and execs it.
hq_serve() {
	local port
	port=$(sed -n 's/^listen = 127.0.0.1:\([0-9]*\)$/\1/p' "$T/hq.conf")
	rm -f "$PG_DIR/hq.pid"
	as_user sh -c 'echo $$ >"$1.new" && mv "$1.new" "$1" && shift && exec "$@"' hq_serve \
		"$PG_DIR/hq.pid" env ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$HQ_BIN" --config "$T/hq.conf" \
		serve >>"$T/hq.log" 2>&1 &
	wait_for 30 test -s "$PG_DIR/hq.pid" || fail "forecourt-hq serve did not start"
	HQ_PID=$(cat "$PG_DIR/hq.pid")
	HQ_PIDS+=("$HQ_PID")
	[ $# -gt 0 ] || set -- "http://127.0.0.1:$port/v1/health"
	wait_for 30 curl -sf -o /dev/null "$@" ||
		fail "forecourt-hq did not answer /v1/health: $(tail -5 "$T/hq.log")"
}
# _hq_gone PID: PID has ended; the exit trap no longer kills it (the number
# may be reused by then).
_hq_gone() {
	local p keep=()
	for p in "${HQ_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	HQ_PIDS=("${keep[@]}")
}
# hq_kill: kill -9 the forecourt-hq of hq_serve and wait until it is gone.
hq_kill() {
	kill -9 "$HQ_PID" 2>/dev/null
	wait_for 30 sh -c "! kill -0 $HQ_PID" || fail "forecourt-hq $HQ_PID survived kill -9"
	_hq_gone "$HQ_PID"
}
# hq_stop: SIGTERM to the forecourt-hq of hq_serve; wait until it is gone;
# fail if its log has a sanitizer report (a leak shows only at a clean exit).
hq_stop() {
	kill -TERM "$HQ_PID" 2>/dev/null
	wait_for 30 sh -c "! kill -0 $HQ_PID" || fail "forecourt-hq $HQ_PID did not stop on SIGTERM"
	_hq_gone "$HQ_PID"
	! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/hq.log" ||
		fail "forecourt-hq: $(grep -E -A12 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/hq.log" | head -40)"
}

# hq_records_match DB STATION [WHERE]: the station database DB's outbox rows
# (WHERE, default all) are head office's records of STATION, with the same
# id, seq and data, and none more or fewer; fails naming up to 5 that differ.
hq_records_match() {
	local db=$1 st=$2 where=${3:-1}
	q "$db" "SELECT id, seq, json_extract(payload, '\$.data') FROM outbox WHERE $where" |
		LC_ALL=C sort >"$T/st.rows"
	psql_q "SELECT id, seq, data FROM records WHERE station = '$st'" | LC_ALL=C sort >"$T/hq.rows"
	python3 - "$T/st.rows" "$T/hq.rows" <<-'PY' || fail "station $st: records differ at head office"
		import json, sys
		def load(p):
		    out = {}
		    for line in open(p, encoding="utf-8"):
		        i, seq, data = line.rstrip("\n").split("|", 2)
		        if i in out:
		            sys.exit("id %s twice in %s" % (i, p))
		        out[i] = (int(seq), json.loads(data))
		    return out
		st, hq = load(sys.argv[1]), load(sys.argv[2])
		bad = [i for i in st.keys() | hq.keys() if st.get(i) != hq.get(i)]
		for i in sorted(bad)[:5]:
		    print("differs:", i, st.get(i), hq.get(i), file=sys.stderr)
		sys.exit(1 if bad else 0)
	PY
}
