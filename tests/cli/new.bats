#!/usr/bin/env bats
# uc3 new: register a ticket, one file and one commit (DESIGN 2b, 3, 4, 6, 7).

load helper

P=tickets/2026/11/UC3-2026-0001.yaml

@test "uc3 new prints only the id, numbered from 0001" {
	init_repo
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0002"
	equal "$stderr" ""
	run -0 new_ticket
	equal "$output" "UC3-2026-0003"
	equal "$(git ls-tree -r --name-only HEAD tickets)" "tickets/2026/11/UC3-2026-0001.yaml
tickets/2026/11/UC3-2026-0002.yaml
tickets/2026/11/UC3-2026-0003.yaml"
}

@test "what uc3 keeps beside the repository is its owner's alone, whatever the umask" {
	init_repo
	umask 022
	run -0 new_ticket
	run -0 uc3 overdue
	run -0 uc3 verify
	for f in ids open-index verified worktree; do
		[ -f ".git/uc3/$f" ] || { echo "no .git/uc3/$f" >&2; false; }
		equal "$f $(stat -c %a ".git/uc3/$f")" "$f 600"
	done
	# and no temporary file is left beside them
	equal "$(ls -a .git/uc3 | grep -c '\.uc3-')" 0
	# the ticket in the work tree is an ordinary file, as git would write it
	equal "$(stat -c %a "$P")" 644
}

@test "the ticket file has the fields of the contract" {
	init_repo
	run -0 uc3 new -s "Pembayaran UKT belum terverifikasi" -k keluhan -c email \
		--from "Siti Aminah <siti@example.com>" -m "Sudah bayar UKT."
	[ -f "$P" ]
	# the work tree holds what was committed
	equal "$(cat "$P")" "$(git show "HEAD:$P")"
	equal "$(yget "$P" id)" "UC3-2026-0001"
	equal "$(yget "$P" subject)" "Pembayaran UKT belum terverifikasi"
	equal "$(yget "$P" kind)" "keluhan"
	equal "$(yget "$P" channel)" "email"
	equal "$(yget "$P" requester.name)" "Siti Aminah"
	equal "$(yget "$P" requester.email)" "siti@example.com"
	equal "$(yget "$P" received)" "2026-11-27T09:00:00+07:00"
	equal "$(yget "$P" status)" "open"
	equal "$(yget "$P" level)" "staf"
	equal "$(yget "$P" deadline)" "2026-11-27T09:05:00+07:00"
	equal "$(yget "$P" body)" "Sudah bayar UKT."
	equal "$(yget "$P" events.0.action)" "new"
	equal "$(yget "$P" events.0.by)" "humas1@unej.ac.id"
	equal "$(yget "$P" events.0.at)" "2026-11-27T09:00:00+07:00"
	# one event, and no unit until one is given
	run -3 yget "$P" events.1
	run -3 yget "$P" unit
	# the key order of DESIGN 4
	equal "$(grep -o '^[a-z]*:' "$P" | tr -d : | tr '\n' ' ')" \
		"id subject kind channel requester received status level deadline body events "
}

@test "one commit per new: message, trailers, author, the one file it touches" {
	init_repo
	new_ticket >/dev/null
	equal "$(commit_count)" 2
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: new keluhan: Pembayaran UKT belum terverifikasi"
	equal "$(git log -1 --format='%(trailers:key=Ticket,valueonly)')" "UC3-2026-0001"
	equal "$(git log -1 --format='%(trailers:key=Action,valueonly)')" "new"
	equal "$(git log -1 --format='%(trailers:key=To-Level,valueonly)')" "staf"
	equal "$(git log -1 --format='%(trailers:key=Deadline,valueonly)')" "2026-11-27T09:05:00+07:00"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Satu <humas1@unej.ac.id>"
	equal "$(git log -1 --format='%cn <%ce>')" "Staf Satu <humas1@unej.ac.id>"
	equal "$(git log -1 --format=%aI)" "$NOW_FRIDAY"
	equal "$(git show --format= --name-status HEAD)" "A	$P"
	# the parent is the previous tip: history stays linear
	equal "$(git rev-parse HEAD^)" "$(git rev-list --max-parents=0 HEAD)"
	SUBJECT="Jadwal wisuda" KIND=pertanyaan new_ticket >/dev/null
	equal "$(commit_count)" 3
	equal "$(git log -1 --format=%s)" "UC3-2026-0002: new pertanyaan: Jadwal wisuda"
	equal "$(git show --format= --name-only HEAD)" "tickets/2026/11/UC3-2026-0002.yaml"
	equal "$(git log --format='%(trailers:key=Action,valueonly)' | sed '/^$/d' | tr '\n' ' ')" "new new init "
}

