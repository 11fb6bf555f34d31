#!/usr/bin/env bats
# uc3 log: the history from git, newest first, with signatures (DESIGN 2b, 4, 7);
# and the time left, step and holders that uc3 show and uc3 list print (DESIGN 6).

load helper

# The first 7 hex digits of commit $1, as uc3 log prints them.
short() {
	git -C "${2:-.}" rev-parse "$1" | cut -c1-7
}

# One ticket through the whole procedure, each step at its own time:
# new 09:00, escalate 09:04 (staf step on time) with a note, answer 10:20
# (the wakor step was due 10:04: late), deliver 10:22 with a note (due
# 10:25), close 10:30 (the archive step was due 10:27: late).
procedure() {
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:04:00+07:00 uc3 escalate UC3-2026-0001 \
		-m "Data pembayaran tidak ada di Humas." >/dev/null
	UC3_NOW=2026-11-27T10:20:00+07:00 uc3 answer UC3-2026-0001 \
		-m "Pembayaran Anda sudah diverifikasi." >/dev/null
	UC3_NOW=2026-11-27T10:22:00+07:00 uc3 deliver UC3-2026-0001 \
		-m "Disampaikan lewat telepon." >/dev/null
	UC3_NOW=2026-11-27T10:30:00+07:00 uc3 close UC3-2026-0001 --unit "Bagian Keuangan" >/dev/null
}

# The "sig:..." word of every line of uc3 log's text $1 that has one.
sigs() {
	grep -o 'sig:[a-z]*' <<<"$1" | tr '\n' ' '
}

# The entry lines (not the notes) of uc3 log's text $1: "ticket action" each.
entries() {
	grep -v '^    ' <<<"$1" | awk '{print $4, $5}' | tr '\n' ','
}

# From the table that uc3 list printed ($1), "ID=LEFT" for every row, cut on
# the columns where the headings start.
left_column() {
	python3 - "$1" <<'PY'
import sys
lines = sys.argv[1].split("\n")
head = lines[0]
i, l, s = head.index("ID"), head.index("LEFT"), head.index("SUBJECT")
print(" ".join("%s=%s" % (r[i:head.index("RECEIVED")].strip(), r[l:s].strip()) for r in lines[1:]))
PY
}

# Commit the work tree with plain git at a fixed date (the hand of a person).
hand_commit() {
	GIT_AUTHOR_DATE=2026-11-27T11:00:00+07:00 GIT_COMMITTER_DATE=2026-11-27T11:00:00+07:00 \
		git commit -q -a "$@"
}

# --- uc3 log ---

@test "uc3 log: every event newest first, from -> to, notes on their own lines, late steps" {
	init_repo
	procedure
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "$output" "2026-11-27 10:30  $(short HEAD)  UC3-2026-0001  close                   humas1@unej.ac.id  sig:none  (archive step late)
2026-11-27 10:22  $(short HEAD~1)  UC3-2026-0001  deliver                 humas1@unej.ac.id  sig:none
    Disampaikan lewat telepon.
2026-11-27 10:20  $(short HEAD~2)  UC3-2026-0001  answer                  humas1@unej.ac.id  sig:none  (wakor step late)
2026-11-27 09:04  $(short HEAD~3)  UC3-2026-0001  escalate staf -> wakor  humas1@unej.ac.id  sig:none
    Data pembayaran tidak ada di Humas.
2026-11-27 09:00  $(short HEAD~4)  UC3-2026-0001  new                     humas1@unej.ac.id  sig:none
2026-11-27 09:00  $(short HEAD~5)  -              init                    humas1@unej.ac.id  sig:none
    Start the records of University Customer Care Center (UC3), Universitas Jember"
	# the same through the dispatcher's -C, from elsewhere
	cd "$T"
	run -0 uc3 -C "$REPO" log
	matches "${lines[0]}" '^2026-11-27 10:30  [0-9a-f]{7}  UC3-2026-0001  close '
	run -0 uc3 log -C "$REPO"
	equal "${#lines[@]}" 9 # six entries, three notes
}

