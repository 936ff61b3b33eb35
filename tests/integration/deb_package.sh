#!/usr/bin/env bash
# deb_package.sh — the Debian package (config/deb/mkdeb, what `make deb`
# runs; here on the test run's build) installed into a scratch root with
# the real dpkg (`dpkg --root`, maintainer scripts run chrootless with
# DPKG_ROOT): the files and their modes, the conffiles, the system users
# forecourt (in dialout) and forecourt-hq made by postinst, the state
# directory, the pepper and the configs' overrides; the units run as those
# users, never root, hardened; a second install changes nothing; a purge
# keeps the station's data.  Skips (exit 0, saying so) without dpkg-deb.
. "$(dirname "$0")/../lib.sh"
command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null || {
	echo "# skip: dpkg-deb or dpkg-shlibdeps (dpkg-dev) is not installed: no package to test"
	exit 0
}
cd "$FORECOURT_SRC" || fail "no source tree"
deb=$(config/deb/mkdeb "$FORECOURT_BUILD" "$T/out" 2>"$T/mkdeb.err") || fail "mkdeb: $(cat "$T/mkdeb.err")"
[ -f "$deb" ] || fail "no package: $deb"
arch=$(dpkg --print-architecture)
version=$("$FC" --version | awk '{ print $2 }')
[ "$(basename "$deb")" = "forecourt_${version}_$arch.deb" ] || fail "package name $(basename "$deb")"

# Control data.
info=$(dpkg-deb --field "$deb" Package Version Architecture Depends)
grep -qx "Package: forecourt" <<<"$info" && grep -qx "Version: $version" <<<"$info" &&
	grep -qx "Architecture: $arch" <<<"$info" || fail "control: $info"
for dep in libc6 libsqlite3-0 libcurl4 libsodium23 libncursesw6 libpq5 libmicrohttpd12 passwd; do
	grep -q "^Depends:.*\b$dep\b" <<<"$info" || fail "Depends lacks $dep: $info"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$T/conffiles"
printf '/etc/forecourt/forecourt-hq.conf\n/etc/forecourt/forecourt.conf\n' | diff - "$T/conffiles" ||
	fail "conffiles: $(cat "$T/conffiles")"
ok "control: forecourt $version $arch, Depends from the linked libraries, two conffiles"

# Files and modes, as the archive holds them (owner root everywhere).
dpkg-deb --contents "$deb" | awk '{ print $1, $2, $6 }' >"$T/contents"
want() { # MODE PATH
	grep -qxF -- "$1 root/root ./$2" "$T/contents" || fail "want $1 root/root $2, have: $(grep -F "./$2" "$T/contents")"
}
want -rwxr-xr-x usr/bin/forecourt
want -rwxr-xr-x usr/bin/forecourt-hq
want -rw-r--r-- usr/share/man/man1/forecourt.1.gz
want -rw-r--r-- usr/share/man/man1/forecourt-hq.1.gz
want -rw-r--r-- lib/systemd/system/forecourt@.service
want -rw-r--r-- lib/systemd/system/forecourt-sync.service
want -rw-r--r-- lib/systemd/system/forecourt-hq.service
want -rw-r--r-- etc/forecourt/forecourt.conf
want -rw-r--r-- etc/forecourt/forecourt-hq.conf
want -rw-r--r-- usr/share/forecourt/holidays.conf
want -rw-r--r-- usr/share/doc/forecourt/copyright
want -rw-r--r-- usr/share/doc/forecourt/changelog.gz
want -rw-r--r-- usr/share/doc/forecourt/examples/forecourt.conf.example
want -rw-r--r-- usr/share/doc/forecourt/examples/forecourt-hq.conf.example
want -rw-r--r-- usr/share/locale/zh_CN/LC_MESSAGES/forecourt.mo
! grep -vE '^(-rw-r--r--|-rwxr-xr-x|drwxr-xr-x) root/root ' "$T/contents" ||
	fail "files not root-owned 0644/0755"
