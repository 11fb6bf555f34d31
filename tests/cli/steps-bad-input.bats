#!/usr/bin/env bats
# The steps refused (DESIGN 6, 8): a transition the SOP does not allow, a bad
# id, bad usage, bad text. Exit 2, one clear line on stderr, nothing on
# stdout, and the branch, the index and the work tree as they were.

load helper

TOOLS=(escalate answer deliver close)

# One ticket in each state, all received Friday 09:00:
#   0001 open at staf        0002 open at kabiro (the top of the chain)
#   0003 answered            0004 delivered, no unit
#   0005 closed              0006 delivered, with a unit
# then a snapshot of the repository.
setup_states() {
	fixture_repo make_states
	snapshot
}

make_states() {
	init_repo
	local i
	for i in 1 2 3 4 5 6; do
		new_ticket >/dev/null
	done
	uc3 escalate UC3-2026-0002 >/dev/null
	uc3 escalate UC3-2026-0002 >/dev/null
	uc3 escalate UC3-2026-0002 >/dev/null
	uc3 answer -m "Jawaban." UC3-2026-0003 >/dev/null
	for i in 4 5 6; do
		uc3 answer -m "Jawaban." "UC3-2026-000$i" >/dev/null
		uc3 deliver "UC3-2026-000$i" >/dev/null
	done
	uc3 close -u "Bagian Keuangan" UC3-2026-0005 >/dev/null
	# 0006 gets its unit by a plain edit, committed with git
	sed -i 's/^received:/unit: Fakultas Teknik\nreceived:/' tickets/2026/11/UC3-2026-0006.yaml
	git commit -q -am "0006: unit"
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml level)" kabiro
	equal "$(yget tickets/2026/11/UC3-2026-0005.yaml status)" closed
}

# Arguments that make a step complete but for its id (no editor, no stdin).
args_for() {
	case "$1" in
	escalate | answer | deliver) echo -m ;;
	close) echo -u ;;
	esac
}

# $1: the tool (escalate...), $2: the ERE its one line must match; the rest:
# the command. Exit 2, nothing on stdout, one line, nothing changed.
refused() {
	local tool="$1" rx="$2"
	shift 2
	run -2 --separate-stderr "$@"
	equal "$output" ""
	one_line_error "uc3 $tool" "$rx"
	repo_unchanged
}

# As refused, for bad usage: the error line, then the usage.
usage_refused() {
	local tool="$1" rx="$2"
	shift 2
	run -2 --separate-stderr "$@"
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 $tool: $rx"
	matches "$stderr" "
usage: uc3 $tool "
	repo_unchanged
}

@test "escalate at kabiro: already at the top of the chain" {
	setup_states
	refused escalate '^uc3 escalate: UC3-2026-0002 is already at kabiro, the top of the chain$' \
		uc3 escalate UC3-2026-0002
	refused escalate 'already at kabiro, the top of the chain' \
		uc3 escalate -m "Naik lagi." UC3-2026-0002
	# the top may still answer
	run -0 uc3 answer -m "Jawaban Ka Biro." UC3-2026-0002
}

@test "escalate and answer a ticket that is answered, delivered or closed" {
	setup_states
	refused escalate '^uc3 escalate: UC3-2026-0003 is already answered$' uc3 escalate UC3-2026-0003
	refused answer '^uc3 answer: UC3-2026-0003 is already answered$' uc3 answer -m "Lagi." UC3-2026-0003
	refused escalate 'UC3-2026-0004 is already answered and delivered' uc3 escalate UC3-2026-0004
	refused answer 'UC3-2026-0004 is already answered and delivered' uc3 answer -m x UC3-2026-0004
	refused escalate 'UC3-2026-0005 is closed' uc3 escalate UC3-2026-0005
	refused answer 'UC3-2026-0005 is closed' uc3 answer -m x UC3-2026-0005
}

@test "answer refused before the editor starts: the ticket is already answered" {
	setup_states
	export EDITOR="$T/editor"
	printf '#!/bin/sh\ntouch "%s/editor-ran"\necho Jawaban >"$1"\n' "$T" >"$EDITOR"
	chmod +x "$EDITOR"
	run -2 --separate-stderr with_tty uc3 answer UC3-2026-0003
	one_line_error "uc3 answer" "UC3-2026-0003 is already answered"
	repo_unchanged
	# nobody should type an answer that cannot be recorded
	[ ! -e "$T/editor-ran" ]
}