@test "the deadline runs on the business calendar: Friday 15:58 + 5m is Monday 07:33" {
	init_repo
	export UC3_NOW=2026-11-28T10:00:00+07:00
	run -0 new_ticket --received 2026-11-27T15:58:00+07:00
	equal "$(yget "$P" received)" "2026-11-27T15:58:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-30T07:33:00+07:00"
	equal "$(git log -1 --format='%(trailers:key=Deadline,valueonly)')" "2026-11-30T07:33:00+07:00"
	# the event is when it was recorded, not when it was received
	equal "$(yget "$P" events.0.at)" "2026-11-28T10:00:00+07:00"
}

@test "received on a Saturday: the clock starts on Monday at 07:30" {
	init_repo
	export UC3_NOW=2026-11-28T11:00:00+07:00
	run -0 new_ticket
	equal "$(yget "$P" received)" "2026-11-28T11:00:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-30T07:35:00+07:00"
}

@test "--received in the local form '2026-11-27 10:00' is in the policy's zone" {
	init_repo
	export UC3_NOW=2026-11-28T10:00:00+07:00
	run -0 new_ticket --received "2026-11-27 10:00"
	equal "$(yget "$P" received)" "2026-11-27T10:00:00+07:00"
	equal "$(yget "$P" deadline)" "2026-11-27T10:05:00+07:00"
	# an instant in another offset is written with the policy's offset
	run -0 new_ticket --received 2026-11-27T03:00:00Z
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml received)" "2026-11-27T10:00:00+07:00"
}

@test "ids are numbered per year of receipt, in the policy's zone" {
	init_repo
	# the default policy lists no holidays for 2025: said on stderr
	run -0 --separate-stderr new_ticket --received 2025-12-31T10:00:00+07:00
	equal "$output" "UC3-2025-0001"
	matches "$stderr" "^uc3 new: warning: uc3.yaml lists no holidays for 2025 "
	[ -f tickets/2025/12/UC3-2025-0001.yaml ]
	run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 --separate-stderr new_ticket --received "2025-12-30 14:00"
	equal "$output" "UC3-2025-0002"
	# 20:00 UTC on 31 December is 03:00 on 1 January in Jakarta
	run -0 new_ticket --received 2025-12-31T20:00:00Z
	equal "$output" "UC3-2026-0002"
	[ -f tickets/2026/01/UC3-2026-0002.yaml ]
	equal "$(yget tickets/2026/01/UC3-2026-0002.yaml received)" "2026-01-01T03:00:00+07:00"
}

@test "body from two -m: two paragraphs" {
	init_repo
	run -0 new_ticket -m "Paragraf dua."
	yis "$P" body "Sudah bayar UKT tanggal 20, status belum berubah.

Paragraf dua.
"
	# readable without uc3: a literal block, not an escaped string
	grep -qx 'body: |' "$P"
	grep -qx '  Paragraf dua.' "$P"
}

