#!/usr/bin/env bats
# What the tools print and mail: no terminal escapes from any field, control
# characters refused where text is typed in, mail lines within RFC 5322.

load helper

# --- Helpers of this file ---

# UC3_NOW=$1 for the command that follows (as in overdue.bats).
at() {
	local when="$1"
	shift
	UC3_NOW="$when" "$@"
}

# Fail when $1 holds a raw control character other than LF and tab: ESC,
# BEL, CR, DEL or a C1 control (U+0080..U+009F as UTF-8, or a lone byte
# 0x80..0x9f that a terminal not in UTF-8 mode reads as one).
no_raw_controls() {
	python3 - "$1" <<'PY'
import re, sys
s = sys.argv[1].encode("utf-8", "surrogateescape")
m = re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", s)
if m is None:
    # a lone byte 0x80..0x9f: one that is not a continuation of a character
    t = s.decode("utf-8", "surrogateescape")
    m = re.search("[\udc80-\udc9f]", t)
if m:
    sys.exit("raw control character at %d: %r" % (m.start(), s[max(0, m.start() - 20):m.start() + 20]))
PY
}

# YAML double-quoted escapes of what a hand edit can put in a file:
# OSC 52 (writes the clipboard), ESC [2J (clears the screen), and CSI as
# the C1 control U+009B.
OSC='\e]52;c;aGk=\a'
CLS='\e[2J'
CSI='\x9B31m'

# Ticket 0001 (open, escalated to wakor at 09:00, due 10:00) with every
# field a tool prints edited by hand to hold terminal escapes, and one
# event appended by hand with escapes in each of its fields; committed
# with plain git, as anyone with write access can.
tainted_repo() {
	fixture_repo make_tainted_repo
}

make_tainted_repo() {
	init_repo
	new_ticket -u "Bagian Keuangan" --phone 0812 >/dev/null
	uc3 escalate -m "Catatan" UC3-2026-0001 >/dev/null
	local p
	p="$(ticket_path UC3-2026-0001)"
	OSC="$OSC" CLS="$CLS" CSI="$CSI" python3 - "$p" <<'PY'
import os, re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
OSC, CLS, CSI = os.environ["OSC"], os.environ["CLS"], os.environ["CSI"]
def sub(pat, rep):
    global s
    s, n = re.subn(pat, lambda m: rep, s, count=1, flags=re.M)
    assert n == 1, pat
sub(r'^subject: .*$', 'subject: "Tes ' + OSC + ' subjek ' + CLS + CSI + '"')
sub(r'^kind: .*$', 'kind: "keluhan' + CLS + '"')
sub(r'^  name: .*$', '  name: "Siti ' + OSC + '"')
sub(r'^  email: .*$', '  email: "siti' + CLS + '@example.com"')
sub(r'^  phone: .*$', '  phone: "0812' + CSI + '"')
sub(r'^unit: .*$', 'unit: "Bagian ' + CLS + ' Keuangan"')
sub(r'^body: .*\n(?:  .*\n|\n)*', 'body: "satu ' + CLS + r'\ndua ' + OSC + r'\n\tkolom\r\n"' + '\n')
sub(r'^(?=events:)', 'answer: "jawab ' + OSC + r'\nbaris ' + CSI + r'\n"' + '\n')
s += ('- at: 2026-11-27T09:30:00+07:00\n'
      '  by: "x' + OSC + '@example.com"\n'
      '  action: "catat' + CLS + '"\n'
      '  from: "staf' + CSI + '"\n'
      '  to: "wakor' + OSC + '"\n'
      '  note: "catatan ' + CLS + r'\nbaris dua \a' + '"\n'
      '  step:\n    name: "staf' + CLS + '"\n    due: 2026-11-27T09:05:00+07:00\n    late: true\n')
open(p, "w", encoding="utf-8").write(s)
PY
	git commit -q -am "hand edit: escapes in every field"
	[ "$(yget "$p" subject)" = $'Tes \e]52;c;aGk=\a subjek \e[2J\xc2\x9b31m' ]
}

# A repository with the sendmail stand-in and one person, humas1 (staf),
# and ticket 0001 with subject $1, registered at 09:00 (due 09:05): late
# at $MAIL_AT, when the notice mail goes to humas1.
mail_repo() {
	init_repo
	fake_sendmail
	SUBJECT="$1" at_time 09:00 new_ticket >/dev/null
	use_sendmail
	set_people <<<'  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}'
}

MAIL_AT=2026-11-27T10:30:00+07:00