@test "uc3 log ID: only that ticket's events, and not the init commit" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:01:00+07:00 SUBJECT="Jadwal wisuda" KIND=pertanyaan new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 escalate UC3-2026-0001 -m satu >/dev/null
	UC3_NOW=2026-11-27T09:03:00+07:00 uc3 escalate UC3-2026-0002 -m dua >/dev/null
	UC3_NOW=2026-11-27T09:04:00+07:00 uc3 escalate UC3-2026-0001 >/dev/null
	run -0 uc3 log
	equal "$(entries "$output")" "UC3-2026-0001 escalate,UC3-2026-0002 escalate,UC3-2026-0001 escalate,UC3-2026-0002 new,UC3-2026-0001 new,- init,"
	run -0 --separate-stderr uc3 log UC3-2026-0001
	equal "$stderr" ""
	equal "$output" "2026-11-27 09:04  $(short HEAD)  UC3-2026-0001  escalate wakor -> koordinator  humas1@unej.ac.id  sig:none
2026-11-27 09:02  $(short HEAD~2)  UC3-2026-0001  escalate staf -> wakor         humas1@unej.ac.id  sig:none
    satu
2026-11-27 09:00  $(short HEAD~4)  UC3-2026-0001  new                            humas1@unej.ac.id  sig:none"
	run -0 uc3 log UC3-2026-0002
	equal "$output" "2026-11-27 09:03  $(short HEAD~1)  UC3-2026-0002  escalate staf -> wakor  humas1@unej.ac.id  sig:none
    dua
2026-11-27 09:01  $(short HEAD~3)  UC3-2026-0002  new                     humas1@unej.ac.id  sig:none"
	# the id may come before the options
	run -0 uc3 log UC3-2026-0002 --format json
	python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [o["ticket"] for o in a] == ["UC3-2026-0002"] * 2, a
assert [o["action"] for o in a] == ["escalate", "new"], a
' <<<"$output"
}

@test "uc3 log -n: at most N entries, the newest" {
	init_repo
	procedure
	run -0 uc3 log -n 2
	equal "$(entries "$output")" "UC3-2026-0001 close,UC3-2026-0001 deliver,"
	equal "${#lines[@]}" 3 # the deliver note is the third line
	run -0 uc3 log --max-count 3
	equal "$(entries "$output")" "UC3-2026-0001 close,UC3-2026-0001 deliver,UC3-2026-0001 answer,"
	run -0 uc3 log --max-count=1
	equal "$(entries "$output")" "UC3-2026-0001 close,"
	run -0 uc3 log -n1 UC3-2026-0001
	equal "$(entries "$output")" "UC3-2026-0001 close,"
	# more than there is: everything
	run -0 uc3 log -n 100
	equal "$(entries "$output")" "UC3-2026-0001 close,UC3-2026-0001 deliver,UC3-2026-0001 answer,UC3-2026-0001 escalate,UC3-2026-0001 new,- init,"
	run -0 uc3 log -n 2 --format json
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert [o["action"] for o in a] == ["close", "deliver"], a' <<<"$output"
}

@test "uc3 log -n counts entries, also when one commit appended two events" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	# two events in one commit, as answer --send and overdue --mail make them
	cat >>"$(ticket_path UC3-2026-0001)" <<'EOF'
- at: 2026-11-27T09:10:00+07:00
  by: humas1@unej.ac.id
  action: note
  note: satu
- at: 2026-11-27T09:11:00+07:00
  by: humas1@unej.ac.id
  action: note
  note: dua
EOF
	hand_commit -m "two notes"
	run -0 uc3 log
	# both are events the commit appended, newest first, of the same commit
	equal "$output" "2026-11-27 09:11  $(short HEAD)  UC3-2026-0001  note  humas1@unej.ac.id  sig:none
    dua
2026-11-27 09:10  $(short HEAD)  UC3-2026-0001  note  humas1@unej.ac.id  sig:none
    satu