@test "body from -F FILE" {
	init_repo
	printf 'Baris satu.\nBaris dua.\n' >"$T/body.txt"
	run -0 uc3 new -s "Dari berkas" -k saran -c surat --from "Budi <budi@example.com>" -F "$T/body.txt"
	yis "$P" body "Baris satu.
Baris dua.
"
	run -0 uc3 new -s "Dari berkas" -k saran -c surat --from "Budi <budi@example.com>" --file "$T/body.txt"
	yis tickets/2026/11/UC3-2026-0002.yaml body "Baris satu.
Baris dua.
"
}

@test "body from -F - and from a pipe on standard input" {
	init_repo
	run -0 uc3 new -s "Dari stdin" -k pertanyaan -c web --from budi@example.com -F - <<<"Isi dari -F -"
	yis "$P" body "Isi dari -F -
"
	run -0 --separate-stderr bash -c 'printf "Isi dari pipa\r\nbaris dua   \r\n\n\n" | uc3 new -s "Dari pipa" -k pertanyaan -c web --from budi@example.com'
	equal "$output" "UC3-2026-0002"
	# CRLF becomes LF, trailing blanks and empty lines go
	yis tickets/2026/11/UC3-2026-0002.yaml body "Isi dari pipa
baris dua
"
}

@test "-m and -F together: exit 2" {
	init_repo
	echo x >"$T/b"
	snapshot
	run -2 --separate-stderr new_ticket -F "$T/b"
	equal "$output" ""
	one_line_error "uc3 new" "-m and -F"
	repo_unchanged
}

@test "-F of a missing file: exit 2, nothing written" {
	init_repo
	snapshot
	run -2 --separate-stderr uc3 new -s x -k saran -c web --from a@example.com -F "$T/nope"
	equal "$output" ""
	one_line_error "uc3 new" "nope"
	repo_unchanged
}

write_editor() {
	# $1: the script's name; the rest: the lines it puts above the template
	local f="$T/$1"
	shift
	{
		echo '#!/bin/sh'
		echo 'cp "$1" "$(dirname "$0")/seen-template"'
		printf "{ printf '%%s\\\\n'"
		printf " '%s'" "$@"
		echo '; cat "$1"; } >"$1.tmp" && mv "$1.tmp" "$1"'
	} >"$f"
	chmod +x "$f"
	echo "$f"
}

@test "body from the editor on a terminal: '#' lines are stripped" {
	init_repo
	export EDITOR
	EDITOR="$(write_editor ed.sh 'Isi dari editor.' '# komentar petugas' 'Baris kedua.')"
	run -0 --separate-stderr with_tty uc3 new -s "Lewat editor" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	yis "$P" body "Isi dari editor.
Baris kedua.
"
	# the editor was shown the template, with the subject
	grep -q '^# Subject: Lewat editor$' "$T/seen-template"
	# and the template file does not outlive the command
	[ ! -e .git/uc3/NEW_TICKET ]
}

@test "VISUAL wins over EDITOR" {
	init_repo
	export VISUAL EDITOR=false
	VISUAL="$(write_editor vis.sh 'Dari VISUAL.')"
	run -0 with_tty uc3 new -s "Lewat VISUAL" -k keluhan -c langsung --from "Siti <siti@example.com>"
	yis "$P" body "Dari VISUAL.
"
}

@test "an editor that leaves only comments aborts: exit 2, nothing written" {
	init_repo
	export EDITOR=true
	snapshot
	run -2 --separate-stderr with_tty uc3 new -s "Batal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" ""
	one_line_error "uc3 new" "empty"
	repo_unchanged
	EDITOR="$(write_editor blank.sh '' '# hanya komentar' '   ')"
	run -2 --separate-stderr with_tty uc3 new -s "Batal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	one_line_error "uc3 new" "empty"
	repo_unchanged
}

@test "an editor that fails: exit 2, nothing written" {
	init_repo
	export EDITOR=false
	snapshot
	run -2 --separate-stderr with_tty uc3 new -s "Gagal" -k keluhan -c langsung --from "Siti <siti@example.com>"
	equal "$output" ""
	one_line_error "uc3 new" "editor"
	repo_unchanged
}

