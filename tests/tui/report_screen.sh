#!/usr/bin/env bash
# report_screen.sh — Ctrl-R in the real kiosk on a demo database: refused without
# a login and for an attendant; a head sees the monthly analysis, Left goes to
# June, whose tier and grade bars and counts equal sqlite3's; PgDn scrolls; Esc back.
# While the analysis computes (held by the FORECOURT_REPORT_HOLD fifo) the kiosk
# answers F1 and Esc at once; leaving or changing month meanwhile leaks nothing.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 NOW=2026-07-01T08:00:00Z
printf '[station]\nid = S0001\n[reader]\nport = sim\n[ui]\nlocale = zh_CN\n[complaints]\nholidays_file = %s/config/holidays.conf\n[auth]\npepper_file = %s/pepper\n' \
	"$FORECOURT_SRC" "$T" >"$T/fc.conf"
DB=$T/demo.db
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc demo --customers 300 --seed 5 --build-only >"$T/out" 2>&1 || { cat "$T/out"; fail "demo build"; }
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "head"
printf '999999\n1111\n1111\n' | fc staff add T1 赵加油 attendant --as A1 >/dev/null || fail "attendant"

# Every computation of the analysis waits until the test writes to this fifo.
mkfifo "$T/hold" || fail "mkfifo"
tui_start k 100 30 sh -c "export TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR='$FORECOURT_LOCALEDIR' \
	FORECOURT_REPORT_HOLD='$T/hold' ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}'
	'$FC' --config '$T/fc.conf' --db '$DB' demo 2>'$T/kiosk.err'; echo \$? >'$T/kiosk.status'"
# release: let the computations waiting on the fifo go (a writer that finds no
# reader gives up after a second; the caller retries until its condition).
release() { timeout 1 sh -c "echo go >'$T/hold'" 2>/dev/null || true; }
# ready MONTH: release until the figures of MONTH are on screen.
shown() { release; tui_screen k | grep -qF "月度分析 $1" && tui_screen k | grep -qF "按油品的销量"; }
ready() { wait_for 20 shown "$1" || { tui_screen k; fail "no figures for $1"; }; }
tui_wait k 30 "请刷客户卡" || fail "kiosk did not come up"
# The kiosk's daily classification runs first: the figures below are after it.
classified() { [ "$(q "$DB" "SELECT value FROM meta WHERE key = 'classified_day'")" = 2026-07-01 ]; }
wait_for 60 classified || fail "the daily classification did not finish"
tui_keys k C-r
tui_wait k 10 "月度分析仅供站长查看：请先按 F6 登录" || fail "no refusal without a login"

login() { # staff PIN name
	tui_keys k F6
	tui_wait k 10 "工号" || fail "no login form"
	tui_keys k -l "$1"
	tui_keys k Tab
	tui_keys k -l "$2"
	tui_keys k Enter
	tui_wait k 10 "已登录：$3" || fail "login of $1 failed"
}
login T1 1111 赵加油
tui_keys k C-r
tui_wait k 10 "月度分析仅供站长或管理员查看，赵加油 无权查看" || fail "attendant not refused"
tui_screen k | grep -q "月度分析 20" && fail "the report opened for an attendant"
ok "Ctrl-R refused without a login and for an attendant, with the message"

tui_keys k F6
tui_wait k 10 "Enter：退出登录" || fail "no logout prompt"
tui_keys k Enter
tui_wait k 10 "已退出登录" || fail "logout"
login H1 246824 王站长
tui_keys k C-r
tui_wait k 10 "月度分析 2026-07" || fail "report not opened for the head"
tui_wait k 5 "计算中…" || fail "no 'computing' while the analysis is held"
tui_keys k F1
tui_wait k 10 "上个月" || fail "F1 not answered while computing"
tui_keys k Escape
tui_wait k 10 "计算中…" || fail "Esc from help did not return to the computing report"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not leave the report while computing"
ok "while the analysis computes: '计算中…' at once, F1 help answers, Esc leaves"

tui_keys k C-r
tui_wait k 10 "计算中…" || fail "no 'computing' on the second Ctrl-R"
tui_keys k Left
tui_wait k 10 "月度分析 2026-06" || fail "Left did not go to June"
ready 2026-06
tui_screen k | grep -qF "月度分析 2026-07" && fail "July's stale figures replaced June's"

# June, local (CST-8) bounds written out here.
MONTH="v.created_at >= '2026-05-31T16:00:00Z' AND v.created_at < '2026-06-30T16:00:00Z'"
litres() { q "$DB" "SELECT printf('%d.%02d', coalesce(sum(v.volume_ml), 0) / 1000,
	coalesce(sum(v.volume_ml), 0) % 1000 / 10) FROM visits v $1"; }