2026-11-27 09:00  $(short HEAD~1)  UC3-2026-0001  new   humas1@unej.ac.id  sig:none
2026-11-27 09:00  $(short HEAD~2)  -              init  humas1@unej.ac.id  sig:none
    Start the records of University Customer Care Center (UC3), Universitas Jember"
	run -0 uc3 log -n 1
	equal "$(entries "$output")" "UC3-2026-0001 note,"
	equal "${lines[1]}" "    dua"
	run -0 uc3 log -n 2
	equal "$(entries "$output")" "UC3-2026-0001 note,UC3-2026-0001 note,"
	run -0 uc3 log -n 1 --format json
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert len(a) == 1 and a[0]["note"] == "dua", a' <<<"$output"
}

@test "uc3 log --format json: one object per event with the contract's fields" {
	init_repo
	procedure
	run -0 --separate-stderr uc3 log --format json
	equal "$stderr" ""
	# one object a line, inside [ and ]
	equal "${lines[0]}" "["
	equal "${lines[${#lines[@]} - 1]}" "]"
	equal "${#lines[@]}" 8
	python3 - "$output" "$(git rev-list HEAD | tr '\n' ' ')" <<'PY'
import json, subprocess, sys
a = json.loads(sys.argv[1])
commits = sys.argv[2].split()
assert isinstance(a, list) and len(a) == 6, a
assert [o["commit"] for o in a] == commits, ([o["commit"] for o in a], commits)
for o in a:
    t = subprocess.run(["git", "cat-file", "-t", o["commit"]], capture_output=True, text=True)
    assert t.stdout == "commit\n", (o["commit"], t.stdout, t.stderr)
    for k in ("commit", "ticket", "at", "by", "action", "signature", "uc3_event"):
        assert k in o, (k, o)
    assert o["signature"] == "none", o
    del o["commit"]
def step(name, due, late):
    return {"name": name, "due": due, "late": late}
T = "UC3-2026-0001"
me = "humas1@unej.ac.id"
want = [
    {"ticket": T, "at": "2026-11-27T10:30:00+07:00", "by": me, "action": "close",
     "step": step("archive", "2026-11-27T10:27:00+07:00", True)},
    {"ticket": T, "at": "2026-11-27T10:22:00+07:00", "by": me, "action": "deliver",
     "note": "Disampaikan lewat telepon.", "step": step("deliver", "2026-11-27T10:25:00+07:00", False)},
    {"ticket": T, "at": "2026-11-27T10:20:00+07:00", "by": me, "action": "answer",
     "step": step("wakor", "2026-11-27T10:04:00+07:00", True)},
    {"ticket": T, "at": "2026-11-27T09:04:00+07:00", "by": me, "action": "escalate",
     "from": "staf", "to": "wakor", "note": "Data pembayaran tidak ada di Humas.",
     "step": step("staf", "2026-11-27T09:05:00+07:00", False)},
    {"ticket": T, "at": "2026-11-27T09:00:00+07:00", "by": me, "action": "new"},
    {"ticket": None, "at": "2026-11-27T09:00:00+07:00", "by": me, "action": "init",
     "note": "Start the records of University Customer Care Center (UC3), Universitas Jember"},
]
for o, w in zip(a, want):
    w["signature"] = "none"
    w["uc3_event"] = w["ticket"] is not None
    assert o == w, (o, w)
PY
	# --format=json and text as the default
	run -0 uc3 log --format=json
	python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 6' <<<"$output"
	run -0 uc3 log --format text
	local text="$output"
	run -0 uc3 log
	equal "$output" "$text"
}

@test "uc3 log: a ticket edited by hand and committed with git is changed without a uc3 event" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i 's/^subject: .*/subject: Pembayaran UKT (diubah)/' "$p"
	hand_commit -m "fix the subject by hand"
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "${lines[0]}" "2026-11-27 11:00  $(short HEAD)  UC3-2026-0001  edit  humas1@unej.ac.id  sig:none  (changed without a uc3 event)"
	equal "${lines[1]}" "    fix the subject by hand"
	equal "$(entries "$output")" "UC3-2026-0001 edit,UC3-2026-0001 new,- init,"
	# only the hand edit is marked
	equal "$(grep -c 'changed without a uc3 event' <<<"$output")" 1
	run -0 uc3 log UC3-2026-0001
	equal "${lines[0]}" "2026-11-27 11:00  $(short HEAD)  UC3-2026-0001  edit  humas1@unej.ac.id  sig:none  (changed without a uc3 event)"
	run -0 uc3 log --format json -n 1
	python3 - "$output" "$(git rev-parse HEAD)" <<'PY'
