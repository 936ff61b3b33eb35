#!/usr/bin/env bash
# outbox_never.sh — `forecourt outbox status` before any upload says "never
# tried", not "online" (issue 18); after a failed try it says offline since
# when, after a success online; without [upload] url "upload off".
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT"
fill 3
fc outbox status >"$T/st.txt" || fail "status"
grep -q "^state: *never tried (no upload yet)$" "$T/st.txt" || fail "before any upload: $(cat "$T/st.txt")"
grep -q "online" "$T/st.txt" && fail "'online' before any upload: $(cat "$T/st.txt")"
fc outbox status --json >"$T/st.json" || fail "status --json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert not s["tried"] and not s["online"], s' \
	"$T/st.json" || fail "json before any upload: $(cat "$T/st.json")"
ok "before any upload: '$(grep '^state' "$T/st.txt")', json tried/online false"

rx_ctl "mode=down"
fc sync --once 2>/dev/null && fail "sync succeeded with head office down"
fc outbox status >"$T/st.txt"
grep -q "^state: *offline since 20" "$T/st.txt" || fail "after a failed try: $(cat "$T/st.txt")"
ok "after a failed try: '$(grep '^state' "$T/st.txt")'"

rx_ctl "mode=ok"
fc sync --once >/dev/null 2>&1 || fail "sync with head office up"
fc outbox status >"$T/st.txt"
grep -q "^state: *online$" "$T/st.txt" || fail "after a success: $(cat "$T/st.txt")"
fc outbox status --json | python3 -c 'import json,sys; s=json.load(sys.stdin); assert s["tried"] and s["online"], s' ||
	fail "json after a success"
ok "after a success: '$(grep '^state' "$T/st.txt")'"

sed -i 's#^url = .*#url =#' "$T/fc.conf"
fc outbox status >"$T/st.txt"
grep -q "^state: *upload off" "$T/st.txt" || fail "without a url: $(cat "$T/st.txt")"
ok "without [upload] url: '$(grep '^state' "$T/st.txt")'"