@test "--unit and --phone" {
	init_repo
	run -0 uc3 new -s "Telepon masuk" -k pertanyaan -c telepon --phone "+62 812-3456-7890" \
		-u "Bagian Keuangan" -m "Menanyakan jadwal."
	equal "$(yget "$P" requester.phone)" "+62 812-3456-7890"
	equal "$(yget "$P" unit)" "Bagian Keuangan"
	# a phone alone is a requester
	run -3 yget "$P" requester.name
	run -3 yget "$P" requester.email
	run -0 uc3 new -s "Dengan unit" -k saran -c web --from "Budi" --unit "Fakultas Teknik" -m x
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml unit)" "Fakultas Teknik"
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml requester.name)" "Budi"
}

@test "--from forms: 'Name <email>', '<email>', 'email', 'Name', quoted name" {
	init_repo
	new_ticket >/dev/null
	equal "$(yget "$P" requester.name)" "Siti Aminah"
	equal "$(yget "$P" requester.email)" "siti@example.com"
	FROM="<a@example.com>" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0002.yaml requester.email)" "a@example.com"
	run -3 yget tickets/2026/11/UC3-2026-0002.yaml requester.name
	FROM="b@example.com" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0003.yaml requester.email)" "b@example.com"
	FROM="Pak Budi" new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0004.yaml requester.name)" "Pak Budi"
	FROM='"Aminah, Siti" <siti@example.com>' new_ticket >/dev/null
	equal "$(yget tickets/2026/11/UC3-2026-0005.yaml requester.name)" "Aminah, Siti"
	equal "$(yget tickets/2026/11/UC3-2026-0005.yaml requester.email)" "siti@example.com"
}

@test "--from \"@account\": a social account alone is a requester, on the media-sosial channel" {
	init_repo
	run -0 uc3 new -s "Info wisuda" -k pertanyaan -c media-sosial --from "@unej_fess" -m "Kapan?"
	equal "$(grep -A2 '^requester:$' "$P")" "requester:
  social: '@unej_fess'
received: 2026-11-27T09:00:00+07:00"
	run -0 uc3 show --format json UC3-2026-0001
	python3 -c 'import json,sys; r=json.load(sys.stdin)["requester"]; assert r=={"social": "@unej_fess"}, r' <<<"$output"
	# with a name and an email beside it, as --social
	run -0 uc3 new -s "Info" -k pertanyaan -c media-sosial --from "Siti <siti@example.com>" \
		--social " @siti_a " -m x
	run -0 uc3 show --format json UC3-2026-0002
	python3 -c 'import json,sys; r=json.load(sys.stdin)["requester"]; assert r=={"name": "Siti", "email": "siti@example.com", "social": "@siti_a"}, r' <<<"$output"
}

@test "--social and --address: the address a literal block, its lines trimmed; show, json and list --grep" {
	init_repo
	run -0 uc3 new -s "Surat keberatan" -k keluhan -c surat --from "Pak Budi" \
		--social "instagram.com/pakbudi" \
		--address $'  Jl. Kalimantan 37  \r\n\tKampus Tegalboto\n\nJember 68121\n\n' -m "Isi surat."
	equal "$(sed -n '/^requester:$/,/^received:/p' "$P")" "requester:
  name: Pak Budi
  social: instagram.com/pakbudi
  address: |
    Jl. Kalimantan 37
    Kampus Tegalboto
    Jember 68121
received: 2026-11-27T09:00:00+07:00"
	yis "$P" requester.address $'Jl. Kalimantan 37\nKampus Tegalboto\nJember 68121\n'
	run -0 uc3 show UC3-2026-0001
	equal "$(grep -A3 '^  from ' <<<"$output")" "  from      Pak Budi
  social    instagram.com/pakbudi
  address   Jl. Kalimantan 37
            Kampus Tegalboto"
	matches "$output" $'\n            Jember 68121\n  unit '
	run -0 uc3 show --format json UC3-2026-0001
	python3 -c '
import json, sys
r = json.load(sys.stdin)["requester"]
assert r == {"name": "Pak Budi", "social": "instagram.com/pakbudi",
             "address": "Jl. Kalimantan 37\nKampus Tegalboto\nJember 68121\n"}, r
' <<<"$output"
	new_ticket >/dev/null
	# list --grep searches the social account and the address too
	run -0 uc3 list --grep 'Tegalboto' --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001"], a' <<<"$output"
	run -0 uc3 list --grep 'instagram\.com/pak' --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001"], a' <<<"$output"
}