@test "answer of an unknown or malformed id: said before the editor starts" {
	setup_states
	export EDITOR="$T/editor"
	printf '#!/bin/sh\ntouch "%s/editor-ran"\necho Jawaban >"$1"\n' "$T" >"$EDITOR"
	chmod +x "$EDITOR"
	run -2 --separate-stderr with_tty uc3 answer UC3-2026-0099
	one_line_error "uc3 answer" "no ticket UC3-2026-0099"
	run -2 --separate-stderr with_tty uc3 answer ../../etc/passwd
	one_line_error "uc3 answer" "is not a ticket id"
	run -2 --separate-stderr with_tty uc3 answer UC3-2026-0005
	one_line_error "uc3 answer" "UC3-2026-0005 is closed"
	repo_unchanged
	[ ! -e "$T/editor-ran" ]
	equal "$(find .git/uc3 -name 'EDIT-*' | wc -l)" 0
}

@test "a step with the clock behind the ticket's last event" {
	setup_states
	refused escalate "the time now is before UC3-2026-0001's last event \\(2026-11-27T09:00:00\\+07:00\\)" \
		env UC3_NOW=2026-11-27T08:59:59+07:00 uc3 escalate UC3-2026-0001
	refused answer "before UC3-2026-0001's last event" \
		env UC3_NOW=2026-11-26T12:00:00+07:00 uc3 answer -m x UC3-2026-0001
	refused close "before UC3-2026-0006's last event" \
		env UC3_NOW=2026-01-01T00:00:00+07:00 uc3 close UC3-2026-0006
	# the same second is not behind
	run -0 env UC3_NOW=2026-11-27T09:00:00+07:00 uc3 escalate UC3-2026-0001
}

@test "UC3_NOW that is not a time" {
	setup_states
	refused escalate "UC3_NOW" env UC3_NOW=yesterday uc3 escalate UC3-2026-0001
	refused close "UC3_NOW" env UC3_NOW=2026-13-01T00:00:00+07:00 uc3 close UC3-2026-0006
}

@test "deliver a ticket that is open, delivered or closed" {
	setup_states
	refused deliver '^uc3 deliver: UC3-2026-0001 is open, not answered yet$' uc3 deliver UC3-2026-0001
	refused deliver 'UC3-2026-0002 is open, not answered yet' uc3 deliver -m x UC3-2026-0002
	refused deliver 'UC3-2026-0004 is already delivered' uc3 deliver UC3-2026-0004
	refused deliver 'UC3-2026-0005 is closed' uc3 deliver UC3-2026-0005
}

@test "close a ticket that is open, answered or closed" {
	setup_states
	refused close '^uc3 close: UC3-2026-0001 is open, not answered yet$' uc3 close -u X UC3-2026-0001
	refused close '^uc3 close: UC3-2026-0003 is answered, not delivered yet$' uc3 close -u X UC3-2026-0003
	refused close '^uc3 close: UC3-2026-0005 is already closed$' uc3 close UC3-2026-0005
	refused close 'UC3-2026-0005 is already closed' uc3 close --unit Lain UC3-2026-0005
}

@test "close without a unit: has no unit, give --unit" {
	setup_states
	refused close '^uc3 close: UC3-2026-0004 has no unit .*--unit' uc3 close UC3-2026-0004
	refused close 'UC3-2026-0004 has no unit' uc3 close --unit "" UC3-2026-0004
	# the ticket that has one closes without --unit
	run -0 uc3 close UC3-2026-0006
	equal "$output" "UC3-2026-0006: closed and archived (unit: Fakultas Teknik)"
}

@test "close with a blank unit: no unit either" {
	setup_states
	refused close 'unit' uc3 close --unit "   " UC3-2026-0004
}

@test "close with a unit that has a line break or invalid UTF-8" {
	setup_states
	refused close 'unit contains a line break' uc3 close --unit $'Bagian\nKeuangan' UC3-2026-0004
	refused close 'unit contains a line break' uc3 close --unit $'Bagian\rKeuangan' UC3-2026-0004
	refused close 'invalid UTF-8 in --unit' uc3 close --unit $'Bagian \xff' UC3-2026-0004
}

@test "close with a unit that has a Unicode line break (NEL, U+2028, U+2029), as new refuses it" {
	setup_states
	local u
	for u in $'Bagian\u0085Keuangan' $'Bagian\u2028Keuangan' $'Bagian\u2029Keuangan'; do
		refused new '^uc3 new: unit contains a line break$' new_ticket -u "$u"
		refused close '^uc3 close: --unit contains a line break$' uc3 close --unit "$u" UC3-2026-0004
	done
}