# Check the one message the stand-in saved ($T/mail/1.eml): every line
# within 998 octets, headers only "Name: value" and folded lines, no
# line of the body a lone ".", no raw CR; and print its Subject, its
# Content-Transfer-Encoding and its decoded body, NUL-separated.
read_mail() {
	python3 - "$T/mail/1.eml" <<'PY'
import email, email.policy, re, sys
raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\n")
for l in lines:
    assert len(l) <= 998, "a line of %d octets" % len(l)
    assert b"\r" not in l, l
head, body = raw.split(b"\n\n", 1)
for l in head.split(b"\n"):
    assert re.match(rb"[A-Za-z-]+: |[ \t]", l), l
for l in body.split(b"\n"):
    assert l != b".", "a lone '.' line in the body"
m = email.message_from_bytes(raw, policy=email.policy.default)
sys.stdout.write("%s\0%s\0%s" % (m["Subject"], m["Content-Transfer-Encoding"], m.get_content()))
PY
}

# --- Output: every field escaped, whatever the file holds ---

@test "show: escapes in every field of a hand-edited ticket are written as \\xNN" {
	tainted_repo
	run -0 --separate-stderr at 2026-11-27T12:00:00+07:00 uc3 show UC3-2026-0001
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	equal "${lines[0]}" 'UC3-2026-0001  Tes \x1b]52;c;aGk=\x07 subjek \x1b[2J\x9b31m'
	matches "$output" '^  kind +keluhan\\x1b\[2J$'
	matches "$output" '^  from +Siti \\x1b\]52;c;aGk=\\x07 <siti\\x1b\[2J@example\.com>$'
	matches "$output" '^  phone +0812\\x9b31m$'
	matches "$output" '^  unit +Bagian \\x1b\[2J Keuangan$'
	# text of several lines keeps its lines and tabs, and escapes the rest
	local body=$'\nBody:\n  satu \\x1b[2J\n  dua \\x1b]52;c;aGk=\\x07\n  \tkolom\\x0d\n'
	local answer=$'\nAnswer:\n  jawab \\x1b]52;c;aGk=\\x07\n  baris \\x9b31m\n'
	[[ "$output" == *"$body"* ]]
	[[ "$output" == *"$answer"* ]]
	matches "$output" '^  2026-11-27 09:30  catat\\x1b\[2J x\\x1b\]52;c;aGk=\\x07@example\.com  staf\\x9b31m -> wakor\\x1b\]52;c;aGk=\\x07  \(staf\\x1b\[2J step late\)$'
	matches "$output" '^      catatan \\x1b\[2J \.\.\.$'
}

@test "log: escapes in an event's fields and note are written as \\xNN, the columns stay aligned" {
	tainted_repo
	run -0 --separate-stderr uc3 log UC3-2026-0001
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	matches "${lines[0]}" '^2026-11-27 09:30  [0-9a-f]{7}  UC3-2026-0001  catat\\x1b\[2J staf\\x9b31m -> wakor\\x1b\]52;c;aGk=\\x07  x\\x1b\]52;c;aGk=\\x07@example\.com  sig:none  \(staf\\x1b\[2J step late\)$'
	equal "${lines[1]}" '    catatan \x1b[2J'
	equal "${lines[2]}" '    baris dua \x07'
	# "sig:" starts at the same column on every line
	local l col=""
	for l in "${lines[@]}"; do
		[[ "$l" == *sig:* ]] || continue
		l="${l%%sig:*}"
		[ -z "$col" ] && col="${#l}"
		equal "${#l}" "$col"
	done
}