@test "an address alone is a requester: the ticket is closed and uc3 verify accepts every step" {
	init_repo
	run -0 uc3 new -s "Surat" -k saran -c surat --address "Jl. Jawa 7, Jember" -m "Usul."
	yis "$P" requester.address $'Jl. Jawa 7, Jember\n'
	at_time 09:01 uc3 answer UC3-2026-0001 -m "Terima kasih." >/dev/null
	at_time 09:02 uc3 deliver UC3-2026-0001 -m "Dikirim lewat pos." >/dev/null
	run -0 at_time 09:03 uc3 close UC3-2026-0001 --unit "Bagian Umum"
	equal "$(yget "$P" status)" closed
	# and a social account alone, too
	at_time 09:04 uc3 new -s "DM" -k pertanyaan -c media-sosial --social "@unej_fess" -m "?" >/dev/null
	at_time 09:05 uc3 answer UC3-2026-0002 -m "Sudah." >/dev/null
	at_time 09:06 uc3 deliver UC3-2026-0002 -m "Dibalas lewat DM." >/dev/null
	at_time 09:07 uc3 close UC3-2026-0002 --unit Umum >/dev/null
	run -0 --separate-stderr uc3 verify --no-cache
	equal "$stderr" ""
	matches "${lines[-1]}" '^9 commits checked, 0 findings$'
}

@test "uc3 verify finds a social account or an address that uc3 new would not write" {
	init_repo
	local base how
	uc3 new -s "Surat" -k saran -c surat --from "Pak Budi" \
		--social "@budi" --address $'Jl. Jawa 7\nJember' -m "Usul." >/dev/null
	base="$(git rev-parse HEAD)"
	for how in unnormalised blank twolines; do
		git reset -q --hard "$base"
		case $how in
		# the address as typed, not as uc3 new keeps it
		unnormalised) sed -i 's/^    Jember$/      Jember/' "$P" ;;
		blank) sed -i "s/^  social: '@budi'\$/  social: ' '/" "$P" ;;
		twolines) sed -i "s/^  social: '@budi'\$/  social: \"@bu\\\\ndi\"/" "$P" ;;
		esac
		[ -n "$(git diff)" ]
		at_time 09:00 git commit -q -a --amend --no-edit
		run -1 --separate-stderr uc3 verify --no-cache
		case $how in
		unnormalised) matches "$output" 'UC3-2026-0001: requester address differs from what the step writes$' ;;
		blank) matches "$output" 'uc3 new refuses it: requester.social is empty' ;;
		twolines) matches "$output" 'uc3 new refuses it: requester.social contains a line break' ;;
		esac
	done
}

@test "--social refused: empty, blank, a line break, a control character, no account, two accounts" {
	init_repo
	snapshot
	local args
	for args in "--social=:--social is empty" \
		"--social=   :--social is empty" \
		$'--social=@unej\nfess:--social contains a line break' \
		$'--social=@unej\rfess:--social contains a line break' \
		$'--social=@unej\u2028:--social contains a line break' \
		$'--social=@unej\tfess:--social contains a control character \\(U\\+0009\\)' \
		$'--social=@unej\e[2J:--social contains a control character \\(U\\+001B\\)' \
		$'--social=@unej\xff:invalid UTF-8 in --social' \
		"--social=@:--social '@' names no account" \
		"--social=@/.:--social '@/\\.' names no account"; do
		run -2 --separate-stderr uc3 new -s x -k saran -c media-sosial -m x "${args%%:*}"
		equal "$output" ""
		one_line_error "uc3 new" "^uc3 new: ${args#*:}\$"
		repo_unchanged
	done
	run -2 --separate-stderr uc3 new -s x -k saran -c media-sosial -m x --from @a --social @b
	one_line_error "uc3 new" "^uc3 new: --from '@a' and --social '@b' are two social accounts: give one$"
	repo_unchanged
}

