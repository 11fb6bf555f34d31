#!/usr/bin/env bats
# Bad input (DESIGN 8): exit 2, one clear line on stderr, and nothing changed.

load helper

setup_repo() {
	fixture_repo repo_with_ticket
	snapshot
}

repo_with_ticket() {
	init_repo
	new_ticket >/dev/null
}

# uc3 new with everything right but what the arguments override.
refused() {
	# $1: the ERE the error must match; the rest: the command
	local rx="$1"
	shift
	run -2 --separate-stderr "$@"
	equal "$output" ""
	one_line_error "uc3 new" "$rx"
	repo_unchanged
}

@test "an unknown kind" {
	setup_repo
	refused "kind 'keberatan' is not one of the policy's kinds: pertanyaan, keluhan, saran, lainnya" \
		uc3 new -s x -k keberatan -c email --from a@example.com -m x
}

@test "no kind, no channel" {
	setup_repo
	refused "kind" uc3 new -s x -c email --from a@example.com -m x
	refused "channel" uc3 new -s x -k saran --from a@example.com -m x
}

@test "an unknown channel" {
	setup_repo
	refused "channel 'whatsapp' is not one of the policy's channels" \
		uc3 new -s x -k saran -c whatsapp --from a@example.com -m x
}

@test "an empty subject, a blank subject, no subject" {
	setup_repo
	refused "subject" uc3 new -s "" -k saran -c email --from a@example.com -m x
	refused "subject is empty" uc3 new -s "   " -k saran -c email --from a@example.com -m x
	refused "no subject" uc3 new -k saran -c email --from a@example.com -m x
}

@test "a line break in the subject (LF, CR)" {
	setup_repo
	refused "subject contains a line break" \
		uc3 new -s $'a\nb' -k saran -c email --from a@example.com -m x
	refused "subject contains a line break" \
		uc3 new -s $'a\rb' -k saran -c email --from a@example.com -m x
	refused "subject contains a line break" \
		uc3 new -s $'Subjek palsu\nTicket: UC3-2026-0001' -k saran -c email --from a@example.com -m x
}

@test "a CR or LF in --from, --unit, --phone" {
	setup_repo
	refused "--from contains a line break" \
		uc3 new -s x -k saran -c email --from $'Siti\rAminah <siti@example.com>' -m x
	refused "--from contains a line break" \
		uc3 new -s x -k saran -c email --from $'Siti <siti@example.com>\nBcc: x@example.com' -m x
	refused "unit contains a line break" \
		uc3 new -s x -k saran -c email --from a@example.com -u $'Bagian\nKeuangan' -m x
	refused "phone contains a line break" \
		uc3 new -s x -k saran -c telepon --phone $'0812\r0813' -m x
}

@test "a Unicode line break (NEL, U+2028, U+2029) in --from, the subject, --unit" {
	setup_repo
	local b
	for b in $'\u0085' $'\u2028' $'\u2029'; do
		refused '^uc3 new: --from contains a line break$' \
			uc3 new -s x -k saran -c email --from "Siti${b}Aminah <siti@example.com>" -m x
		refused '^uc3 new: subject contains a line break$' \
			uc3 new -s "a${b}b" -k saran -c email --from a@example.com -m x
		refused '^uc3 new: unit contains a line break$' \
			uc3 new -s x -k saran -c email --from a@example.com -u "Bagian${b}Keuangan" -m x
	done
}

@test "invalid UTF-8 in the subject, --from and the body" {
	setup_repo
	refused "invalid UTF-8 in subject" uc3 new -s $'\xff' -k saran -c email --from a@example.com -m x
	refused "invalid UTF-8 in subject" uc3 new -s $'caf\xc3' -k saran -c email --from a@example.com -m x
	refused "invalid UTF-8 in --from" uc3 new -s x -k saran -c email --from $'Sit\xe9 <a@example.com>' -m x
	refused "invalid UTF-8 in the body" uc3 new -s x -k saran -c email --from a@example.com -m $'isi \xff'
	printf 'Latin-1: caf\xe9\n' >"$T/latin1"
	refused "invalid UTF-8 in the body" uc3 new -s x -k saran -c email --from a@example.com -F "$T/latin1"
	# overlong and surrogate encodings are not UTF-8 either
	refused "invalid UTF-8" uc3 new -s $'\xc0\xaf' -k saran -c email --from a@example.com -m x
	refused "invalid UTF-8" uc3 new -s $'\xed\xa0\x80' -k saran -c email --from a@example.com -m x
}

