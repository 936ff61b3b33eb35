#!/usr/bin/env bash
# install.sh — `make install DESTDIR=... PREFIX=/usr` puts the binaries, the
# man pages forecourt(1) and forecourt-hq(1), the example configs and the
# units under DESTDIR/usr; the installed pieces work and agree; `make
# uninstall` takes them away.
. "$(dirname "$0")/../lib.sh"
cd "$FORECOURT_SRC" || fail "no source tree"
X=$T/x
# -o all: install what the test run already built, never rebuild it here.
make --no-print-directory -s -o all install DESTDIR="$X" PREFIX=/usr BUILD="$FORECOURT_BUILD" \
	>"$T/install.log" 2>&1 || { cat "$T/install.log"; fail "make install failed"; }

bin=$X/usr/bin/forecourt
[ -x "$bin" ] || fail "no executable $bin"
"$bin" --version | grep -q '^forecourt [0-9]' || fail "installed binary does not run"
ok "binary $bin runs: $("$bin" --version)"

man=$X/usr/share/man/man1/forecourt.1
[ -f "$man" ] || fail "no man page $man"
page=$(MANWIDTH=100 man -l "$man" 2>/dev/null) || fail "man cannot format $man"
for section in NAME SYNOPSIS COMMANDS FILES ENVIRONMENT "EXIT STATUS"; do
	grep -q "^$section" <<<"$page" || fail "man page has no $section section"
done
grep -q FORECOURT_CONFIG <<<"$page" && grep -q FORECOURT_NOW <<<"$page" ||
	fail "man page does not describe the environment"
# Every command of `forecourt --help` is in the man page.
cmds=$("$bin" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ -n "$cmds" ] || fail "no commands in --help"
for c in $cmds; do
	grep -qE "(^| )$c( |$)" <<<"$page" || fail "command '$c' is missing from forecourt(1)"
done
ok "forecourt(1) formats and names all $(wc -w <<<"$cmds") commands"

conf=$X/usr/share/doc/forecourt/forecourt.conf.example
[ -f "$conf" ] || fail "no example config $conf"
"$bin" --config "$conf" --db "$T/check.db" init >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log"; fail "the installed example config is refused"; }
ok "example config $conf is accepted"

[ -f "$X/usr/share/forecourt/holidays.conf" ] || fail "no holidays.conf"
# Without holidays_file in the config, the installed binary finds the
# installed holidays next to its bin/ directory.
printf '[station]\nid = S0001\n' >"$T/bare.conf"
"$bin" --config "$T/bare.conf" --db "$T/check.db" holidays load >"$T/hol.log" 2>&1 ||
	{ cat "$T/hol.log"; fail "the installed holidays are not found by default"; }
[ "$(q "$T/check.db" "SELECT count(*) FROM holidays")" -gt 0 ] || fail "no holidays loaded"
ok "default holidays_file is the installed $(q "$T/check.db" "SELECT count(*) FROM holidays")-day file"
unit=$X/usr/share/forecourt/forecourt@.service
[ -f "$unit" ] || fail "no unit $unit"
grep -qx 'ExecStart=/usr/bin/forecourt kiosk' "$unit" || fail "unit does not start /usr/bin/forecourt"
! grep -q '@BINDIR@' "$unit" || fail "unit still has @BINDIR@"
for line in 'StandardInput=tty' 'TTYPath=/dev/%I' 'Restart=always' 'RestartSec=1'; do
	grep -qx "$line" "$unit" || fail "unit lacks $line"
done
ok "unit $unit runs the kiosk on /dev/%I and restarts it"

# Head office: forecourt-hq, its man page, example config and unit.
hqbin=$X/usr/bin/forecourt-hq
[ -x "$hqbin" ] || fail "no executable $hqbin"
hqhelp=$("$hqbin" --help) || fail "installed forecourt-hq --help fails"
hqman=$X/usr/share/man/man1/forecourt-hq.1
[ -f "$hqman" ] || fail "no man page $hqman"
page=$(MANWIDTH=100 man -l "$hqman" 2>/dev/null) || fail "man cannot format $hqman"
for section in NAME SYNOPSIS COMMANDS CONFIGURATION "HTTP ENDPOINTS" FILES "EXIT STATUS"; do
	grep -q "^$section" <<<"$page" || fail "forecourt-hq(1) has no $section section"