screen=$(tui_screen k)
# Counts by tier: the line of each tier ends with its count.
for pair in "big diamond 钻级 · 大客户" "big gold 金级 · 大客户" "individual platinum 白金级 · 个人客户" \
	"individual ordinary 普通级 · 个人客户"; do
	read -r nature tier label <<<"$pair"
	n=$(q "$DB" "SELECT count(*) FROM customers WHERE nature = '$nature' AND tier = '$tier'")
	grep -qE "^ +$label +$n\$" <<<"$screen" ||
		fail "count of $label is not $n: $(grep -F "$label" <<<"$screen" | head -n 1)"
done
stab=$(q "$DB" "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM customers GROUP BY stability
	ORDER BY CASE stability WHEN 'current' THEN 1 WHEN 'lost' THEN 2 WHEN 'potential' THEN 3 ELSE 4 END)")
read -r cur lost pot swing <<<"$stab"
grep -qF "现有客户 $cur · 流失客户 $lost" <<<"$screen" && grep -qF "潜在客户 $pot · 摇摆客户 $swing" <<<"$screen" ||
	fail "class counts not $stab"
# Litres by grade: a bar per grade with the SQL sum.
for g in 0# 92# 95# 98#; do
	l=$(litres "WHERE grade = '$g' AND $MONTH")
	grep -E "^  $g .*█.* $l 升\$" <<<"$screen" >/dev/null || fail "grade $g bar without $l 升"
done
# June ended before the class history began (the demo was made on 07-01): the
# screen says the classes are today's
grep -qF "分类为今天的：2026-07-01 之前没有分类历史" <<<"$screen" ||
	fail "June does not say its classes are today's: $(sed -n 3,6p <<<"$screen")"
ok "June counts by tier and class and litres by grade equal the SQL ($cur current, $lost lost); 分类为今天的：2026-07-01 之前没有分类历史"