ok "$(wc -l <"$T/contents") entries, root-owned, 0755 programs, 0644 data"

# Install into a scratch root: its own dpkg database and user files.
R=$T/root
mkdir -p "$R/etc" "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\ntty:x:5:\ndialout:x:20:\n' >"$R/etc/group"
printf 'root:*:20000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:*::\ntty:*::\ndialout:*::\n' >"$R/etc/gshadow"
chmod 600 "$R/etc/shadow" "$R/etc/gshadow"
rdpkg() { dpkg --root="$R" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
if [ "$(id -u)" != 0 ]; then
	echo "# skip: installing into a scratch root needs root (dpkg --root, useradd --prefix)"
	exit 0
fi
rdpkg -i "$deb" >"$T/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$T/dpkg.log")"
[ "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}' forecourt)" = "install ok installed" ] ||
	fail "not installed: $(cat "$T/dpkg.log")"

# The users: system accounts, no login, forecourt in dialout.
IFS=: read -r _ _ uid gid _ home shell < <(grep '^forecourt:' "$R/etc/passwd") || fail "no user forecourt"
[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "forecourt is not a system user (uid $uid)"
[ "$home" = /var/lib/forecourt ] && [ "$shell" = /usr/sbin/nologin ] || fail "forecourt: $home $shell"
grep -qE '^dialout:[^:]*:20:(.*,)?forecourt(,|$)' "$R/etc/group" || fail "forecourt not in dialout: $(cat "$R/etc/group")"
grep -q '^forecourt-hq:x:[0-9]*:[0-9]*:[^:]*:[^:]*:/usr/sbin/nologin$' "$R/etc/passwd" || fail "no user forecourt-hq"
hqgid=$(awk -F: '$1 == "forecourt-hq" { print $3 }' "$R/etc/group")
ok "users forecourt ($uid, in dialout) and forecourt-hq, no login"

# mode owner group of a file in the root, numerically.
st() { stat -c '%a %u %g' "$R$1"; }
[ "$(st /var/lib/forecourt)" = "700 $uid $gid" ] || fail "/var/lib/forecourt: $(st /var/lib/forecourt)"
[ "$(st /etc/forecourt/pepper)" = "600 $uid $gid" ] || fail "pepper: $(st /etc/forecourt/pepper)"
[ "$(stat -c %s "$R/etc/forecourt/pepper")" = 32 ] || fail "pepper size"
[ "$(st /etc/forecourt/forecourt.conf)" = "640 0 $gid" ] || fail "forecourt.conf: $(st /etc/forecourt/forecourt.conf)"
[ "$(st /etc/forecourt/forecourt-hq.conf)" = "640 0 $hqgid" ] ||
	fail "forecourt-hq.conf: $(st /etc/forecourt/forecourt-hq.conf)"
[ "$(st /usr/bin/forecourt)" = "755 0 0" ] || fail "binary: $(st /usr/bin/forecourt)"
# (listed by the host's names of the scratch root's ids)
dpkg-statoverride --root "$R" --list >"$T/overrides"
grep -qE "^root [^ ]+ 640 /etc/forecourt/forecourt.conf$" "$T/overrides" &&
	grep -qE "^root [^ ]+ 640 /etc/forecourt/forecourt-hq.conf$" "$T/overrides" ||
	fail "overrides: $(cat "$T/overrides")"
ok "state directory 0700, pepper 0600 (32 bytes), configs 0640 for their service's group (dpkg-statoverride)"

# The installed pieces work together.
"$R/usr/bin/forecourt" --version | grep -qx "forecourt $version" || fail "installed binary does not run"
grep -qx 'holidays_file = /usr/share/forecourt/holidays.conf' "$R/etc/forecourt/forecourt.conf" ||
	fail "the conffile does not name the package's holidays"
sed 's|/usr/share/forecourt|'"$R"'/usr/share/forecourt|' "$R/etc/forecourt/forecourt.conf" >"$T/fc.conf"
"$R/usr/bin/forecourt" --config "$T/fc.conf" --db "$T/x.db" init >/dev/null 2>"$T/init.err" &&
	"$R/usr/bin/forecourt" --config "$T/fc.conf" --db "$T/x.db" holidays load >/dev/null 2>>"$T/init.err" ||
	fail "the installed config is refused: $(cat "$T/init.err")"
zcat "$R/usr/share/man/man1/forecourt.1.gz" | grep -q '^\.SH DEPLOYMENT' || fail "forecourt(1) has no DEPLOYMENT"
ok "the installed program, config, holidays and man page work"

# Units: the dedicated users, never root, the hardening that fits.
for u in forecourt@.service forecourt-sync.service; do
	f=$R/lib/systemd/system/$u
	grep -qx 'User=forecourt' "$f" && grep -qx 'Group=forecourt' "$f" || fail "$u does not run as forecourt"
	for line in 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'StateDirectory=forecourt' 'PrivateTmp=yes' \
		'ProtectHome=yes' 'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' \
		'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6'; do
		grep -qx "$line" "$f" || fail "$u lacks $line"
	done
	grep -q '^ExecStart=/usr/bin/forecourt ' "$f" || fail "$u does not start /usr/bin/forecourt"
done
grep -qx 'SupplementaryGroups=dialout tty' "$R/lib/systemd/system/forecourt@.service" || fail "kiosk without dialout"
grep -qx 'User=forecourt-hq' "$R/lib/systemd/system/forecourt-hq.service" || fail "hq unit user"
! grep -q '^User=root' "$R"/lib/systemd/system/*.service || fail "a unit runs as root"
if command -v systemd-analyze >/dev/null; then
	for u in forecourt@tty1.service forecourt-sync.service; do
		sed "s|^ExecStart=/usr/bin/|ExecStart=$R/usr/bin/|" "$R/lib/systemd/system/${u/tty1/}" >"$T/$u"
		out=$(systemd-analyze verify --man=no "$T/$u" 2>&1 | grep -F "$u")
		[ -z "$out" ] || fail "systemd-analyze verify: $out"
		score=$(systemd-analyze security --offline=true --no-pager "$T/$u" 2>/dev/null |
			sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' ||
			fail "$u: systemd-analyze security exposure $score, want at most 2.5"
		echo "# $u: systemd-analyze security exposure $score"
	done
fi
ok "units run as forecourt / forecourt-hq with the hardening options"

# Again (an upgrade to the same version): nothing doubled, overrides kept.
echo "# an administrator's token" >"$R/etc/forecourt/token"
rdpkg -i "$deb" >"$T/dpkg2.log" 2>&1 || fail "second dpkg -i: $(cat "$T/dpkg2.log")"
[ "$(grep -c '^forecourt:' "$R/etc/passwd")" = 1 ] || fail "user made twice"
[ "$(st /etc/forecourt/forecourt.conf)" = "640 0 $gid" ] || fail "override lost on upgrade"
ok "a second install changes nothing"

# Purge: the programs go; the station's data, pepper and token stay.
touch "$R/var/lib/forecourt/forecourt.db"
rdpkg --purge forecourt >"$T/purge.log" 2>&1 || fail "purge: $(cat "$T/purge.log")"
[ ! -e "$R/usr/bin/forecourt" ] && [ ! -e "$R/etc/forecourt/forecourt.conf" ] || fail "purge left the package's files"
[ -e "$R/var/lib/forecourt/forecourt.db" ] && [ -e "$R/etc/forecourt/pepper" ] &&
	[ -e "$R/etc/forecourt/token" ] || fail "purge removed the station's data"
[ -z "$(dpkg-statoverride --root "$R" --list)" ] || fail "purge left overrides"
ok "purge removes the package and its overrides, keeps database, pepper and token"