@test "list and overdue: escapes in any cell are written as \\xNN, one line a ticket" {
	tainted_repo
	run -0 --separate-stderr uc3 list
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0001  2026-11-27 09:00  keluhan\\x1b\[2J  open    wakor  wakor   2026-11-27 10:00  1h    Tes \\x1b\]52;c;aGk=\\x07 subjek \\x1b\[2J\\x9b31m$'
	run -1 --separate-stderr at 2026-11-27T12:00:00+07:00 uc3 overdue
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0001  wakor  2026-11-27 10:00  2h    wakor  Tes \\x1b\]52;c;aGk=\\x07 subjek \\x1b\[2J\\x9b31m$'
}

@test "verify: a finding that quotes a commit's trailer writes its escapes as \\xNN" {
	tainted_repo
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i 's/^channel: email/channel: telepon/' "$p"
	git commit -q -a -F - <<<$'UC3-2026-0001: escalate\n\nTicket: UC3-2026-0001\e]52;c;aGk=\a\nAction: escalate\e[2J'
	run -1 --separate-stderr uc3 verify
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	matches "$output" '^[0-9a-f]{7} UC3-2026-0001: the Ticket trailer says UC3-2026-0001\\x1b\]52;c;aGk=\\x07, the file '
	# and as a pre-receive hook, whose lines the pusher's terminal shows
	run -1 --separate-stderr uc3 verify --pre-receive <<<"$(git rev-parse HEAD~2) $(git rev-parse HEAD) $(git symbolic-ref HEAD)"
	no_raw_controls "$output"
	no_raw_controls "$stderr"
	matches "$output" 'the Ticket trailer says UC3-2026-0001\\x1b\]52'
	run -0 --separate-stderr uc3 log -n 1
	no_raw_controls "$output"
	matches "${lines[0]}" '  escalate\\x1b\[2J  '
}

@test "--format json: control characters escaped, the values as the file has them" {
	tainted_repo
	local cmd
	for cmd in "show UC3-2026-0001" "list" "log UC3-2026-0001"; do
		run -0 --separate-stderr uc3 $cmd --format json
		no_raw_controls "$output"
		python3 -c '
import json, sys
d = json.loads(sys.argv[1])
t = d[0] if isinstance(d, list) else d
if "subject" in t:
    assert t["subject"] == "Tes \x1b]52;c;aGk=\x07 subjek \x1b[2J\x9b31m", t["subject"]
    assert t["body"] == "satu \x1b[2J\ndua \x1b]52;c;aGk=\x07\n\tkolom\r\n", t["body"]
else:
    assert t["note"] == "catatan \x1b[2J\nbaris dua \x07", t
' "$output"
	done
	run -1 --separate-stderr at 2026-11-27T12:00:00+07:00 uc3 overdue --format json
	no_raw_controls "$output"
	python3 -c 'import json, sys; assert json.loads(sys.argv[1])[0]["subject"].endswith("\x9b31m")' "$output"
}

@test "a step's summary line escapes the unit a hand edit put in the ticket" {
	tainted_repo
	export UC3_NOW=2026-11-27T10:00:00+07:00
	run -0 --separate-stderr uc3 answer -m "Sudah." UC3-2026-0001
	run -0 --separate-stderr uc3 deliver UC3-2026-0001
	run -0 --separate-stderr uc3 close UC3-2026-0001
	no_raw_controls "$output"
	matches "$output" 'unit: Bagian \\x1b\[2J Keuangan'
}

# --- Input: control characters refused where text is typed in ---

@test "new refuses control characters in one-line fields: one line, exit 2, nothing written" {
	init_repo
	snapshot
	local esc=$'\e' args
	for args in "-s" "--phone" "-u"; do
		run -2 --separate-stderr new_ticket "$args" $'x 0812\e]52;c;aGk=\a'
		equal "$output" ""
		one_line_error "uc3 new" 'contains a control character \(U\+001B\)$'
		[[ "$stderr" != *"$esc"* ]]
	done
	run -2 --separate-stderr uc3 new -s $'Tes\e[2J' -k keluhan -c email --from a@example.com -m x
	one_line_error "uc3 new" '^uc3 new: subject contains a control character \(U\+001B\)$'
	run -2 --separate-stderr uc3 new -s $'Tes\tkolom' -k keluhan -c email --from a@example.com -m x
	one_line_error "uc3 new" '^uc3 new: subject contains a control character \(U\+0009\)$'
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from $'Siti \a <a@example.com>' -m x
	one_line_error "uc3 new" '^uc3 new: requester.name contains a control character \(U\+0007\)$'
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from $'a\e[2J@example.com' -m x
	one_line_error "uc3 new" '^uc3 new: requester.email contains a control character \(U\+001B\)$'
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from a@example.com -u $'Keu\xc2\x9b2J' -m x
	one_line_error "uc3 new" '^uc3 new: unit contains a control character \(U\+009B\)$'
	run -2 --separate-stderr uc3 new -s $'Tes\x7f' -k keluhan -c email --from a@example.com -m x
	one_line_error "uc3 new" '^uc3 new: subject contains a control character \(U\+007F\)$'
	repo_unchanged
}

@test "new: the body keeps line breaks and tabs, refuses other control characters" {
	init_repo
	snapshot
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from a@example.com -m $'satu\ndua \e]0;judul\a'
	equal "$output" ""
	one_line_error "uc3 new" '^uc3 new: body contains a control character \(U\+001B\) on line 2$'
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from a@example.com <<<$'satu\x08'
	one_line_error "uc3 new" '^uc3 new: body contains a control character \(U\+0008\) on line 1$'
	run -2 --separate-stderr uc3 new -s Tes -k keluhan -c email --from a@example.com -m $'satu\xc2\x85dua'
	one_line_error "uc3 new" '^uc3 new: body contains a control character \(U\+0085\) on line 1$'
	repo_unchanged
	# a CRLF text, a tab and an empty line are fine
	run -0 --separate-stderr uc3 new -s Tes -k keluhan -c email --from a@example.com -m $'satu\r\n\tdua\r\n\r\ntiga'
	yis "$(ticket_path UC3-2026-0001)" body $'satu\n        dua\n\ntiga\n'
}

@test "step commands refuse control characters in notes, answers and --unit" {
	init_repo
	new_ticket >/dev/null
	snapshot
	run -2 --separate-stderr uc3 escalate -m $'naik\n\e[2J' UC3-2026-0001
	one_line_error "uc3 escalate" '^uc3 escalate: the note contains a control character \(U\+001B\) on line 2$'
	run -2 --separate-stderr uc3 answer -m $'Sudah \e]52;c;aGk=\a' UC3-2026-0001
	one_line_error "uc3 answer" '^uc3 answer: the answer contains a control character \(U\+001B\) on line 1$'
	repo_unchanged
	uc3 answer -m $'Sudah\n\tdiverifikasi.' UC3-2026-0001 >/dev/null
	snapshot
	run -2 --separate-stderr uc3 deliver -m $'telepon\xc2\x9b' UC3-2026-0001
	one_line_error "uc3 deliver" '^uc3 deliver: the note contains a control character \(U\+009B\) on line 1$'
	repo_unchanged
	uc3 deliver -m "telepon" UC3-2026-0001 >/dev/null
	snapshot
	run -2 --separate-stderr uc3 close --unit $'Keuangan\a' UC3-2026-0001
	one_line_error "uc3 close" '^uc3 close: --unit contains a control character \(U\+0007\)$'
	run -2 --separate-stderr uc3 close --unit $'Keuangan\tdua' UC3-2026-0001
	one_line_error "uc3 close" '^uc3 close: --unit contains a control character \(U\+0009\)$'
	repo_unchanged
}

# --- Mail: one line a value, no line over 998 octets ---

@test "overdue --mail: a 3,000-character subject goes quoted-printable, no line over 998 octets" {
	local subject
	subject="$(python3 -c 'print(("Pembayaran UKT belum terverifikasi " * 86)[:3000])')"
	[ "${#subject}" -eq 3000 ]
	mail_repo "$subject"
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_count)" 1
	local m f
	m="$(read_mail | tr '\0' '\n' | head -2)"
	equal "$(sed -n 2p <<<"$m")" "quoted-printable"
	# the body, decoded, has the whole subject on the ticket's line
	read_mail | python3 -c '
import sys
subject, cte, body = sys.stdin.read().split("\0")
assert "- UC3-2026-0001: " + sys.argv[1] + "\n" in body, body[:200]
' "$subject"
}

