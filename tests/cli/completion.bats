#!/usr/bin/env bats
# Bash completion, completion/uc3.bash: the function called as bash calls
# it at a TAB (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set, COMPREPLY
# read), and what it asks uc3: --list-cmds, --completion-helper and
# uc3 complete. Then make install's place for the script.

load helper

COMPLETION="$UC3_ROOT/completion/uc3.bash"

# Two open tickets and nothing closed, so that the ids offered are the
# same whether uc3 list shows every ticket or only those not closed.
two_open_tickets() {
	init_repo
	new_ticket -u "Fakultas Hukum" >/dev/null
	SUBJECT="Kartu mahasiswa hilang" new_ticket >/dev/null
}

# complete WORD...: complete the last word after the others (the word
# $at when it is set), as bash does at a TAB, in a shell of its own that
# sourced the script (without -e, as an interactive shell is). The
# replies, one a line, go to $reply; the test fails when the function
# wrote anything on stdout or stderr.
complete_words() {
	local out
	out="$(
		set +e
		# shellcheck source=/dev/null
		source "$COMPLETION"
		COMP_WORDS=("$@")
		COMP_CWORD=${at:-$(($# - 1))}
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		if [ -n "${at:-}" ]; then
			local w="${COMP_WORDS[*]:0:at+1}"
			COMP_POINT=${#w}
		fi
		_uc3 uc3 "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" \
			>"$T/comp.out" 2>"$T/comp.err"
		if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}"; fi
	)"
	reply="$out"
	if [ -s "$T/comp.out" ] || [ -s "$T/comp.err" ]; then
		echo "the completion wrote to the terminal:" >&2
		cat "$T/comp.out" "$T/comp.err" >&2
		return 1
	fi
}

# The lines of the arguments, as $reply holds them.
lines_of() {
	if (($#)); then printf '%s\n' "$@"; fi
}

@test "the script is sourced without output and registers _uc3 for uc3" {
	run -0 --separate-stderr bash -c 'source "$1" && complete -p uc3' _ "$COMPLETION"
	equal "$output" "complete -F _uc3 uc3"
	equal "$stderr" ""
}

@test "uc3 TAB: every command the dispatcher finds, and help" {
	local expect
	expect="$( (cd "$UC3_BIN" && ls uc3-* | sed 's/^uc3-//'; echo help) | LC_ALL=C sort)"
	run -0 --separate-stderr uc3 --list-cmds
	equal "$output" "$expect"
	equal "$stderr" ""
	complete_words uc3 ""
	equal "$reply" "$expect"
	complete_words uc3 es
	equal "$reply" "escalate"
	complete_words uc3 -C somewhere ""
	equal "$reply" "$expect"
	complete_words uc3 help ""
	equal "$reply" "$expect"
	complete_words uc3 help sh
	equal "$reply" "show"
	# --list-cmds is for completion: not in uc3's help
	run -0 uc3 --help
	[[ "$output" != *list-cmds* ]]
}

@test "uc3's own options, and a tool's from its own table: every long option of --help" {
	local t o
	complete_words uc3 -
	equal "$reply" "$(lines_of --version -h --help -C)"
	for t in new list escalate answer; do
		complete_words uc3 "$t" --
		for o in $(uc3 "$t" --help | grep -oE -- '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
			grep -qx -- "$o" <<<"$reply" || {
				echo "uc3 $t: $o is in --help but not completed" >&2
				return 1
			}
		done
		grep -qx -- --help <<<"$reply"
	done
	complete_words uc3 new -
	matches "$reply" '^-k$'
	matches "$reply" '^--kind$'
	matches "$reply" '^-C$'
	complete_words uc3 answer --s
	equal "$reply" "--send"
	complete_words uc3 list --gr
	equal "$reply" "--grep"
}

@test "--completion-helper: names, the value's name and a fixed set of values, tab-separated" {
	run -0 --separate-stderr uc3 close --completion-helper
	equal "$stderr" ""
	matches "$output" $'^--as\tspam\\|duplicate\tspam\\|duplicate$'
	matches "$output" $'^-u --unit\tUNIT$'
	run -0 uc3 list --completion-helper
	matches "$output" $'^--format\tFMT\ttext\\|json\\|ids$'
	matches "$output" $'^--mine$'
	# the dispatcher gives it to the command as it is, -C and all
	run -0 uc3 new --completion-helper
	matches "$output" $'^-k --kind\tKIND$'
	matches "$output" $'^-F --file\tFILE$'
}

@test "kinds and channels from the policy, after -k, --kind and --kind=" {
	fixture_repo two_open_tickets
	complete_words uc3 new -k ""
	equal "$reply" "$(lines_of pertanyaan keluhan saran lainnya)"
	complete_words uc3 new --kind ke
	equal "$reply" "keluhan"
	# bash splits --kind=ke at the "="
	complete_words uc3 new --kind = ke
	equal "$reply" "keluhan"
	complete_words uc3 new --kind =
	equal "$reply" "$(lines_of pertanyaan keluhan saran lainnya)"
	complete_words uc3 edit --channel te
	equal "$reply" "telepon"
	# a kind the office adds is offered at once
	edit_policy 's/^kinds: \[pertanyaan, keluhan, saran, lainnya\]$/kinds: [pertanyaan, keluhan, saran, lainnya, pengaduan]/'
	complete_words uc3 new -k pe
	equal "$reply" "$(lines_of pertanyaan pengaduan)"
}

@test "units: names with spaces are quoted as the line needs them" {
	fixture_repo two_open_tickets
	complete_words uc3 new -u 'Fakultas\ H'
	equal "$reply" 'Fakultas\ Hukum'
	# inside an open quote the shell closes the quote itself
	complete_words uc3 close -u '"Fakultas H'
	equal "$reply" 'Fakultas Hukum'
	complete_words uc3 edit -u "'Fakultas H"
	equal "$reply" 'Fakultas Hukum'
	complete_words uc3 new -u UPT
	equal "$reply" "$(lines_of 'UPT\ TIK' 'UPT\ Perpustakaan')"
	complete_words uc3 new -u LP
	equal "$reply" "$(lines_of LP2M LP3M)"
}

@test "units: a name with a quote, a dollar or a backslash inside an open quote stays one word, as typed" {
	fixture_repo two_open_tickets
	# names such units have: Ma'had Al-Jami'ah; the others are for the shell
	edit_policy "s/^units:\$/units:\\n  - {name: \"Ma'had Al-Jami'ah\"}\\n  - {name: 'Unit \$HOME \"q\" \\\\ x'}/"
	complete_words uc3 new -u "'Ma"
	equal "$reply" "Ma'\\''had Al-Jami'\\''ah"
	complete_words uc3 new -u '"Ma'
	equal "$reply" "Ma'had Al-Jami'ah"
	complete_words uc3 new -u '"Unit'
	equal "$reply" 'Unit \$HOME \"q\" \\ x'
	complete_words uc3 new -u "'Unit"
	equal "$reply" 'Unit $HOME "q" \ x'
	complete_words uc3 new -u Ma
	equal "$reply" "Ma\\'had\\ Al-Jami\\'ah"
	# ending with the quote: closed here, as the shell closes it only
	# after a last character that is not the quote
	edit_policy "s/^units:\$/units:\\n  - {name: 'Toko \"Buku\"'}\\n  - {name: \"Toko O'\"}/"
	complete_words uc3 new -u '"Toko \"'
	equal "$reply" 'Toko \"Buku\""'
	complete_words uc3 new -u "'Toko O"
	equal "$reply" "Toko O'\\'''"
	# what the shell makes of each: the name itself
	equal "$(eval "printf '%s' 'Ma'\\''had Al-Jami'\\''ah'")" "Ma'had Al-Jami'ah"
	equal "$(eval "printf '%s' \"Unit \\\$HOME \\\"q\\\" \\\\ x\"")" 'Unit $HOME "q" \ x'
}

@test "roles for --level, --holder and --role; statuses, several with commas; formats; close --as" {
	fixture_repo two_open_tickets
	complete_words uc3 list --holder ""
	equal "$reply" "$(lines_of staf wakor koordinator kabiro)"
	complete_words uc3 list --level k
	equal "$reply" "$(lines_of koordinator kabiro)"
	complete_words uc3 person add x@unej.ac.id --role w
	equal "$reply" "wakor"
	complete_words uc3 list --status ""
	equal "$reply" "$(lines_of open answered delivered closed)"
	complete_words uc3 list --status open,
	equal "$reply" "$(lines_of open,answered open,delivered open,closed)"
	complete_words uc3 list --status open,d
	equal "$reply" "open,delivered"
	complete_words uc3 list --format ""
	equal "$reply" "$(lines_of text json ids)"
	complete_words uc3 show --format ""
	equal "$reply" "$(lines_of text json html)"
	complete_words uc3 close --as d
	equal "$reply" "duplicate"
}

@test "open ids for the tools that take one, as people type them; nothing after the id" {
	fixture_repo two_open_tickets
	local t both
	both="$(lines_of UC3-2026-0001 UC3-2026-0002)"
	for t in escalate answer deliver close reopen edit attach show log; do
		complete_words uc3 "$t" ""
		equal "$reply" "$both"
	done
	complete_words uc3 escalate uc3-2026-
	equal "$reply" "$both"
	complete_words uc3 escalate 2
	equal "$reply" "UC3-2026-0002"
	complete_words uc3 escalate 0001
	equal "$reply" "UC3-2026-0001"
	complete_words uc3 escalate 2026-2
	equal "$reply" "UC3-2026-0002"
	complete_words uc3 escalate 2025-2
	equal "$reply" ""
	# an option's value is not the id
	complete_words uc3 escalate -m "Data tidak ada." ""
	equal "$reply" "$both"
	complete_words uc3 escalate UC3-2026-0001 ""
	equal "$reply" ""
	# show takes several, each once
	complete_words uc3 show UC3-2026-0001 ""
	equal "$reply" "UC3-2026-0002"
	complete_words uc3 close --as duplicate --of ""
	equal "$reply" "$both"
}

@test "file names after attach ID and for -F; directories for -C and init" {
	fixture_repo two_open_tickets
	mkdir -p "$T/w/scans"
	touch "$T/w/scan-1.pdf" "$T/w/scan-2.pdf" "$T/w/jawaban.txt"
	cd "$T/w"
	complete_words uc3 -C ../r attach UC3-2026-0001 sc
	equal "$(sort <<<"$reply")" "$(lines_of scan-1.pdf scan-2.pdf scans)"
	complete_words uc3 -C ../r attach UC3-2026-0001 scan-1.pdf ja
	equal "$reply" "jawaban.txt"
	complete_words uc3 answer -F ja
	equal "$reply" "jawaban.txt"
	complete_words uc3 new --file = ja
	equal "$reply" "jawaban.txt"
	complete_words uc3 -C s
	equal "$reply" "scans"
	complete_words uc3 list -C s
	equal "$reply" "scans"
	complete_words uc3 init s
	equal "$reply" "scans"
}

@test "-C dir is respected, before or after the command, also as -Cdir and ~/dir" {
	fixture_repo two_open_tickets
	cd "$T"
	complete_words uc3 -C r new -k ke
	equal "$reply" "keluhan"
	complete_words uc3 new -C r -u 'Fakultas\ H'
	equal "$reply" 'Fakultas\ Hukum'
	complete_words uc3 -Cr list --holder s
	equal "$reply" "staf"
	at=2 complete_words uc3 escalate "" -C r
	equal "$reply" "$(lines_of UC3-2026-0001 UC3-2026-0002)"
	mv "$T/r" "$HOME/records"
	UC3_REPOS=("$HOME/records")
	complete_words uc3 -C '~/records' escalate 1
	equal "$reply" "UC3-2026-0001"
	complete_words uc3 -C '"'"$HOME"'/records"' new -c e
	equal "$reply" "email"
}

@test "outside a records repository: no policy words, no ids, nothing on stderr" {
	cd "$T"
	complete_words uc3 new -k ""
	equal "$reply" ""
	complete_words uc3 new -u ""
	equal "$reply" ""
	complete_words uc3 list --holder ""
	equal "$reply" ""
	complete_words uc3 escalate ""
	equal "$reply" ""
	complete_words uc3 -C "$T/nowhere" show ""
	equal "$reply" ""
	# the commands and options are still there
	complete_words uc3 esc
	equal "$reply" "escalate"
	run -0 --separate-stderr uc3 complete kinds
	equal "$output" ""
	equal "$stderr" ""
}

@test "uc3 complete: the policy's words one a line; a bad list is a usage error, exit 2" {
	fixture_repo two_open_tickets
	run -0 --separate-stderr uc3 complete roles
	equal "$output" "$(lines_of staf wakor koordinator kabiro)"
	equal "$stderr" ""
	run -0 uc3 complete units
	matches "$output" '^Fakultas Hukum$'
	run -0 uc3 complete channels
	equal "${lines[0]}" "email"
	run -0 uc3 complete statuses
	equal "$output" "$(lines_of open answered delivered closed)"
	run -2 --separate-stderr uc3 complete people
	equal "$output" ""
	matches "$stderr" "^uc3 complete: unknown list 'people'"
	run -2 --separate-stderr uc3 complete
	matches "$stderr" "^uc3 complete: which words\\?"
	run -2 --separate-stderr uc3 complete kinds units
	matches "$stderr" "^uc3 complete: one list at a time"
	# a policy no tool can read: nothing, quietly
	printf 'kinds: [\n' >uc3.yaml
	git commit -q -m "policy: broken" uc3.yaml
	run -0 --separate-stderr uc3 complete kinds
	equal "$output" ""
	equal "$stderr" ""
}

@test "uc3 complete --help: the usage is the man page's SYNOPSIS, exit 0" {
	local usage synopsis
	run -0 --separate-stderr uc3 complete --help
	equal "$stderr" ""
	matches "$output" 'See uc3-complete\(1\)'
	usage="$(sed -n '1,/^$/p' <<<"$output" | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/ *$//')"
	synopsis="$(mandoc -Tascii -O width=200 "$UC3_ROOT/man/uc3-complete.1" | sed "s/.\x08//g" |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' |
		sed 's/^ *//; s/ *$//')"
	equal "$synopsis" "$usage"
}

@test "make install puts the script in bash-completion's directory, as uc3, under DESTDIR" {
	local stage="$T/stage"
	# no pkg-config file for bash-completion: PREFIX's share
	make -s -C "$UC3_ROOT" install-completion DESTDIR="$stage" PREFIX=/opt/uc3 PKG_CONFIG=false
	cmp "$COMPLETION" "$stage/opt/uc3/share/bash-completion/completions/uc3"
	# the directory bash-completion's pkg-config file names
	printf '#!/bin/sh\n[ "$1" = --variable=completionsdir ] && [ "$2" = bash-completion ] && echo /usr/share/bash-completion/completions\n' >"$T/pkg-config"
	chmod +x "$T/pkg-config"
	make -s -C "$UC3_ROOT" install-completion DESTDIR="$stage" PKG_CONFIG="$T/pkg-config"
	cmp "$COMPLETION" "$stage/usr/share/bash-completion/completions/uc3"
	[ "$(stat -c %a "$stage/usr/share/bash-completion/completions/uc3")" = 644 ]
	# make install does it too, and uninstall takes it away
	run -0 make -s -n -C "$UC3_ROOT" install DESTDIR="$stage" PKG_CONFIG=false PREFIX=/opt/uc3
	matches "$output" "completion/uc3\\.bash $stage/opt/uc3/share/bash-completion/completions/uc3\$"
	run -0 make -s -n -C "$UC3_ROOT" uninstall DESTDIR="$stage" PKG_CONFIG=false PREFIX=/opt/uc3
	matches "$output" "$stage/opt/uc3/share/bash-completion/completions/uc3"
}