@test "a NUL byte in the body" {
	setup_repo
	printf 'a\0b\n' >"$T/nul"
	refused "NUL" uc3 new -s x -k saran -c email --from a@example.com -F "$T/nul"
}

@test "a body over 1 MiB: the limit is in the message" {
	setup_repo
	head -c 1100000 /dev/zero | tr '\0' a >"$T/big"
	refused "over the limit of 1048576" uc3 new -s x -k saran -c email --from a@example.com -F "$T/big"
	refused "over the limit of 1048576" uc3 new -s x -k saran -c email --from a@example.com -F - <"$T/big"
	refused "over the limit of 1048576" uc3 new -s x -k saran -c email --from a@example.com <"$T/big"
}

@test "a body of exactly 1 MiB is accepted" {
	init_repo
	{
		head -c 1048575 /dev/zero | tr '\0' a
		echo
	} >"$T/mib"
	run -0 uc3 new -s x -k saran -c email --from a@example.com -F "$T/mib"
	equal "$output" "UC3-2026-0001"
}

@test "a 100 MB body is refused without reading it all" {
	setup_repo
	truncate -s 100M "$T/huge"
	refused "over the limit" timeout 60 uc3 new -s x -k saran -c email --from a@example.com -F "$T/huge"
	# From a pipe: uc3 stops reading past the limit and exits, so the writer
	# of the 100 MB is cut off by SIGPIPE (141) instead of finishing (0).
	run bash -c 'set -o pipefail; head -c 100000000 /dev/zero |
		uc3 new -s x -k saran -c email --from a@example.com -F - 2>/dev/null
		echo "${PIPESTATUS[*]}"'
	equal "${lines[-1]}" "141 2"
	repo_unchanged
}

@test "an empty body" {
	setup_repo
	refused "body is empty" uc3 new -s x -k saran -c email --from a@example.com -m ""
	refused "body is empty" uc3 new -s x -k saran -c email --from a@example.com -m $'  \n\t\n'
	refused "body is empty" uc3 new -s x -k saran -c email --from a@example.com </dev/null
}

@test "no requester" {
	setup_repo
	refused "no requester" uc3 new -s x -k saran -c email -m x
	refused "no requester|--from" uc3 new -s x -k saran -c email --from "   " -m x
}

@test "an unparsable --from" {
	setup_repo
	refused "cannot read --from 'Siti <siti'" uc3 new -s x -k saran -c email --from 'Siti <siti' -m x
	refused "--from" uc3 new -s x -k saran -c email --from 'Siti siti@' -m x
	refused "--from" uc3 new -s x -k saran -c email --from 'Siti <siti@example.com> extra' -m x
	refused "--from" uc3 new -s x -k saran -c email --from 'a@b@example.com' -m x
	refused "--from" uc3 new -s x -k saran -c email --from 'Siti <>' -m x
}

@test "--received in the future, and garbage" {
	setup_repo
	refused "in the future" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received 2026-11-27T09:01:00+07:00
	refused "in the future" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received "2027-01-01 08:00"
	refused "--received: invalid time 'kemarin'" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received kemarin
	refused "--received: invalid time" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received "2026-02-30 10:00"
	refused "--received: invalid time" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received "2026-11-27 25:00"
	refused "--received: invalid time" uc3 new -s x -k saran -c email --from a@example.com -m x \
		--received ""
}

@test "an invalid UC3_NOW" {
	setup_repo
	UC3_NOW=kemarin refused "UC3_NOW" uc3 new -s x -k saran -c email --from a@example.com -m x
	UC3_NOW= refused "UC3_NOW" uc3 new -s x -k saran -c email --from a@example.com -m x
}

@test "an unexpected argument" {
	setup_repo
	run -2 --separate-stderr uc3 new -s x -k saran -c email --from a@example.com -m x extra
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 new: unexpected argument 'extra'"
	repo_unchanged
}

@test "a policy broken by a commit: every tool names uc3.yaml:line:column" {
	init_repo
	new_ticket >/dev/null
	local line
	line=$(grep -n '^timezone:' uc3.yaml | cut -d: -f1)
	sed -i 's|^timezone: .*|timezone: Mars/Olympus|' uc3.yaml
	git commit -q -am "policy: a zone of another planet"
	snapshot
	refused "uc3\.yaml:$line:[0-9]+: .*Mars/Olympus" new_ticket
	run -2 --separate-stderr uc3 list
	equal "$output" ""
	one_line_error "uc3 list" "uc3\.yaml:$line:[0-9]+: "
	run -2 --separate-stderr uc3 show UC3-2026-0001
	equal "$output" ""
	one_line_error "uc3 show" "uc3\.yaml:$line:[0-9]+: "
	repo_unchanged
}