@test "overdue --mail: a subject with line breaks and a lone '.' from a hand edit stays on its line" {
	mail_repo "Tiket di staf"
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i 's/^subject: .*/subject: "Tiket di staf\\n.\\nBcc: x@y.example\\r\\n.\\r\\nakhir"/' "$p"
	git commit -q -am "hand edit: a subject of several lines"
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_count)" 1
	# read_mail fails on a lone "." line in the body
	read_mail | python3 -c '
import sys
subject, cte, body = sys.stdin.read().split("\0")
assert "- UC3-2026-0001: Tiket di staf . Bcc: x@y.example  .  akhir\n" in body, body
assert "\n.\n" not in body
'
}

@test "overdue --mail: a long subject without blanks in the Subject: header is encoded within 78 octets a line" {
	local subject
	subject="$(python3 -c 'print("x" * 3000)')"
	mail_repo "$subject"
	sed -i '1s/.*/Subject: Terlambat: {{#tickets}}{{subject}}{{\/tickets}}/' templates/overdue.txt
	git commit -q -am "templates: the subjects in the subject"
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_count)" 1
	read_mail | python3 -c '
import sys
subject, cte, body = sys.stdin.read().split("\0")
assert subject == "Terlambat: " + sys.argv[1], subject[:100]
' "$subject"
	local l
	while IFS= read -r l; do
		[ -z "$l" ] && break
		[ "${#l}" -le 78 ] || { echo "header line of ${#l} octets: ${l:0:60}" >&2; return 1; }
	done <"$T/mail/1.eml"
}