import json, sys
a = json.loads(sys.argv[1])
assert a == [{"commit": sys.argv[2], "ticket": "UC3-2026-0001", "at": "2026-11-27T11:00:00+07:00",
              "by": "humas1@unej.ac.id", "action": "edit", "note": "fix the subject by hand",
              "signature": "none", "uc3_event": False}], a
PY
	# by someone else, at another offset, shown in the policy's zone: the
	# time of the first event moved, and an event appended after it; what
	# follows a rewritten history is not a uc3 event
	sed -i 's/^- at: 2026-11-27T09:00:00+07:00$/- at: 2026-11-27T08:00:00+07:00/' "$p"
	printf -- '- at: 2026-11-27T12:00:00+07:00\n  by: lain@example.com\n  action: note\n  note: tambahan\n' >>"$p"
	GIT_AUTHOR_NAME=Lain GIT_AUTHOR_EMAIL=lain@example.com \
		GIT_AUTHOR_DATE=2026-11-27T05:30:00Z GIT_COMMITTER_DATE=2026-11-27T05:30:00Z \
		git commit -q -am "UC3-2026-0001: rewrite when it was registered"
	run -0 uc3 log -n 1
	equal "$output" "2026-11-27 12:30  $(short HEAD)  UC3-2026-0001  edit  lain@example.com  sig:none  (changed without a uc3 event)
    UC3-2026-0001: rewrite when it was registered"
	run -0 uc3 log --format json -n 1
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert a[0]["action"] == "edit" and a[0]["uc3_event"] is False, a' <<<"$output"
}

@test "uc3 log: an event whose person was rewritten by hand taints what the commit appends" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	local p
	p="$(ticket_path UC3-2026-0001)"
	# the first event now says someone else registered it, and a new event
	# is appended in the same commit
	sed -i 's/^  by: humas1@unej.ac.id$/  by: orang-lain@example.com/' "$p"
	printf -- '- at: 2026-11-27T10:00:00+07:00\n  by: humas1@unej.ac.id\n  action: note\n  note: tambahan\n' >>"$p"
	grep -q '^  by: orang-lain@example.com$' "$p"
	hand_commit -m "rewrite who registered it"
	run -0 uc3 log -n 1
	equal "$output" "2026-11-27 11:00  $(short HEAD)  UC3-2026-0001  edit  humas1@unej.ac.id  sig:none  (changed without a uc3 event)
    rewrite who registered it"
}

@test "uc3 log: commits that change no ticket: init, the policy, with their Action trailer or edit" {
	init_repo
	GIT_AUTHOR_DATE=2026-11-27T10:00:00+07:00 GIT_COMMITTER_DATE=2026-11-27T10:00:00+07:00 \
		edit_policy 's/^require_signed: false$/require_signed: false # checked/' "policy: a comment"
	hand_commit --allow-empty -m "policy: nothing" -m "Action: policy"
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "$(entries "$output")" "- policy,- edit,- init,"
	equal "${lines[0]}" "2026-11-27 11:00  $(short HEAD)  -  policy  humas1@unej.ac.id  sig:none"
	equal "${lines[1]}" "    policy: nothing"
	equal "${lines[2]}" "2026-11-27 10:00  $(short HEAD~1)  -  edit    humas1@unej.ac.id  sig:none"
	equal "${lines[3]}" "    policy: a comment"
	equal "${lines[4]}" "2026-11-27 09:00  $(short HEAD~2)  -  init    humas1@unej.ac.id  sig:none"
	equal "${lines[5]}" "    Start the records of University Customer Care Center (UC3), Universitas Jember"
	equal "$(trailer Action HEAD~2)" "init"
	run -0 uc3 log --format json
	python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [(o["ticket"], o["action"], o["uc3_event"]) for o in a] == \
    [(None, "policy", False), (None, "edit", False), (None, "init", False)], a
assert a[2]["note"].startswith("Start the records of "), a
assert "from" not in a[2] and "step" not in a[2], a
' <<<"$output"
	# with an id, they are not shown
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	run -0 uc3 log UC3-2026-0001
	equal "$(entries "$output")" "UC3-2026-0001 new,"
}