@test "a unit or a level with a line break written by hand: the ticket does not read" {
	setup_states
	local p=tickets/2026/11/UC3-2026-0006.yaml
	# 0006's unit, edited by hand to hold U+2028, committed with git
	sed -i 's/^unit: Fakultas Teknik$/unit: "Fakultas\\LTeknik"/' "$p"
	git commit -q -am "0006: unit"
	equal "$(yget "$p" unit)" $'Fakultas\u2028Teknik'
	snapshot
	refused close "^uc3 close: $p:[0-9]+:7: unit contains a line break\$" uc3 close UC3-2026-0006
	refused close "^uc3 close: $p:[0-9]+:7: unit contains a line break\$" uc3 close -u X UC3-2026-0006
	# and the audit names the commit that wrote it
	run -1 --separate-stderr uc3 verify
	matches "$output" "^[0-9a-f]{7} UC3-2026-0006: the file does not read: $p:[0-9]+:7: unit contains a line break\$"
	# a level that would end its trailer: the same
	p=tickets/2026/11/UC3-2026-0001.yaml
	sed -i 's/^level: staf$/level: "staf\\nTicket: UC3-2026-0002"/' "$p"
	git commit -q -am "0001: level"
	snapshot
	refused answer "^uc3 answer: $p:[0-9]+:8: level contains a line break\$" uc3 answer -m x UC3-2026-0001
}

@test "close a ticket without a requester: the archive needs one" {
	setup_states
	# a hand-made ticket with no requester, committed with git
	sed -i '/^requester:/,/^  email:/d' tickets/2026/11/UC3-2026-0004.yaml
	git commit -q -am "0004: no requester"
	run -3 yget tickets/2026/11/UC3-2026-0004.yaml requester
	snapshot
	refused close 'UC3-2026-0004 has no requester' uc3 close -u "Bagian Umum" UC3-2026-0004
}

@test "an unknown id, for every step" {
	setup_states
	local t
	for t in "${TOOLS[@]}"; do
		refused "$t" "^uc3 $t: no ticket UC3-2026-0099\$" uc3 "$t" "$(args_for "$t")" X UC3-2026-0099
	done
	# answer without text: the unknown ticket is said first, not the empty text
	refused answer "^uc3 answer: no ticket UC3-2026-0099\$" uc3 answer UC3-2026-0099
	refused escalate "no ticket UC3-2025-0001" uc3 escalate UC3-2025-0001
	refused close "no ticket UC3-2026-0099" uc3 close -u X UC3-2026-0099
}

@test "a malformed id, for every step" {
	setup_states
	local t id
	for t in "${TOOLS[@]}"; do
		for id in ../../etc/passwd UC3-2026-1x 1x 2026-x UC3-2026-0001x "" \
			"tickets/2026/11/UC3-2026-0001.yaml" $'UC3-2026-0001\n'; do
			refused "$t" "is not a ticket id: give its number \\(42\\), year and number \\(2026-42\\) or the whole id \\(UC3-2026-0042\\)\$" \
				uc3 "$t" "$(args_for "$t")" X "$id"
		done
		refused "$t" "'XYZ-2026-0001' is not an id of these records: theirs start UC3-\$" \
			uc3 "$t" "$(args_for "$t")" X XYZ-2026-0001
	done
	# a control character in the id is not written to the terminal as such
	refused escalate 'x1b' uc3 escalate $'UC3-\e[2J'
}

@test "no id, two ids: exit 2, the error and the usage" {
	setup_states
	local t
	for t in "${TOOLS[@]}"; do
		usage_refused "$t" "which ticket\\? give its id" uc3 "$t"
		usage_refused "$t" "one ticket id at a time" uc3 "$t" UC3-2026-0001 UC3-2026-0003
		usage_refused "$t" "one ticket id at a time" "uc3-$t" UC3-2026-0004 UC3-2026-0004
	done
}

@test "an unknown option, for every step: exit 2, the error and the usage" {
	setup_states
	local t
	for t in "${TOOLS[@]}"; do
		usage_refused "$t" "unknown option --frobnicate\$" uc3 "$t" --frobnicate UC3-2026-0001
		usage_refused "$t" "unknown option -Z\$" "uc3-$t" -Z UC3-2026-0001
	done
	# options that other steps have
	usage_refused escalate "unknown option -u" uc3 escalate -u X UC3-2026-0001
	usage_refused close "unknown option -F" uc3 close -F x UC3-2026-0004
	usage_refused deliver "unknown option -F" uc3 deliver -F /dev/null UC3-2026-0003
}

