#!/usr/bin/env bats
# uc3 list of open work reads the open-ticket index ($GIT_DIR/uc3/open-index)
# and only the files it names; closed tickets stream month folder by month
# folder (uc3-list(1)).

load helper

# Tickets in three month folders, in every state: open at staf, escalated
# to wakor, answered, delivered, closed, closed as spam. Built once a file.
make_months() {
	init_repo
	local m id
	for m in 09 10 11; do
		for id in 1 2 3; do
			SUBJECT="Tiket $m-$id" new_ticket --received "2026-$m-0$id 09:00" >/dev/null 2>&1
		done
	done
	# 2026-0001..0003 in September, 0004..0006 in October, 0007..0009 in November
	at_time 09:01 uc3 close --as spam -m "Iklan." UC3-2026-0001 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah." UC3-2026-0002 >/dev/null
	at_time 09:02 uc3 deliver UC3-2026-0002 >/dev/null
	at_time 09:03 uc3 close --unit Keuangan UC3-2026-0002 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0004 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah." UC3-2026-0005 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah." UC3-2026-0007 >/dev/null
	at_time 09:02 uc3 deliver UC3-2026-0007 >/dev/null
}

setup_file() {
	# the fixture, made once for the file; each test copies it
	setup
	fixture_repo make_months
	cd "$BATS_FILE_TMPDIR"
	teardown
}

# The ids of a JSON list on stdin, blank-separated.
json_ids() {
	python3 -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)))'
}

# uc3 list "$@" --format json, from the index as it stands, then from an
# index made again from every ticket: the same output, the same status.
same_without_index() {
	local a b rc1 rc2
	a="$(uc3 list "$@" --format json 2>"$T/err1")" && rc1=0 || rc1=$?
	rm .git/uc3/open-index
	b="$(uc3 list "$@" --format json 2>"$T/err2")" && rc2=0 || rc2=$?
	equal "$a" "$b"
	equal "$rc1" "$rc2"
	equal "$(cat "$T/err1")" "$(cat "$T/err2")"
	[ -f .git/uc3/open-index ]
}

@test "uc3 list: the open list from the index is the full walk's, kept up from the tree's changes" {
	fixture_repo make_months
	# the index is made at this tip ...
	run -0 uc3 list --format ids
	[ -f .git/uc3/open-index ]
	equal "$(sed -n 2p .git/uc3/open-index)" "tree $(git rev-parse HEAD:tickets)"
	# ... and brought up to the next by the tree's diff
	at_time 09:05 uc3 escalate UC3-2026-0008 >/dev/null
	SUBJECT="Tiket baru" new_ticket >/dev/null
	run -0 --separate-stderr uc3 list --format json
	local from_index="$output"
	equal "$(json_ids <<<"$output")" \
		"UC3-2026-0003 UC3-2026-0004 UC3-2026-0005 UC3-2026-0006 UC3-2026-0007 UC3-2026-0008 UC3-2026-0009 UC3-2026-0010"
	# every ticket, read from the tree (streamed), less the closed ones: the same JSON
	run -0 --separate-stderr uc3 list --all --format json
	python3 -c '
import json, sys
every = json.loads(sys.argv[1])
assert [t["status"] for t in every].count("closed") == 2, every
open_ = [t for t in every if t["status"] != "closed"]
assert open_ == json.loads(sys.argv[2]), (open_, sys.argv[2])
' "$output" "$from_index"
	# the same as an index made from nothing, with every filter that leaves closed out
	same_without_index
	same_without_index --status open
	same_without_index --status answered,delivered
	same_without_index --level wakor
	same_without_index --holder staf
	same_without_index --late
	same_without_index --sort deadline --reverse -n 3
	# the text table and the ids too
	run -0 uc3 list
	local text="$output"
	rm .git/uc3/open-index
	run -0 uc3 list
	equal "$output" "$text"
	equal "${#lines[@]}" 9
}