@test "other policy faults: unknown key, bad duration, bad hours, a zone that is a path" {
	init_repo
	local good
	good="$(git rev-parse HEAD)"
	echo "bogus_key: 1" >>uc3.yaml
	git commit -q -am "policy: unknown key"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: .*bogus_key"

	git checkout -q "$good" -- uc3.yaml
	sed -i 's/^  staf: 5m$/  staf: lima menit/' uc3.yaml
	git commit -q -am "policy: bad duration"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: "

	git checkout -q "$good" -- uc3.yaml
	sed -i 's/^    mon: 07:30-16:00$/    mon: 16:00-07:30/' uc3.yaml
	git commit -q -am "policy: hours backwards"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: "

	git checkout -q "$good" -- uc3.yaml
	sed -i 's|^timezone: .*|timezone: ../../../../etc/passwd|' uc3.yaml
	git commit -q -am "policy: a path for a zone"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: "

	git checkout -q "$good" -- uc3.yaml
	printf 'office: [\n' >uc3.yaml
	git commit -q -am "policy: not YAML"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: "

	# fixed by a commit, the tools run again
	git checkout -q "$good" -- uc3.yaml
	git commit -q -am "policy: back to the SOP"
	run -0 uc3 list
}

@test "an uncommitted broken policy in the work tree does not stop the tools" {
	init_repo
	sed -i 's|^timezone: .*|timezone: Mars/Olympus|' uc3.yaml
	cp uc3.yaml "$T/hand-edit"
	run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 uc3 list
	# the hand edit is left alone
	cmp uc3.yaml "$T/hand-edit"
	equal "$(git status --porcelain)" " M uc3.yaml"
	git checkout -q -- uc3.yaml
}

@test "an unknown id" {
	setup_repo
	run -2 --separate-stderr uc3 show UC3-2026-0002
	equal "$output" ""
	one_line_error "uc3 show" "no ticket UC3-2026-0002"
	repo_unchanged
}

@test "an id that is a path" {
	setup_repo
	run -2 --separate-stderr uc3 show ../../etc/passwd
	equal "$output" ""
	one_line_error "uc3 show" "not a ticket id"
	repo_unchanged
}

@test "an id with a line break gives a one-line error" {
	setup_repo
	run -2 --separate-stderr uc3 show $'UC3-2026-0001\nuc3 show: palsu'
	equal "$output" ""
	one_line_error "uc3 show" "not a ticket id"
	run -2 --separate-stderr uc3 list --status $'open\nclosed'
	equal "$output" ""
	one_line_error "uc3 list" "unknown status"
	run -2 --separate-stderr uc3 new -s x -k $'saran\nlainnya' -c email --from a@example.com -m x
	equal "$output" ""
	one_line_error "uc3 new" "kind"
	repo_unchanged
}

@test "control characters of an argument are not echoed raw to the terminal" {
	setup_repo
	local esc=$'\e'
	run -2 --separate-stderr uc3 show $'UC3\e]0;pwned\a-2026-0001'
	one_line_error "uc3 show" "not a ticket id"
	[[ "$stderr" != *"$esc"* ]]
	run -2 --separate-stderr uc3 new -s x -k $'\e[2Jsaran' -c email --from a@example.com -m x
	one_line_error "uc3 new" "kind"
	[[ "$stderr" != *"$esc"* ]]
	repo_unchanged
}

@test "not a records repository" {
	mkdir plain
	cd plain
	git init -q
	run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "not a records repository"
	[ -z "$(ls -A | grep -v '^\.git$')" ]
	equal "$(git status --porcelain --untracked-files=all)" ""
}