@test "--address refused: empty, blank lines only, a control character, invalid UTF-8" {
	init_repo
	snapshot
	local args
	for args in "--address=:--address is empty" \
		$'--address= \n\t\r\n :--address is empty' \
		$'--address=Jl. Jawa 7\nJember\a:--address contains a control character \\(U\\+0007\\) on line 2' \
		$'--address=Jl. Jawa\xc0:invalid UTF-8 in --address'; do
		run -2 --separate-stderr uc3 new -s x -k saran -c surat -m x "${args%%:*}"
		equal "$output" ""
		one_line_error "uc3 new" "^uc3 new: ${args#*:}\$"
		repo_unchanged
	done
}

@test "--from \"@...\" that is no account: blanks, a second @, an @ alone, an @ in angle brackets" {
	init_repo
	snapshot
	local from
	for from in "@unej fess" "@unej@fess" "@" "Siti <@siti>"; do
		run -2 --separate-stderr uc3 new -s x -k saran -c media-sosial -m x --from "$from"
		equal "$output" ""
		one_line_error "uc3 new" "^uc3 new: cannot read --from '.*': expected \"Name <email>\", an email, an @account or a name$"
		repo_unchanged
	done
}

@test "uc3 new --help: the usage, exit 0; the man page's SYNOPSIS is the same" {
	run -0 --separate-stderr uc3 new --help
	equal "$stderr" ""
	matches "$output" '--social ACCOUNT'
	matches "$output" '--address TEXT'
	local usage synopsis
	usage="$(uc3 new --help | sed -n '1,/^$/p' | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/ *$//')"
	synopsis="$(mandoc -Tascii -O width=200 "$UC3_ROOT/man/uc3-new.1" | sed "s/.\x08//g" |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')"
	equal "$synopsis" "$usage"
}

@test "GIT_AUTHOR_EMAIL and GIT_AUTHOR_NAME override user.email and user.name" {
	init_repo
	GIT_AUTHOR_EMAIL=humas2@unej.ac.id GIT_AUTHOR_NAME="Staf Dua" run -0 new_ticket
	equal "$(yget "$P" events.0.by)" "humas2@unej.ac.id"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Dua <humas2@unej.ac.id>"
}

@test "the identity is read from GIT_CONFIG_GLOBAL, as git reads it" {
	init_repo
	# a HOME of its own with no configuration, and the identity elsewhere
	export HOME="$T/home2"
	mkdir -p "$HOME"
	export GIT_CONFIG_GLOBAL="$T/other.gitconfig"
	git config --global user.name "Staf Tiga"
	git config --global user.email humas3@unej.ac.id
	equal "$(git config user.email)" "humas3@unej.ac.id"
	run -0 --separate-stderr new_ticket
	equal "$(yget "$P" events.0.by)" "humas3@unej.ac.id"
	equal "$(git log -1 --format='%an <%ae>')" "Staf Tiga <humas3@unej.ac.id>"
}

@test "the repository's own user.email wins over the global one" {
	init_repo
	git config user.email loket@unej.ac.id
	run -0 new_ticket
	equal "$(yget "$P" events.0.by)" "loket@unej.ac.id"
}