@test "uc3 list: the copy of the open files (open-files) follows the tree, and is made again when damaged" {
	fixture_repo make_months
	run -0 --separate-stderr uc3 list --format json
	local want="$output"
	[ -f .git/uc3/open-files ]
	equal "$(sed -n 2p .git/uc3/open-files)" "tree $(git rev-parse HEAD:tickets)"
	# a copy of another tree: brought up by the diff
	local f=tickets/2026/10/UC3-2026-0006.yaml
	sed -i 's/^subject: .*/subject: Diubah tangan/' "$f"
	git commit -q -am "subject by hand"
	run -0 --separate-stderr uc3 list --format json
	python3 -c '
import json, sys
a = {t["id"]: t["subject"] for t in json.loads(sys.argv[1])}
assert a["UC3-2026-0006"] == "Diubah tangan", a
' "$output"
	equal "$(sed -n 2p .git/uc3/open-files)" "tree $(git rev-parse HEAD:tickets)"
	grep -q '^subject: Diubah tangan$' .git/uc3/open-files
	git revert --no-edit HEAD >/dev/null
	# cut short, or a file's copy changed in length: not trusted, made again
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$want"
	head -c 300 .git/uc3/open-files >"$T/cut" && cp "$T/cut" .git/uc3/open-files
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$want"
	sed -i 's/^subject: Tiket 10-3$/subject: Tiket 10-3 diubah/' .git/uc3/open-files
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$want"
	printf 'garbage\n' >.git/uc3/open-files
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$want"
	rm .git/uc3/open-files
	run -0 --separate-stderr uc3 list --format json
	equal "$output" "$want"
}

@test "uc3 list: a ticket closed or escalated by a plain git commit is listed as the file says" {
	fixture_repo make_months
	run -0 uc3 list --format ids
	grep -qx UC3-2026-0007 <<<"$output"
	# delivered, then closed by hand
	local f=tickets/2026/11/UC3-2026-0007.yaml
	sed -i -e 's/^status: delivered$/status: closed/' -e '/^deadline: /d' -e '/^level: /d' "$f"
	grep -q '^status: closed$' "$f"
	# open at staf, escalated by hand
	local g=tickets/2026/11/UC3-2026-0009.yaml
	sed -i 's/^level: staf$/level: wakor/' "$g"
	grep -q '^level: wakor$' "$g"
	git commit -q -am "closed and escalated by hand"
	run -0 --separate-stderr uc3 list --format json
	python3 -c '
import json, sys
a = {t["id"]: t for t in json.loads(sys.argv[1])}
assert "UC3-2026-0007" not in a, a.keys()
assert a["UC3-2026-0009"]["level"] == "wakor", a["UC3-2026-0009"]
' "$output"
	run -0 uc3 list --level wakor --format ids
	equal "$(tr '\n' ' ' <<<"$output")" "UC3-2026-0004 UC3-2026-0009 "
	run -0 uc3 list --status closed --format ids
	equal "$(tr '\n' ' ' <<<"$output")" "UC3-2026-0001 UC3-2026-0002 UC3-2026-0007 "
	# reopened by hand: listed again
	git revert --no-edit HEAD >/dev/null
	run -0 uc3 list --status delivered --format ids
	equal "$output" "UC3-2026-0007"
}

@test "uc3 list: a broken file is named from the index too, the others listed, exit 2" {
	fixture_repo make_months
	run -0 uc3 list --format ids
	local f=tickets/2026/10/UC3-2026-0006.yaml
	echo "  bad: [" >>"$f"
	git commit -q -am "broken by hand"
	run -2 --separate-stderr uc3 list --format json
	equal "$(json_ids <<<"$output")" \
		"UC3-2026-0003 UC3-2026-0004 UC3-2026-0005 UC3-2026-0007 UC3-2026-0008 UC3-2026-0009"
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	matches "${stderr_lines[1]}" "^uc3 list: 1 ticket file could not be read"
	same_without_index
	same_without_index --status open
	# --all reads it from the tree: the same words
	run -2 --separate-stderr uc3 list --all --format ids
	matches "${stderr_lines[0]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	! grep -qx UC3-2026-0006 <<<"$output"
}