@test "a YAML alias bomb committed as a ticket file is refused fast" {
	init_repo
	for s in satu dua; do SUBJECT="$s" new_ticket >/dev/null; done
	local f=tickets/2026/11/UC3-2026-0002.yaml
	python3 - "$f" <<'PY'
import sys
lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
for i in range(1, 12):
    lines.append("lol%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9)))
with open(sys.argv[1], "a") as f:
    f.write("\n".join(lines) + "\n")
PY
	git commit -q -am "an alias bomb"
	run -2 --separate-stderr timeout 60 uc3 list
	equal "$(sed 1d <<<"$output" | awk '{print $1}')" "UC3-2026-0001"
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	run -2 --separate-stderr timeout 60 uc3 show UC3-2026-0002
	one_line_error "uc3 show" "$f:[0-9]+:[0-9]+: "
	# the writer is not stopped by it either
	run -0 timeout 10 uc3 new -s tiga -k saran -c email --from a@example.com -m x
	equal "$output" "UC3-2026-0003"
}

@test "a deeply nested ticket file is refused, not a stack overflow" {
	init_repo
	new_ticket >/dev/null
	local f=tickets/2026/11/UC3-2026-0002.yaml
	mkdir -p "${f%/*}"
	python3 -c 'import sys; sys.stdout.write("id: UC3-2026-0002\nx: " + "[" * 100000 + "]" * 100000 + "\n")' >"$f"
	git add "$f"
	git commit -q -m "deep nesting"
	run -2 --separate-stderr timeout 10 uc3 list
	equal "$(sed 1d <<<"$output" | awk '{print $1}')" "UC3-2026-0001"
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
}

@test "a ticket file with invalid UTF-8 or a NUL byte is named with line:column" {
	init_repo
	for s in satu dua tiga; do SUBJECT="$s" new_ticket >/dev/null; done
	printf 'note: caf\xe9\n' >>tickets/2026/11/UC3-2026-0001.yaml
	printf 'note: a\0b\n' >>tickets/2026/11/UC3-2026-0002.yaml
	git commit -q -am "bad bytes by hand"
	run -2 --separate-stderr uc3 list
	equal "$(sed 1d <<<"$output" | awk '{print $1}')" "UC3-2026-0003"
	matches "$stderr" "tickets/2026/11/UC3-2026-0001\.yaml:[0-9]+:[0-9]+: .*UTF-8"
	matches "$stderr" "tickets/2026/11/UC3-2026-0002\.yaml:[0-9]+:[0-9]+: .*NUL"
}

@test "an oversized ticket file committed by hand is named, the others listed" {
	init_repo
	for s in satu dua; do SUBJECT="$s" new_ticket >/dev/null; done
	local f=tickets/2026/11/UC3-2026-0001.yaml
	{
		echo "note: |"
		head -c 9000000 /dev/zero | tr '\0' a | fold -w 100 | sed 's/^/  /'
	} >>"$f"
	git commit -q -am "huge by hand"
	run -2 --separate-stderr timeout 10 uc3 list
	equal "$(sed 1d <<<"$output" | awk '{print $1}')" "UC3-2026-0002"
	matches "${stderr_lines[0]}" "^uc3 list: $f:"
}

@test "an uncommitted hand edit of a ticket file: uc3 new still works and leaves it alone" {
	init_repo
	new_ticket >/dev/null
	local f=tickets/2026/11/UC3-2026-0001.yaml
	echo "# catatan petugas, belum di-commit" >>"$f"
	cp "$f" "$T/hand-edit"
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0002"
	equal "$stderr" ""
	cmp "$f" "$T/hand-edit"
	equal "$(git status --porcelain --untracked-files=all)" " M $f"
	equal "$(git show --format= --name-only HEAD)" "tickets/2026/11/UC3-2026-0002.yaml"
	git checkout -q -- "$f"
}

@test "a staged edit of a ticket file survives a later uc3 new" {
	init_repo
	new_ticket >/dev/null
	local f=tickets/2026/11/UC3-2026-0001.yaml
	echo "note: staged" >>"$f"
	git add "$f"
	run -0 new_ticket
	equal "$output" "UC3-2026-0002"
	equal "$(git diff --cached --name-only)" "$f"
	equal "$(git show --format= --name-only HEAD)" "tickets/2026/11/UC3-2026-0002.yaml"
	git reset -q
	git checkout -q -- "$f"
}

@test "an untracked file where the next ticket goes is not overwritten" {
	init_repo
	new_ticket >/dev/null
	local f=tickets/2026/11/UC3-2026-0002.yaml
	echo "draft by hand" >"$f"
	snapshot
	run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "$f"
	repo_unchanged
	equal "$(cat "$f")" "draft by hand"
	rm "$f"
}

@test "no identity: exit 2 with advice, nothing written" {
	setup_repo
	git config --global --unset user.email
	refused "user\.email" new_ticket
}