done
# Every command of the usage text, every endpoint and the root rule.
cmds=$(awk '/^  [a-z]/ {print $1 (($1 == "station") ? " " $2 : "")}' <<<"$hqhelp" | sort -u)
[ "$(wc -l <<<"$cmds")" -ge 10 ] || fail "too few commands in forecourt-hq --help: $cmds"
while read -r c; do
	grep -qE "(^| )$c( |$)" <<<"$page" || fail "command '$c' is missing from forecourt-hq(1)"
done <<<"$cmds"
for e in "POST /v1/records" "GET /v1/master" "GET /v1/health" "GET /metrics" "never runs as root"; do
	grep -qF "$e" <<<"$page" || fail "forecourt-hq(1) does not mention '$e'"
done
ok "forecourt-hq(1) formats and names all $(wc -l <<<"$cmds") commands and the endpoints"

hqconf=$X/usr/share/doc/forecourt/forecourt-hq.conf.example
[ -f "$hqconf" ] || fail "no example config $hqconf"
# Every key of the example is in the man page.
keys=$(sed -n 's/^\([a-z_]*\) *=.*/\1/p' "$hqconf")
[ "$(wc -l <<<"$keys")" -ge 13 ] || fail "too few keys in $hqconf"
for k in $keys; do
	grep -qE "(^| )$k =" <<<"$page" ||
		fail "key '$k' of the example is missing from forecourt-hq(1)"
done
# The installed example loads: with a database that is not there, the run
# fails on the connection (1), not on the config (2).  forecourt-hq refuses
# root, so run it as an unprivileged user.
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$T"
	as_user() { runuser -u postgres -- env ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$@"; }
	"$hqbin" --config "$hqconf" station list >"$T/root.log" 2>&1
	[ $? = 1 ] && grep -q "refusing to run as root" "$T/root.log" ||
		{ cat "$T/root.log"; fail "forecourt-hq did not refuse root"; }
	ok "forecourt-hq refuses root"
else
	as_user() { "$@"; }
fi
{ cat "$hqconf"; printf '[database]\nconninfo = host=%s/no-pg dbname=forecourt\n' "$T"; } >"$T/hq.conf"
chmod 644 "$T/hq.conf"
as_user "$hqbin" --config "$T/hq.conf" station list >"$T/hq.log" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q "cannot connect to PostgreSQL" "$T/hq.log" ||
	{ cat "$T/hq.log"; fail "the installed forecourt-hq example config is refused (rc $rc)"; }
ok "example config $hqconf is accepted"

hqunit=$X/usr/share/forecourt/forecourt-hq.service
[ -f "$hqunit" ] || fail "no unit $hqunit"
grep -qx 'ExecStart=/usr/bin/forecourt-hq --config /etc/forecourt/forecourt-hq.conf serve' "$hqunit" ||
	fail "unit does not start /usr/bin/forecourt-hq serve"
! grep -q '@BINDIR@' "$hqunit" || fail "unit still has @BINDIR@"
for line in 'User=forecourt-hq' 'Group=forecourt-hq' 'Restart=on-failure' 'NoNewPrivileges=yes' \
	'ProtectSystem=strict' 'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'MemoryDenyWriteExecute=yes'; do
	grep -qx "$line" "$hqunit" || fail "unit lacks $line"
done
# systemd's own check where it exists (it needs no running systemd); only
# complaints about our unit count.
if command -v systemd-analyze >/dev/null; then
	sed "s|^ExecStart=/usr/bin/|ExecStart=$X/usr/bin/|" "$hqunit" >"$T/forecourt-hq.service"
	out=$(systemd-analyze verify --man=no "$T/forecourt-hq.service" 2>&1 | grep -F forecourt-hq.service)
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
fi
ok "unit $hqunit runs forecourt-hq serve as forecourt-hq, hardened"

make --no-print-directory -s uninstall DESTDIR="$X" PREFIX=/usr BUILD="$FORECOURT_BUILD" \
	>"$T/uninstall.log" 2>&1 || { cat "$T/uninstall.log"; fail "make uninstall failed"; }
for f in "$bin" "$man" "$conf" "$unit" "$hqbin" "$hqman" "$hqconf" "$hqunit"; do
	[ ! -e "$f" ] || fail "uninstall left $f"
done
ok "uninstall removed them"