@test "uc3 log: ssh-signed commits are sig:good, the unsigned init commit sig:none" {
	init_repo
	ssh_signing
	procedure
	equal "$(git log --format=%G? | tr -d '\n')" "GGGGGN"
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "$(sigs "$output")" "sig:good sig:good sig:good sig:good sig:good sig:none "
	run -0 uc3 log --format json
	python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [o["signature"] for o in a] == ["good"] * 5 + ["none"], a
' <<<"$output"
	run -0 uc3 log -n 1 UC3-2026-0001
	matches "$output" '  close +humas1@unej\.ac\.id  sig:good  \(archive step late\)$'
}

@test "uc3 log: a signed commit with no allowed signers file to check it against is sig:unknown" {
	init_repo
	ssh_signing
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	git config --unset gpg.ssh.allowedSignersFile
	# git cannot check it here: it says N, though the commit carries a signature
	equal "$(git log -1 --format=%G? 2>/dev/null)" "N"
	git cat-file commit HEAD | grep -q '^gpgsig -----BEGIN SSH SIGNATURE-----$'
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "$(sigs "$output")" "sig:unknown sig:none "
	run -0 uc3 log --format json -n 1
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert a[0]["signature"] == "unknown", a' <<<"$output"
}

@test "uc3 log: a signed commit changed after signing is sig:bad" {
	init_repo
	ssh_signing
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	# the same commit with its subject altered, its signature kept
	local forged
	forged="$(git cat-file commit HEAD | sed 's/^UC3-2026-0001: new keluhan:/UC3-2026-0001: new saran:/' |
		git hash-object -t commit -w --stdin)"
	git update-ref -m forged HEAD "$forged"
	equal "$(git log -1 --format=%G?)" "B"
	run -0 --separate-stderr uc3 log
	equal "$stderr" ""
	equal "${lines[0]}" "2026-11-27 09:00  $(short "$forged")  UC3-2026-0001  new   humas1@unej.ac.id  sig:bad"
	equal "$(sigs "$output")" "sig:bad sig:none "
	run -0 uc3 log --format json -n 1
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert a[0]["signature"] == "bad", a' <<<"$output"
}

@test "uc3 log works on a bare repository" {
	init_bare
	UC3_DIR="$BARE" UC3_NOW=2026-11-27T09:00:00+07:00 run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	UC3_DIR="$BARE" UC3_NOW=2026-11-27T09:04:00+07:00 run -0 uc3 escalate UC3-2026-0001 -m lanjut
	run -0 --separate-stderr uc3 -C "$BARE" log
	equal "$stderr" ""
	equal "$output" "2026-11-27 09:04  $(short HEAD "$BARE")  UC3-2026-0001  escalate staf -> wakor  humas1@unej.ac.id  sig:none
    lanjut
2026-11-27 09:00  $(short HEAD~1 "$BARE")  UC3-2026-0001  new                     humas1@unej.ac.id  sig:none
2026-11-27 09:00  $(short HEAD~2 "$BARE")  -              init                    humas1@unej.ac.id  sig:none
    Start the records of University Customer Care Center (UC3), Universitas Jember"
	UC3_DIR="$BARE" run -0 uc3 log --format json UC3-2026-0001
	python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [o["action"] for o in a] == ["escalate", "new"], a
' <<<"$output"
	cd "$BARE"
	run -0 uc3 log -n 1
	equal "$(entries "$output")" "UC3-2026-0001 escalate,"
}

@test "uc3 log: signatures on a bare repository" {
	init_bare
	ssh_signing "$BARE"
	UC3_DIR="$BARE" run -0 new_ticket
	run -0 uc3 -C "$BARE" log
	equal "$(sigs "$output")" "sig:good sig:none "
}