@test "a ticket file round-trips: YAML file, show --format json and list agree" {
	init_repo
	# a unit as free text, to be quoted in the file
	edit_policy '/^  - {name: /d; s/^units:$/units: []/' "policy: no units"
	local s='- "q" : #h '\''s'\'' 50% {b} [c] &a *b !t | Ünïcödé 日本語'
	local b=$'  indented first line\nsecond line\n# not a comment\nlast: line   '
	run -0 uc3 new -s "$s" -k saran -c media-sosial --from "Ñame Ü <u@example.com>" \
		--phone "0812" -u "Bagian: Keuangan" -m "$b"
	run -0 uc3 new -s "null" -k saran -c web --from u@example.com -m "yes"
	run -0 uc3 new -s "0042" -k saran -c web --from u@example.com -m "~"
	for id in UC3-2026-0001 UC3-2026-0002 UC3-2026-0003; do
		uc3 show --format json "$id" >"$T/$id.json"
		python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/$id.json"
		# same field names, same nesting, same values as the file
		python3 - "tickets/2026/11/$id.yaml" "$T/$id.json" <<'PY'
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    y = yaml.load(f, Loader=yaml.BaseLoader)
with open(sys.argv[2], encoding="utf-8") as f:
    j = json.load(f)
# where the ticket stands now, after the file's fields: not in the file
for k in ("holder", "left_minutes"):
    j.pop(k, None)
if y != j:
    sys.exit("file and json differ:\n%r\n%r" % (y, j))
PY
	done
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["subject"])' <"$T/UC3-2026-0001.json")" "$s"
	python3 -c 'import json,sys; b=json.load(sys.stdin)["body"]; assert b==sys.argv[1], repr(b)' \
		$'  indented first line\nsecond line\n# not a comment\nlast: line\n' <"$T/UC3-2026-0001.json"
	# plain YAML readers see strings, not null, booleans or numbers
	python3 - <<'PY'
import yaml
for n, want in (("0002", ("null", "yes\n")), ("0003", ("0042", "~\n"))):
    with open("tickets/2026/11/UC3-2026-%s.yaml" % n, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    assert (d["subject"], d["body"]) == want, (n, d["subject"], d["body"])
PY
	run -0 uc3 list --format json
	python3 -c 'import json,sys; a=json.load(sys.stdin); assert [t["id"] for t in a]==["UC3-2026-0001","UC3-2026-0002","UC3-2026-0003"], a' <<<"$output"
}

@test "uc3 new through the dispatcher and with -C from elsewhere" {
	init_repo
	cd "$T"
	run -0 uc3 -C r new -s "Dari luar" -k saran -c web --from a@example.com -m x
	equal "$output" "UC3-2026-0001"
	run -0 uc3-new -C r -s "Dari luar" -k saran -c web --from a@example.com -m x
	equal "$output" "UC3-2026-0002"
	[ -f r/tickets/2026/11/UC3-2026-0002.yaml ]
	[ ! -e tickets ]
}

@test "uc3 new in a subdirectory of the work tree writes at the top" {
	init_repo
	cd templates
	run -0 new_ticket
	[ -f "$T/r/$P" ]
	[ ! -e tickets ]
}

@test "uc3 new on a bare repository through UC3_DIR and -C" {
	init_bare
	UC3_DIR="$BARE" run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 new_ticket -C "$BARE"
	equal "$output" "UC3-2026-0002"
	equal "$(git -C "$BARE" ls-tree -r --name-only HEAD tickets)" "$P
tickets/2026/11/UC3-2026-0002.yaml"
	equal "$(commit_count "$BARE")" 3
	[ ! -e "$BARE/tickets" ]
}

@test "the kinds and channels of the policy are all accepted" {
	init_repo
	for k in pertanyaan keluhan saran lainnya; do
		KIND=$k new_ticket >/dev/null
	done
	for c in email telepon langsung surat web media-sosial; do
		CHANNEL=$c new_ticket >/dev/null
	done
	equal "$(git ls-tree -r --name-only HEAD tickets | wc -l)" 10
}