# Litres by tier as bars scaled to the widest: 58 columns at 100 columns wide.
# The position "first-last/lines" in the title row; scroll KEY until TEXT...
# are all on screen (each key waits for the position to change).
pos() { tui_screen k | sed -n 3p | grep -oE '[0-9]+-[0-9]+/[0-9]+$'; }
moved() { [ "$(pos)" != "$1" ]; }
scroll_until() { # key text...
	local key=$1 i t before all; shift
	for i in $(seq 1 60); do
		all=1
		for t in "$@"; do tui_screen k | grep -qF -- "$t" || all=0; done
		[ "$all" = 1 ] && return 0
		before=$(pos)
		tui_keys k "$key"
		wait_for 5 moved "$before" || return 1
	done
	return 1
}
scroll_until Down "按等级的销量" "非会员" "受理 " || fail "Down did not bring the litres by tier: $(tui_screen k)"
screen=$(tui_screen k)
l=$(litres "JOIN customers c ON c.id = v.customer_id WHERE c.nature = 'big' AND c.tier = 'diamond' AND $MONTH")
row=$(grep -E "^  钻级 · 大客户 .*█" <<<"$screen") || fail "no diamond bar: $screen"
grep -qE " $l 升\$" <<<"$row" || fail "diamond bar not $l 升: $row"
top=$(q "$DB" "SELECT c.nature || ' ' || c.tier FROM visits v JOIN customers c ON c.id = v.customer_id
	WHERE $MONTH GROUP BY 1 ORDER BY sum(v.volume_ml) DESC LIMIT 1")
[ "$top" = "big diamond" ] || fail "expected diamond to have the most litres, not $top"
full=$(grep -o '█' <<<"$row" | wc -l)
[ "$full" = 58 ] || fail "the widest tier bar has $full blocks, not 58"
l2=$(litres "JOIN customers c ON c.id = v.customer_id WHERE c.nature = 'individual' AND c.tier = 'ordinary' AND $MONTH")
row2=$(grep -E "^  普通级 · 个人客户 .*█" <<<"$screen") || fail "no ordinary-individual bar"
grep -qE " $l2 升\$" <<<"$row2" || fail "ordinary-individual bar not $l2 升: $row2"
n2=$(grep -o '█' <<<"$row2" | wc -l)
want=$(q "$DB" "SELECT (SELECT sum(v.volume_ml) FROM visits v JOIN customers c ON c.id = v.customer_id
	WHERE c.nature = 'individual' AND c.tier = 'ordinary' AND $MONTH) * 58 /
	(SELECT sum(v.volume_ml) FROM visits v JOIN customers c ON c.id = v.customer_id
	WHERE c.nature = 'big' AND c.tier = 'diamond' AND $MONTH)")
[ "$n2" = "$want" ] || fail "ordinary-individual bar has $n2 full blocks, not $want"
rec=$(q "$DB" "SELECT count(*) FROM complaints WHERE received_at >= '2026-05-31T16:00:00Z'
	AND received_at < '2026-06-30T16:00:00Z'")
grep -qF "受理 $rec · " <<<"$screen" || fail "complaints received not $rec"
ok "tier bars: diamond $l 升 = 58 blocks, ordinary individual $l2 升 = $n2; $rec complaints"

# PgDn down to the lost customers' list: its length is the SQL count.
scroll_until PgDn "流失客户 ($lost)" || fail "no '流失客户 ($lost)' after PgDn"
ok "scrolled to 流失客户 ($lost)"

# End / Home: the bottom and the top; Tab / S-Tab and ] / [: the sections.
before=$(pos); tui_keys k End
wait_for 5 moved "$before" || fail "End did not move: $(tui_screen k | tail -3)"
total=${before##*/}
[ "$(pos | sed 's/^[0-9]*-//')" = "$total/$total" ] || fail "End is not at the bottom: $(pos)"
tui_screen k | grep -qF "不能使用 End" && fail "End refused on the report"
# the bottom: the study's sections (satisfaction bars, complaints by handler,
# competitor customers)
for text in "满意度：" "5 分" "按经办人的投诉" "竞争对手客户 ("; do
	tui_screen k | grep -qF -- "$text" || fail "no '$text' at the bottom: $(tui_screen k)"
done
before=$(pos); tui_keys k Home
wait_for 5 moved "$before" || fail "Home did not move"
[ "$(pos | cut -d- -f1)" = 1 ] || fail "Home is not at the top: $(pos)"
home=$(pos)
tui_keys k Tab
wait_for 5 moved "$home" || fail "Tab did not jump to the next section"
sec=$(pos | cut -d- -f1)
[ "$sec" -gt 1 ] || fail "Tab: top line $sec"
first=$(tui_screen k | sed -n 4p)
tui_keys k ']'
wait_for 5 sh -c "[ \"\$(tmux -L '$TMUX_SOCKET' capture-pane -p -t k | sed -n 3p | grep -oE '[0-9]+-' )\" != '$sec-' ]" ||
	fail "] did not jump to the section after line $sec"
tui_keys k '['
wait_for 5 sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t k | sed -n 3p | grep -qE ' $sec-[0-9]+/'" ||
	fail "[ did not come back to line $sec"
tui_keys k BTab
wait_for 5 sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t k | sed -n 3p | grep -qE ' 1-[0-9]+/'" ||
	fail "S-Tab did not come back to the top"
ok "End: $total/$total, Home: 1-, Tab to line $sec ('$(echo "$first" | sed 's/^ *//')'), ] and [ and S-Tab back"
bar=$(tui_screen k | tail -1)
grep -qF "Home顶部" <<<"$bar" || fail "key bar does not say Home goes to the top: $bar"
grep -qF "客户档案" <<<"$bar" && fail "key bar offers the archive on Home here: $bar"
tui_keys k F1
tui_wait k 10 "Home / End：分析的开头 / 结尾" || fail "help does not explain Home / End"
tui_wait k 5 "下一节 / 上一节" || fail "help does not explain the section keys"
tui_keys k Escape
scroll_until PgDn "流失客户 ($lost)" || fail "no '流失客户 ($lost)' after PgDn again"

tui_keys k F1
tui_wait k 10 "上个月" || fail "help does not list Left"
tui_wait k 5 "月度分析（站长）" || fail "help does not list Ctrl-R"
tui_keys k Escape
tui_wait k 10 "流失客户 ($lost)" || fail "Esc from help did not return"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not leave the report"
ok "F1 lists the keys; Esc back to the idle screen"

# Leave once more mid-computation, then quit: exit 0 and no sanitizer report.
tui_keys k C-r
tui_wait k 10 "计算中…" || fail "no 'computing' on the last Ctrl-R"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not leave the report"
release
tui_keys k F10
wait_for 20 test -s "$T/kiosk.status" || fail "the kiosk did not quit on F10"
[ "$(cat "$T/kiosk.status")" = 0 ] || fail "kiosk exit status $(cat "$T/kiosk.status"): $(cat "$T/kiosk.err")"
[ ! -s "$T/kiosk.err" ] || fail "kiosk stderr: $(head -c 2000 "$T/kiosk.err")"
ok "left while computing, F10: exit 0, empty stderr (no leak)"