@test "uc3 log of an unknown or malformed id: exit 2, nothing on stdout" {
	init_repo
	new_ticket >/dev/null
	snapshot
	run -2 --separate-stderr uc3 log UC3-2026-0099
	equal "$output" ""
	one_line_error "uc3 log" "no ticket UC3-2026-0099"
	run -2 --separate-stderr uc3 log UC3-2025-0001
	one_line_error "uc3 log" "no ticket UC3-2025-0001"
	for id in ../../etc/passwd tickets/2026/11/UC3-2026-0001.yaml uc3-2026-0x01 UC3-2026- ''; do
		run -2 --separate-stderr uc3 log "$id"
		equal "$output" ""
		one_line_error "uc3 log" "not a ticket id"
	done
	repo_unchanged
}

@test "uc3 log with a bad -n: exit 2" {
	init_repo
	for n in 0 -1 x 2x '' 1.5; do
		run -2 --separate-stderr uc3 log -n "$n"
		equal "$output" ""
		one_line_error "uc3 log" "-n needs a positive number"
	done
	run -2 --separate-stderr uc3 log --max-count=abc
	equal "$output" ""
	one_line_error "uc3 log" "-n needs a positive number, not 'abc'"
	# -n with no value
	run -2 --separate-stderr uc3 log -n
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 log: option -n needs a value$'
	matches "$stderr" 'usage: uc3 log \[-C dir\]'
}

@test "uc3 log --help: the usage and the options on stdout, exit 0" {
	run -0 --separate-stderr uc3 log --help
	equal "$stderr" ""
	equal "${lines[0]}" "usage: uc3 log [-C dir] [-n count] [--format text|json] [id]"
	matches "$output" '-n, --max-count N'
	matches "$output" '--format FMT'
	matches "$output" 'uc3-log\(1\)'
	run -0 --separate-stderr uc3 log -h
	equal "${lines[0]}" "usage: uc3 log [-C dir] [-n count] [--format text|json] [id]"
	run -0 uc3-log --help
	equal "${lines[0]}" "usage: uc3 log [-C dir] [-n count] [--format text|json] [id]"
}

@test "uc3 log with an unknown option: the usage on stderr, exit 2" {
	init_repo
	for opt in --bogus -x --max-counts=3; do
		run -2 --separate-stderr uc3 log "$opt"
		equal "$output" ""
		matches "${stderr_lines[0]}" '^uc3 log: unknown option'
		matches "$stderr" 'usage: uc3 log \[-C dir\]'
	done
}

@test "uc3 log: two ids, an unknown format or no repository: exit 2" {
	init_repo
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 log UC3-2026-0001 UC3-2026-0001
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 log: one ticket id at most'
	run -2 --separate-stderr uc3 log --format xml
	equal "$output" ""
	one_line_error "uc3 log" "unknown format 'xml'"
	mkdir "$T/empty"
	cd "$T/empty"
	run -2 --separate-stderr uc3 log
	equal "$output" ""
	one_line_error "uc3 log" "not a records repository"
}

@test "uc3 log: a ticket file a commit left unreadable is named, the rest is printed, exit 2" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	echo 'broken: [' >>"$(ticket_path UC3-2026-0001)"
	hand_commit -m "break it"
	run -2 --separate-stderr uc3 log
	equal "$(entries "$output")" "UC3-2026-0001 edit,UC3-2026-0001 new,- init,"
	matches "${lines[0]}" 'sig:none  \(changed without a uc3 event\)$'
	equal "${#stderr_lines[@]}" 1
	matches "$stderr" "^uc3 log: .*tickets/2026/11/UC3-2026-0001\\.yaml:[0-9]+:[0-9]+: .*$(short HEAD)"
}

@test "uc3 log changes nothing" {
	init_repo
	procedure
	snapshot
	run -0 uc3 log
	run -0 uc3 log --format json -n 2 UC3-2026-0001
	run -2 uc3 log UC3-2026-0002
	repo_unchanged
}

# --- uc3 show: deadline with the time left, step, who ---