@test "an option without its value: exit 2, the error and the usage" {
	setup_states
	usage_refused escalate "option -m needs a value" uc3 escalate UC3-2026-0001 -m
	usage_refused answer "option -F needs a value" uc3 answer UC3-2026-0001 -F
	usage_refused deliver "option --message needs a value" uc3 deliver UC3-2026-0003 --message
	usage_refused close "option --unit needs a value" uc3 close UC3-2026-0004 --unit
	usage_refused close "option -C needs a value" uc3 close UC3-2026-0004 -C
}

@test "--help and -h for each step: the usage on stdout, exit 0, nothing changed" {
	setup_states
	local t h
	for t in "${TOOLS[@]}"; do
		for h in --help -h; do
			run -0 --separate-stderr uc3 "$t" "$h"
			equal "$stderr" ""
			matches "${lines[0]}" "^usage: uc3 $t \\[-C dir\\] .*id\$"
			matches "$output" "uc3-$t\\(1\\)"
			local direct="$output"
			run -0 --separate-stderr "uc3-$t" "$h"
			equal "$output" "$direct"
			# --help wins over an id: nothing is done
			run -0 --separate-stderr uc3 "$t" "$h" UC3-2026-0001
			equal "$output" "$direct"
			repo_unchanged
		done
	done
	run -0 uc3 escalate --help
	matches "$output" "-m, --message NOTE"
	run -0 uc3 answer --help
	matches "$output" "-F, --file FILE"
	run -0 uc3 close --help
	matches "$output" "-u, --unit UNIT"
	# help needs no repository
	cd "$T"
	for t in "${TOOLS[@]}"; do
		run -0 uc3 "$t" --help
	done
}

@test "--help is aligned: the options' descriptions start in one column" {
	local t
	for t in "${TOOLS[@]}"; do
		run -0 uc3 "$t" --help
		python3 -c '
import re, sys
cols = set()
for line in sys.stdin.read().splitlines():
    m = re.match(r"  -\S.*?\S( {2,})\S", line)
    if m:
        cols.add(m.end(1))
if len(cols) != 1:
    sys.exit("options of uc3 %s --help start in columns %s:\n%s" % (sys.argv[1], sorted(cols), sys.argv[2]))
' "$t" "$output" <<<"$output"
	done
}

@test "--version for each step" {
	local t v
	v="$(sed -n 's/^VERSION *:= *//p' "$UC3_ROOT/Makefile")"
	for t in "${TOOLS[@]}"; do
		run -0 --separate-stderr uc3 "$t" --version
		equal "$output" "uc3 $v"
		equal "$stderr" ""
	done
}

@test "answer with an empty text: -m, -F, standard input" {
	setup_states
	refused answer '^uc3 answer: the answer is empty$' uc3 answer -m "" UC3-2026-0001
	refused answer 'the answer is empty' uc3 answer -m $'  \n\t\n ' UC3-2026-0001
	: >"$T/empty"
	refused answer 'the answer is empty' uc3 answer -F "$T/empty" UC3-2026-0001
	printf '\n\n   \n' >"$T/blank"
	refused answer 'the answer is empty' uc3 answer -F "$T/blank" UC3-2026-0001
	refused answer 'the answer is empty' uc3 answer -F - UC3-2026-0001
	refused answer 'the answer is empty' uc3 answer UC3-2026-0001
	run -2 --separate-stderr bash -c 'printf "\n \n" | uc3 answer UC3-2026-0001'
	one_line_error "uc3 answer" "the answer is empty"
	repo_unchanged
}

@test "answer --send, deliver --send: nothing recorded when sendmail fails; -m with deliver --send" {
	setup_states
	UC3_SENDMAIL=false refused answer '^uc3 answer: sendmail failed \(exit 1\).*; nothing was recorded$' \
		uc3 answer --send -m x UC3-2026-0001
	UC3_SENDMAIL=false refused deliver 'sendmail failed \(exit 1\)' uc3 deliver --send UC3-2026-0003
	refused deliver '^uc3 deliver: -m does not go with --send' uc3 deliver -m x UC3-2026-0003 --send
}

@test "answer with -m and -F together" {
	setup_states
	echo "Dari berkas." >"$T/a.txt"
	refused answer '^uc3 answer: -m and -F cannot be used together$' \
		uc3 answer -m x -F "$T/a.txt" UC3-2026-0001
	refused answer '-m and -F' uc3 answer -F - --message x UC3-2026-0001
}