@test "uc3 list --all streams: the first month is out before the last is read, and head stops it" {
	fixture_repo make_months
	# November's last file broken: named on stderr when the walk reads it,
	# after September and October are printed (stdout and stderr in one
	# pipe); read all first, the name would come first
	local f=tickets/2026/11/UC3-2026-0009.yaml
	echo "  bad: [" >>"$f"
	git commit -q -am "broken by hand"
	run -2 uc3 list --all --format ids
	equal "${lines[0]}" UC3-2026-0001
	equal "${lines[5]}" UC3-2026-0006
	matches "${lines[6]}" "^uc3 list: $f:[0-9]+:[0-9]+: "
	equal "${lines[7]}" UC3-2026-0007
	git revert --no-edit HEAD >/dev/null
	# head -1 takes the first line; uc3 ends at its next write (SIGPIPE) or stops
	run -0 bash -c 'set -o pipefail; timeout 20 uc3 list --all --format ids | head -1; rc=("${PIPESTATUS[@]}"); [ "${rc[0]}" = 0 ] || [ "${rc[0]}" = 141 ]'
	equal "$output" UC3-2026-0001
	# with SIGPIPE ignored, the write fails instead: uc3 stops, quietly, exit 0
	run -0 --separate-stderr bash -c 'trap "" PIPE; set -o pipefail; timeout 20 uc3 list --all --format ids | head -1'
	equal "$output" UC3-2026-0001
	equal "$stderr" ""
	# -n stops the walk in the default order: the first N of the whole order
	run -0 uc3 list --all -n 4 --format ids
	equal "$(tr '\n' ' ' <<<"$output")" "UC3-2026-0001 UC3-2026-0002 UC3-2026-0003 UC3-2026-0004 "
	# the streamed JSON is one array, in the order a full read sorts
	run -0 --separate-stderr uc3 list --all --format json
	equal "$(json_ids <<<"$output")" "$(seq -f 'UC3-2026-%04g' 1 9 | tr '\n' ' ' | sed 's/ $//')"
	run -0 --separate-stderr uc3 list --all --reverse --format json
	equal "$(json_ids <<<"$output")" "$(seq -f 'UC3-2026-%04g' 9 -1 1 | tr '\n' ' ' | sed 's/ $//')"
	# the streamed table lines up from month to month, under its one heading
	run -0 uc3 list --all
	equal "${#lines[@]}" 10
	python3 - "$output" <<'PY'
import sys
lines = sys.argv[1].split("\n")
names = ["ID", "RECEIVED", "KIND", "STATUS", "LEVEL", "HOLDER", "DEADLINE", "LEFT", "SUBJECT"]
starts = [lines[0].index(n) for n in names]
assert sum(l.startswith("ID ") for l in lines) == 1, lines
for l in lines[1:]:
    for i, s in enumerate(starts):
        assert not s or l[s - 1] == " ", (names[i], l)
        assert l[s] != " ", (names[i], l)
    assert l[starts[3]:].startswith(("open", "answered", "delivered", "closed")), l
PY
	matches "${lines[1]}" '^UC3-2026-0001  2026-09-01 09:00  keluhan +closed \(spam\) +- +- +- +- +Tiket 09-1$'
}

@test "uc3 list: bad input is refused with one line, exit 2, nothing changed" {
	fixture_repo make_months
	run -0 uc3 list --format ids
	cp .git/uc3/open-index "$T/index"
	snapshot
	local args
	for args in "--status bogus" "--status open,bogus" "--all --sort nope" "--level nobody" \
		"--holder nobody" "--format yaml" "-n 0 --all"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr uc3 list $args
		equal "$output" ""
		one_line_error "uc3 list"
	done
	repo_unchanged
	cmp .git/uc3/open-index "$T/index"
}