@test "uc3 show: 5m left, the step and anyone in single-user mode" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	run -0 --separate-stderr uc3 show UC3-2026-0001
	equal "$stderr" ""
	matches "$output" '^  deadline  2026-11-27 09:05, 5m left$'
	matches "$output" '^  step      staf \(Staf Humas\)$'
	matches "$output" '^  who       anyone \(single-user mode: the policy lists no people\)$'
	# the lines come in this order, after status and before file
	equal "$(sed -n 's/^  \([a-z]*\) .*/\1/p' <<<"$output" | tr '\n' ' ')" \
		"kind channel from unit received status deadline step holder who file "
	UC3_NOW=2026-11-27T09:03:30+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 09:05, 1m left$'
	UC3_NOW=2026-11-27T09:05:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 09:05, 0m left$'
}

@test "uc3 show: late by business time, Friday 10:30 to Monday 09:00 is 7h" {
	init_repo
	UC3_NOW=2026-11-27T10:25:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T10:25:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 10:30, 5m left$'
	UC3_NOW=2026-11-30T09:00:00+07:00 run -0 --separate-stderr uc3 show UC3-2026-0001
	equal "$stderr" ""
	matches "$output" '^  deadline  2026-11-27 10:30, late by 7h$'
	matches "$output" '^  step      staf \(Staf Humas\)$'
	# the week-end does not count: Saturday noon is 5h30m late
	UC3_NOW=2026-11-28T12:00:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 10:30, late by 5h 30m$'
	# late in the same day
	UC3_NOW=2026-11-27T11:15:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 10:30, late by 45m$'
}

@test "uc3 show: the step and who holds it, by the people in the committed policy" {
	init_repo
	set_people <<'EOF'
  - email: humas1@unej.ac.id
    name: Staf Satu
    roles: [staf]
  - email: humas2@unej.ac.id
    roles: [staf]
  - email: wakor@unej.ac.id
    name: Wakil Satu
    roles: [wakor]
EOF
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	run -0 uc3 show UC3-2026-0001
	matches "$output" '^  step      staf \(Staf Humas\)$'
	matches "$output" '^  who       humas1@unej\.ac\.id \(Staf Satu\), humas2@unej\.ac\.id$'
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 escalate UC3-2026-0001 >/dev/null
	UC3_NOW=2026-11-27T09:02:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  deadline  2026-11-27 10:02, 1h left$'
	matches "$output" '^  step      wakor \(Wakil Koordinator PKIH\)$'
	matches "$output" '^  who       wakor@unej\.ac\.id \(Wakil Satu\)$'
	# a role nobody holds
	UC3_NOW=2026-11-27T09:03:00+07:00 GIT_AUTHOR_EMAIL=wakor@unej.ac.id \
		uc3 escalate UC3-2026-0001 >/dev/null
	UC3_NOW=2026-11-27T09:03:00+07:00 run -0 uc3 show UC3-2026-0001
	matches "$output" '^  step      koordinator \(Koordinator PKIH\)$'
	matches "$output" '^  who       nobody has the koordinator role in uc3\.yaml$'
	# answered and delivered: the front desk's steps
	UC3_NOW=2026-11-27T09:04:00+07:00 uc3 escalate UC3-2026-0002 >/dev/null
	UC3_NOW=2026-11-27T09:10:00+07:00 GIT_AUTHOR_EMAIL=wakor@unej.ac.id \
		uc3 answer UC3-2026-0002 -m "Sudah." >/dev/null
	UC3_NOW=2026-11-27T09:11:00+07:00 run -0 uc3 show UC3-2026-0002
	matches "$output" '^  deadline  2026-11-27 09:15, 4m left$'
	matches "$output" '^  step      deliver$'
	matches "$output" '^  who       humas1@unej\.ac\.id \(Staf Satu\), humas2@unej\.ac\.id$'
	UC3_NOW=2026-11-27T09:12:00+07:00 uc3 deliver UC3-2026-0002 >/dev/null
	UC3_NOW=2026-11-27T09:12:00+07:00 run -0 uc3 show UC3-2026-0002
	matches "$output" '^  deadline  2026-11-27 09:17, 5m left$'
	matches "$output" '^  step      archive$'
	matches "$output" '^  who       humas1@unej\.ac\.id \(Staf Satu\), humas2@unej\.ac\.id$'
	# closed: no deadline, no step, nobody
	UC3_NOW=2026-11-27T09:13:00+07:00 uc3 close UC3-2026-0002 --unit "Bagian Keuangan" >/dev/null
	run -0 uc3 show UC3-2026-0002
	! grep -Eq '^  (deadline|step|who) ' <<<"$output"
	matches "$output" '^  status    closed'
}