@test "answer -F of a missing or unreadable file" {
	setup_states
	refused answer "cannot read $T/nope" uc3 answer -F "$T/nope" UC3-2026-0001
	refused answer "cannot read" uc3 answer -F "$T" UC3-2026-0001
}

@test "answer text that is not UTF-8, holds a NUL byte or is over the limit" {
	setup_states
	refused answer 'invalid UTF-8 in the answer' uc3 answer -m $'caf\xe9' UC3-2026-0001
	printf 'Latin-1: caf\xe9\n' >"$T/latin1"
	refused answer 'invalid UTF-8' uc3 answer -F "$T/latin1" UC3-2026-0001
	head -c 2000000 /dev/zero | tr '\0' a >"$T/big"
	refused answer 'over the limit of 1048576 bytes' uc3 answer -F "$T/big" UC3-2026-0001
	# uc3 new refuses a NUL in the body; the answer must not lose what follows one
	printf 'Bagian satu\0bagian dua\n' >"$T/nul"
	refused answer 'NUL' uc3 answer -F "$T/nul" UC3-2026-0001
}

@test "a note that is not UTF-8" {
	setup_states
	refused escalate 'invalid UTF-8 in the note' uc3 escalate -m $'\xff' UC3-2026-0001
	refused deliver 'invalid UTF-8 in the note' uc3 deliver -m $'\xc3' UC3-2026-0003
}

@test "a ticket file with uncommitted or staged hand edits is not overwritten" {
	setup_states
	local f=tickets/2026/11/UC3-2026-0001.yaml
	echo "# catatan tangan" >>"$f"
	snapshot
	refused escalate "$f has uncommitted edits" uc3 escalate UC3-2026-0001
	refused answer "$f has uncommitted edits" uc3 answer -m x UC3-2026-0001
	equal "$(tail -1 "$f")" "# catatan tangan"
	git add "$f"
	snapshot
	refused escalate "$f has (uncommitted|staged) edits" uc3 escalate UC3-2026-0001
	# staged, and the work tree put back as committed
	git show "HEAD:$f" >"$f"
	snapshot
	refused escalate "$f has staged edits" uc3 escalate UC3-2026-0001
	git reset -q -- "$f"
	git checkout -q -- "$f"
	# and once it is clean again the step goes through
	run -0 uc3 escalate UC3-2026-0001
}

@test "a hand-broken ticket file: the file, line and column" {
	setup_states
	sed -i 's/^status: open/status: [open/' tickets/2026/11/UC3-2026-0001.yaml
	git commit -q -am "broken by hand"
	snapshot
	refused escalate 'tickets/2026/11/UC3-2026-0001\.yaml:[0-9]+:[0-9]+' uc3 escalate UC3-2026-0001
	refused answer 'tickets/2026/11/UC3-2026-0001\.yaml:[0-9]+:[0-9]+' uc3 answer -m x UC3-2026-0001
	# the other tickets still step
	run -0 uc3 deliver UC3-2026-0003
}

@test "outside a records repository, and -C of a missing directory" {
	cd "$T"
	local t
	for t in "${TOOLS[@]}"; do
		run -2 --separate-stderr uc3 "$t" UC3-2026-0001
		equal "$output" ""
		one_line_error "uc3 $t" "not a records repository"
		run -2 --separate-stderr uc3 "$t" -C "$T/nope" UC3-2026-0001
		one_line_error "uc3 $t" "not a records repository"
	done
}

@test "refusals on a bare repository change nothing either" {
	init_bare
	cd "$T"
	new_ticket -C "$BARE" >/dev/null
	uc3 -C "$BARE" escalate UC3-2026-0001 >/dev/null
	uc3 -C "$BARE" escalate UC3-2026-0001 >/dev/null
	uc3 -C "$BARE" escalate UC3-2026-0001 >/dev/null
	snapshot "$BARE"
	refused escalate 'UC3-2026-0001 is already at kabiro, the top of the chain' \
		uc3 escalate -C "$BARE" UC3-2026-0001
	refused deliver 'is open, not answered yet' uc3 -C "$BARE" deliver UC3-2026-0001
	refused close 'is open, not answered yet' uc3 close -C "$BARE" -u X UC3-2026-0001
	refused answer 'the answer is empty' uc3 answer -C "$BARE" -m " " UC3-2026-0001
	refused answer 'no ticket UC3-2026-0002' uc3 answer -C "$BARE" -m x UC3-2026-0002
	equal "$(commit_count "$BARE")" 5
}