@test "uc3 show of a closed ticket in single-user mode: no deadline, step or who" {
	init_repo
	procedure
	run -0 uc3 show UC3-2026-0001
	! grep -Eq '^  (deadline|step|who) ' <<<"$output"
	matches "$output" '^  2026-11-27 10:30  close +humas1@unej\.ac\.id  \(archive step late\)$'
}

# --- uc3 list: the LEFT column ---

@test "uc3 list: LEFT is the business time left, late, or - once closed" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T10:25:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T10:26:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T10:27:00+07:00 uc3 answer UC3-2026-0003 -m "Sudah." >/dev/null
	UC3_NOW=2026-11-27T10:28:00+07:00 uc3 deliver UC3-2026-0003 >/dev/null
	UC3_NOW=2026-11-27T10:29:00+07:00 uc3 close UC3-2026-0003 --unit "Bagian Keuangan" >/dev/null
	UC3_NOW=2026-11-27T09:00:00+07:00 run -0 --separate-stderr uc3 list --status closed
	equal "$stderr" ""
	matches "${lines[0]}" '^ID +RECEIVED +KIND +STATUS +LEVEL +HOLDER +DEADLINE +LEFT +SUBJECT$'
	matches "${lines[1]}" '^UC3-2026-0003 +2026-11-27 10:26 +keluhan +closed +- +- +- +- +Pembayaran UKT'
	UC3_NOW=2026-11-27T10:30:00+07:00 run -0 --separate-stderr uc3 list --all
	equal "$stderr" ""
	equal "$(left_column "$output")" "UC3-2026-0001=late 1h 25m UC3-2026-0002=0m UC3-2026-0003=-"
	UC3_NOW=2026-11-27T10:25:00+07:00 run -0 uc3 list --all
	equal "$(left_column "$output")" "UC3-2026-0001=late 1h 20m UC3-2026-0002=5m UC3-2026-0003=-"
	matches "${lines[2]}" '^UC3-2026-0002 +2026-11-27 10:25 +keluhan +open +staf +staf +2026-11-27 10:30 +5m +Pembayaran UKT'
	# Monday 09:00: 10:30 on Friday is 7h of office time ago
	UC3_NOW=2026-11-30T09:00:00+07:00 run -0 uc3 list --all
	equal "$(left_column "$output")" "UC3-2026-0001=late 8h 25m UC3-2026-0002=late 7h UC3-2026-0003=-"
	# the same in show
	UC3_NOW=2026-11-30T09:00:00+07:00 run -0 uc3 show UC3-2026-0002
	matches "$output" '^  deadline  2026-11-27 10:30, late by 7h$'
	# filters keep the column
	UC3_NOW=2026-11-30T09:00:00+07:00 run -0 uc3 list --status open
	equal "$(left_column "$output")" "UC3-2026-0001=late 8h 25m UC3-2026-0002=late 7h"
}

@test "uc3 list: LEFT of an escalated and of an answered ticket" {
	init_repo
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:00:00+07:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:01:00+07:00 uc3 escalate UC3-2026-0001 >/dev/null
	UC3_NOW=2026-11-27T09:02:00+07:00 uc3 answer UC3-2026-0002 -m "Sudah." >/dev/null
	UC3_NOW=2026-11-27T09:03:00+07:00 run -0 uc3 list
	equal "$(left_column "$output")" "UC3-2026-0001=58m UC3-2026-0002=4m"
	UC3_NOW=2026-11-27T10:31:00+07:00 run -0 uc3 list
	equal "$(left_column "$output")" "UC3-2026-0001=late 30m UC3-2026-0002=late 1h 24m"
}
