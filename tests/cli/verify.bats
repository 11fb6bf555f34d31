#!/usr/bin/env bats
# uc3 verify, the audit of the history (DESIGN 7): every commit signed by a
# key the policy before it gives its author, by a person whose role allows
# the step, changing exactly what its trailers say, never rewriting or
# removing an event; the root of trust; the cache of clean commits; the
# pre-receive hook on a central repository.
#
# The people sign with throwaway ssh keys made in the test (one case uses
# an OpenPGP key in $T/gnupg). Each acts by having the repository's own git
# configuration name them and their key (sign_as), as on their own machine.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml
STAF=humas1@unej.ac.id
WAKOR=wakor@unej.ac.id
KABIRO=kabiro@unej.ac.id

as_staf() { sign_as "$STAF" "$T/keys/staf" "$@"; }
as_wakor() { sign_as "$WAKOR" "$T/keys/wakor" "$@"; }
as_kabiro() { sign_as "$KABIRO" "$T/keys/kabiro" "$@"; }

# The people of the policy, as YAML sequence items, each with the public
# half of their key.
people() {
	local who
	for who in "$STAF staf staf" "$WAKOR wakor wakor" "$KABIRO kabiro kabiro"; do
		set -- $who
		printf '  - {email: %s, name: Petugas %s, roles: [%s], keys: ["%s"]}\n' \
			"$1" "$2" "$2" "$(cat "$T/keys/$3.pub")"
	done
}

# A records repository, made at 08:00, whose policy lists three people
# (staf, wakor, kabiro) with ssh keys, in a commit signed by the kabiro at
# 08:30: the root of trust, in ROOT. Git is given the same keys as allowed
# signers. Then the staf, signing, registers ticket UC3-2026-0001 at
# 09:00. Leaves the repository acting as the staf.
signed_repo() {
	at_time 08:00 init_repo
	throwaway_ssh_key staf
	throwaway_ssh_key wakor
	throwaway_ssh_key kabiro
	# for git's own checks (git log --show-signature, %G?), as an auditor has
	allowed_signers "$STAF staf" "$WAKOR wakor" "$KABIRO kabiro"
	as_kabiro
	people | at_time 08:30 set_people
	ROOT="$(git rev-parse HEAD)"
	as_staf
	at_time 09:00 new_ticket >/dev/null
}

# The rest of the ticket's life, each step by its person, signed.
whole_life() {
	as_staf
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	as_wakor
	at_time 09:40 uc3 answer "$ID" -m "Pembayaran Anda sudah terverifikasi." >/dev/null
	as_staf
	at_time 09:43 uc3 deliver "$ID" -m "Disampaikan lewat telepon." >/dev/null
	at_time 09:46 uc3 close "$ID" --unit "Bagian Keuangan" >/dev/null
}

# After run: a finding line for commit $1 (any revision) naming the ticket
# $2, its message matching the ERE $3 from its start:
# "1234abc UC3-2026-0001: message".
has_finding() {
	local c
	c="$(git rev-parse "$1")"
	matches "$output" "^${c:0:7} $2: $3"
}

# After run: the last line, the summary, is exactly $1.
summary_is() {
	equal "${lines[${#lines[@]} - 1]}" "$1"
}

# Edit the ticket file $1 in place, as a hand would: in event $2
# (1-based), set field $3 (at, by, note...) to $4; with $3 "-", delete the
# whole event.
edit_event() {
	python3 - "$@" <<'PY'
import sys
path, n, field = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path, encoding="utf-8").read().split("\n")
start = lines.index("events:") + 1
end = start
while end < len(lines) and lines[end][:2] in ("- ", "  "):
    end += 1
heads = [i for i in range(start, end) if lines[i].startswith("- ")]
i = heads[n - 1]
j = heads[n] if n < len(heads) else end
if field == "-":
    del lines[i:j]
else:
    for k in range(i, j):
        if lines[k][2:].startswith(field + ": "):
            lines[k] = lines[k][:2] + field + ": " + sys.argv[4]
            break
    else:
        sys.exit("edit_event: event %d has no %s" % (n, field))
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
}

# Give the person with email $1 the public key $2 (a file) as well, in the
# work tree's uc3.yaml (not committed).
add_key() {
	python3 - "$1" "$2" <<'PY'
import sys
email, key = sys.argv[1], open(sys.argv[2]).read().strip()
s = open("uc3.yaml", encoding="utf-8").read().split("\n")
for i, l in enumerate(s):
    if l.startswith("  - {email: %s," % email):
        s[i] = l.replace("keys: [", 'keys: ["%s", ' % key, 1)
        break
else:
    sys.exit("add_key: %s is not in uc3.yaml" % email)
open("uc3.yaml", "w", encoding="utf-8").write("\n".join(s))
PY
}

# --- A clean history ---

@test "a clean signed history verifies: exit 0, the root of trust and its signer" {
	signed_repo
	whole_life
	equal "$(git log --format=%G? -5 | tr -d '\n')" GGGGG
	snapshot
	run -0 --separate-stderr uc3 verify
	equal "$stderr" ""
	equal "${#lines[@]}" 2
	equal "${lines[0]}" "root of trust: $ROOT by $KABIRO (signed)"
	summary_is "$(commit_count) commits checked, 0 findings"
	equal "$(commit_count)" 7
	# the audit changes no ref, no file of the work tree
	repo_unchanged
	# a revision range: the commits of the ticket's life only
	run -0 uc3 verify --no-cache "$ROOT..HEAD"
	summary_is "5 commits checked, 0 findings"
}

@test "an unsigned commit is no finding while the policy does not require signatures" {
	signed_repo
	git config commit.gpgsign false
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	equal "$(git log -1 --format=%G?)" N
	run -0 uc3 verify
	summary_is "4 commits checked, 0 findings"
}

@test "a single-user repository (no people): exit 0, and it says single-user mode" {
	init_repo
	new_ticket >/dev/null
	uc3 escalate "$ID" -m "Tidak ada di Humas." >/dev/null
	run -0 --separate-stderr uc3 verify
	equal "$stderr" ""
	matches "${lines[0]}" '^single-user mode: the policy lists no people'
	summary_is "3 commits checked, 0 findings"
	run -0 uc3 verify --format json --no-cache
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["root"] is None and d["findings"] == [] and d["commits"] == 3, d
' "$output"
}

# --- Each kind of tampering is found ---

@test "an old event edited after the fact (note, at, by), in a uc3 commit amended by hand" {
	signed_repo
	as_staf
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	local base field value
	base="$(git rev-parse HEAD)"
	for field in note at by; do
		case $field in
		note) value="Sudah diteruskan ke Keuangan." ;;
		at) value="2026-11-27T09:01:00+07:00" ;;
		by) value="$KABIRO" ;;
		esac
		git reset -q --hard "$base"
		as_wakor
		at_time 09:40 uc3 answer "$ID" -m "Sudah terverifikasi." >/dev/null
		# the wakor rewrites the staf's escalation, keeping uc3's message
		edit_event "$P" 2 "$field" "$value"
		at_time 09:41 git commit -q -a --amend --no-edit
		equal "$(trailer Action)" answer
		equal "$(git log -1 --format=%G?)" G
		run -1 --separate-stderr uc3 verify --no-cache
		equal "$stderr" ""
		has_finding HEAD "$ID" 'event 2 \(escalate at 2026-11-27T09:04:00\+07:00\) was changed$'
		summary_is "5 commits checked, 1 finding"
	done
}

@test "an event deleted, in a commit that copies uc3's trailers" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	git log -1 --format=%B >"$T/msg"
	edit_event "$P" 2 -
	git add "$P"
	at_time 09:06 git commit -q -F "$T/msg"
	equal "$(trailer Ticket)" "$ID"
	run -1 uc3 verify
	has_finding HEAD "$ID" 'event 2 \(escalate at 2026-11-27T09:04:00\+07:00\) was removed$'
	summary_is "5 commits checked, 1 finding"
	# an event deleted in the middle of the history is caught too
	git reset -q --hard HEAD^
	as_wakor
	at_time 09:40 uc3 answer "$ID" -m "Sudah terverifikasi." >/dev/null
	edit_event "$P" 2 -
	at_time 09:41 git commit -q -a --amend --no-edit
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" 'event 2 \(escalate at 2026-11-27T09:04:00\+07:00\) was (changed|removed)$'
	summary_is "5 commits checked, 1 finding"
}

@test "a deadline changed by hand in a uc3 commit" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	sed -i 's/^deadline: .*/deadline: 2026-11-27T12:00:00+07:00/' "$P"
	at_time 09:04 git commit -q -a --amend --no-edit
	equal "$(trailer Deadline)" 2026-11-27T10:04:00+07:00
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "deadline is '2026-11-27T12:00:00\+07:00' where the step gives '2026-11-27T10:04:00\+07:00'$"
	summary_is "4 commits checked, 1 finding"
}

@test "a ticket file edited outside uc3 (a plain git commit, no trailers)" {
	signed_repo
	sed -i 's/^subject: .*/subject: Pembayaran UKT sudah beres/' "$P"
	at_time 09:10 git commit -q -am "fix subject"
	run -1 uc3 verify
	has_finding HEAD "$ID" "changes $P without uc3's trailers \(Ticket, Action\): edited outside uc3$"
	summary_is "4 commits checked, 1 finding"
}

@test "a uc3 commit that also changes a file outside the records is found" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	# the commit says it escalates one ticket, and brings another file
	echo "rahasia" >notes.txt
	git add notes.txt
	at_time 09:04 git commit -q --amend --no-edit
	equal "$(git show --format= --name-only HEAD | sort | tr '\n' ' ')" "notes.txt $P "
	local c
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify
	matches "$output" "^${c:0:7} [^ ]+: .*(other files|notes\.txt)"
	summary_is "4 commits checked, 1 finding"
}

@test "an unsigned commit under require_signed: true" {
	signed_repo
	as_kabiro
	sed -i 's/^require_signed: false$/require_signed: true/' uc3.yaml
	at_time 09:01 git commit -q -am "policy: require signed commits"
	as_staf
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	run -0 uc3 verify
	summary_is "5 commits checked, 0 findings"
	# the same commit with its signature stripped
	at_time 09:04 git commit -q --amend --no-edit --no-gpg-sign
	equal "$(git log -1 --format=%G?)" N
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	local c
	c="$(git rev-parse HEAD)"
	matches "$output" "^${c:0:7} [^ ]+: not signed, and the policy requires signed commits$"
	summary_is "5 commits checked (4 found clean before), 1 finding"
	# the finding names the ticket the commit changes
	has_finding HEAD "$ID" 'not signed, and the policy requires signed commits$'
}

@test "a commit signed by a key the policy does not give its author" {
	signed_repo
	throwaway_ssh_key stranger
	# the staf signs with a second key of their own, not listed
	sign_as "$STAF" "$T/keys/stranger"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	local bad1 bad2 c
	bad1="$(git rev-parse HEAD)"
	# and with the wakor's key, listed, but for someone else
	sign_as "$STAF" "$T/keys/wakor"
	at_time 09:05 new_ticket >/dev/null
	bad2="$(git rev-parse HEAD)"
	# someone who is not one of the people at all
	sign_as orang.luar@example.com "$T/keys/stranger"
	echo "catatan" >>README.md
	at_time 09:06 git commit -q -am "README: catatan"
	c="$(git rev-parse HEAD)"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	matches "$output" "^${bad1:0:7} [^ ]+: signed with an ssh key the policy does not give to $STAF$"
	matches "$output" "^${bad2:0:7} [^ ]+: signed with an ssh key the policy does not give to $STAF$"
	matches "$output" "^${c:0:7} -: signed by orang.luar@example.com, who is not one of the people in uc3.yaml$"
	summary_is "6 commits checked, 3 findings"
	# the findings name the ticket each commit changes
	has_finding "$bad1" "$ID" "signed with an ssh key the policy does not give to $STAF$"
	has_finding "$bad2" UC3-2026-0002 "signed with an ssh key the policy does not give to $STAF$"
}

@test "the right key, but a role that may not do the step: staf escalates a ticket held by wakor" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	# uc3 itself refuses it
	run -2 at_time 09:10 uc3 escalate "$ID"
	# so the staf makes the file uc3 would write in a copy of the records
	# where the policy gives them the wakor role, and commits that file,
	# with uc3's message, here, signed with their own listed key
	git clone -q "$REPO" "$T/copy"
	(
		cd "$T/copy"
		sed -i "s/^  - {email: $STAF, \(.*\)roles: \[staf\]/  - {email: $STAF, \1roles: [staf, wakor]/" uc3.yaml
		git -c commit.gpgsign=false commit -q -am "copy: staf as wakor"
		at_time 09:10 uc3 escalate "$ID" -m "Naik ke koordinator." >/dev/null
		git log -1 --format=%B >"$T/msg"
	)
	cp "$T/copy/$P" "$P"
	git add "$P"
	at_time 09:10 git commit -q -S -F "$T/msg"
	equal "$(trailer To-Level)" koordinator
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "$STAF cannot escalate $ID: it is held by wakor, and that needs the wakor role or one above it$"
	summary_is "5 commits checked, 1 finding"
	# the signature itself is good: uc3 log says "not allowed"
	local c
	c="$(git rev-parse HEAD)"
	run -0 uc3 log "$ID"
	matches "$output" "^2026-11-27 09:10  ${c:0:7}  $ID  escalate wakor -> koordinator +$STAF +sig:not allowed$"
	matches "$output" "  sig:good$"
}

@test "the kabiro cannot add their own key to the policy and use it in the same commit" {
	signed_repo
	throwaway_ssh_key kabiro2
	add_key "$KABIRO" "$T/keys/kabiro2.pub"
	sign_as "$KABIRO" "$T/keys/kabiro2"
	at_time 09:10 git commit -q -am "policy: a new key for the kabiro"
	local c
	c="$(git rev-parse HEAD)"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	matches "$output" "^${c:0:7} -: signed with an ssh key the policy does not give to $KABIRO$"
	matches "$output" "^${c:0:7} -: changes uc3.yaml, but is not signed by a holder of the kabiro role in the policy before it$"
	summary_is "4 commits checked, 2 findings"
	# done in two commits, first signed with the key already listed, it is clean
	git reset -q --hard HEAD^
	add_key "$KABIRO" "$T/keys/kabiro2.pub"
	as_kabiro
	at_time 09:10 git commit -q -am "policy: a new key for the kabiro"
	sign_as "$KABIRO" "$T/keys/kabiro2"
	at_time 09:11 uc3 escalate "$ID" >/dev/null
	run -0 uc3 verify
	summary_is "5 commits checked (3 found clean before), 0 findings"
}

@test "a staf who gives themselves a key and the kabiro role: the policy change is found" {
	signed_repo
	throwaway_ssh_key staf2
	add_key "$STAF" "$T/keys/staf2.pub"
	sed -i "s/^\(  - {email: $STAF, .*\)roles: \[staf\]/\1roles: [staf, kabiro]/" uc3.yaml
	[ -n "$(git diff)" ]
	# signed with the staf's listed key: a good signature, but not the kabiro's
	at_time 09:10 git commit -q -am "policy: my new key"
	local c
	c="$(git rev-parse HEAD)"
	sign_as "$STAF" "$T/keys/staf2"
	at_time 09:11 uc3 escalate "$ID" >/dev/null
	run -1 uc3 verify
	matches "$output" "^${c:0:7} -: changes uc3.yaml, but is not signed by a holder of the kabiro role in the policy before it$"
	matches "$output" ', [1-9][0-9]* findings?$'
}

@test "a backdated event: earlier than the event before it" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	edit_event "$P" 2 at 2026-11-27T08:50:00+07:00
	at_time 09:04 git commit -q -a --amend --no-edit
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" '.*before'
	summary_is "4 commits checked, 1 finding"
}

@test "a backdated commit: an event dated after its commit; --skew" {
	signed_repo
	# the clock says 09:04, the commit says 08:00
	UC3_NOW=2026-11-27T09:04:00+07:00 GIT_COMMITTER_DATE=2026-11-27T08:00:00+07:00 \
		uc3 escalate "$ID" >/dev/null
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" 'the event is dated 2026-11-27T09:04:00\+07:00, after its commit \(2026-11-27T08:00:00\+07:00\)$'
	# and the commit is dated an hour before the one it follows
	has_finding HEAD "$ID" 'committed at 2026-11-27T08:00:00\+07:00, before its parent [0-9a-f]{7} \(2026-11-27T09:00:00\+07:00\): backdated$'
	summary_is "4 commits checked, 2 findings"
	# within a skew of 2 hours it is allowed; 1h is not enough
	run -0 uc3 verify --skew 2h
	summary_is "4 commits checked, 0 findings"
	run -1 uc3 verify --skew 1h
	has_finding HEAD "$ID" '.*after its commit'
	# 5 minutes is the default: an event 4 minutes after its commit is fine
	git reset -q --hard HEAD^
	UC3_NOW=2026-11-27T09:04:00+07:00 GIT_COMMITTER_DATE=2026-11-27T09:00:00+07:00 \
		uc3 escalate "$ID" >/dev/null
	run -0 uc3 verify
}

# --- Output, cache, trust ---

@test "--format json: commits, root, findings with commit, ticket and problem" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	run -0 --separate-stderr uc3 verify --format json
	equal "$stderr" ""
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["commits"] == 4, d
assert d["findings"] == [], d
assert d["root"] == {"commit": sys.argv[2], "signer": "kabiro@unej.ac.id", "signed": True}, d
' "$output" "$ROOT"
	sed -i 's/^deadline: .*/deadline: 2026-11-27T12:00:00+07:00/' "$P"
	at_time 09:04 git commit -q -a --amend --no-edit
	run -1 --separate-stderr uc3 verify --format json
	equal "$stderr" ""
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["commits"] == 4 and d["cached"] == 3, d
assert d["root"]["commit"] == sys.argv[2], d
f = d["findings"]
assert len(f) == 1, f
assert f[0]["commit"] == sys.argv[3], f
assert f[0]["ticket"] == "UC3-2026-0001", f
assert f[0]["problem"].startswith("deadline is "), f
assert set(f[0]) == {"commit", "ticket", "problem"}, f
' "$output" "$ROOT" "$(git rev-parse HEAD)"
}

@test "the cache: a second run says how many were found clean before; --no-cache checks all" {
	signed_repo
	whole_life
	run -0 uc3 verify
	summary_is "7 commits checked, 0 findings"
	[ -s .git/uc3/verified ]
	grep -q "^$(git rev-parse HEAD) " .git/uc3/verified
	run -0 uc3 verify
	equal "${lines[0]}" "root of trust: $ROOT by $KABIRO (signed)"
	summary_is "7 commits checked (7 found clean before), 0 findings"
	run -0 uc3 verify --no-cache
	summary_is "7 commits checked, 0 findings"
	# another skew is another audit: the cache does not apply (and is
	# then kept for that skew)
	run -0 uc3 verify --skew 10m
	summary_is "7 commits checked, 0 findings"
	run -0 uc3 verify
	summary_is "7 commits checked, 0 findings"
	# a commit with a finding is never cached: it is found every time
	sed -i 's/^subject: .*/subject: diubah/' "$P"
	at_time 10:00 git commit -q -am "fix subject"
	run -1 uc3 verify
	summary_is "8 commits checked (7 found clean before), 1 finding"
	run -1 uc3 verify
	summary_is "8 commits checked (7 found clean before), 1 finding"
	has_finding HEAD "$ID" '.*edited outside uc3$'
	# the cache is not part of the records
	equal "$(git status --porcelain --untracked-files=all)" ""
}

@test "--trust ROOT: passes with the real root, fails with another commit" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	run -0 uc3 verify --trust "$ROOT"
	summary_is "4 commits checked, 0 findings"
	run -0 uc3 verify --no-cache --trust "${ROOT:0:12}"
	local other
	other="$(git rev-parse HEAD)"
	run -1 --separate-stderr uc3 verify --trust "$other"
	equal "$stderr" ""
	matches "$output" "^${ROOT:0:7} -: the root of trust is ${ROOT:0:12}, not the pinned $other$"
	summary_is "4 commits checked (4 found clean before), 1 finding"
	run -1 uc3 verify --no-cache --trust "$other"
	matches "$output" "not the pinned $other"
	# the first commit, made before people were listed, is not the root either
	run -1 uc3 verify --trust "$(git rev-list --max-parents=0 HEAD)"
	# a single-user repository has no root to pin
	init_repo single
	new_ticket >/dev/null
	run -1 uc3 verify --trust "$ROOT"
	matches "$output" "^------- -: no root of trust: no policy in this history lists people"
}

@test "a revision range after the root of trust is still checked against people, and --trust holds" {
	signed_repo
	whole_life
	run -0 uc3 verify --no-cache HEAD~2..HEAD
	summary_is "2 commits checked, 0 findings"
	# the policy lists people: this is no single-user mode
	equal "$(grep -c 'single-user mode' <<<"$output")" 0
	matches "$output" "^root of trust: $ROOT by $KABIRO"
	run -0 uc3 verify --no-cache --trust "$ROOT" HEAD~2..HEAD
}

@test "an OpenPGP key in keys: a clean history, and a key not listed is found" {
	signed_repo
	local fpr fpr2 c
	throwaway_gpg_key "Petugas wakor <$WAKOR>"
	fpr="$FPR"
	# the kabiro gives the wakor their OpenPGP fingerprint instead of the ssh key
	as_kabiro
	python3 - "$WAKOR" "$fpr" <<'PY'
import re, sys
s = open("uc3.yaml", encoding="utf-8").read()
s, n = re.subn(r'^(  - \{email: %s, .*keys: \[)"[^"]*"' % re.escape(sys.argv[1]),
               lambda m: m.group(1) + '"%s"' % sys.argv[2], s, flags=re.M)
assert n == 1
open("uc3.yaml", "w", encoding="utf-8").write(s)
PY
	at_time 09:01 git commit -q -am "policy: the wakor signs with OpenPGP"
	as_staf
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	git config user.email "$WAKOR"
	git config gpg.format openpgp
	git config user.signingkey "$fpr"
	at_time 09:40 uc3 answer "$ID" -m "Sudah terverifikasi." >/dev/null
	equal "$(git log -1 --format=%GF)" "$fpr"
	run -0 --separate-stderr uc3 verify
	equal "$stderr" ""
	summary_is "6 commits checked, 0 findings"
	# a second OpenPGP key of the wakor, not in the policy
	throwaway_gpg_key "Wakor Lain <$WAKOR>"
	fpr2="$FPR"
	as_staf
	at_time 09:50 new_ticket >/dev/null
	at_time 09:51 uc3 escalate UC3-2026-0002 >/dev/null
	git config user.email "$WAKOR"
	git config gpg.format openpgp
	git config user.signingkey "$fpr2"
	at_time 09:52 uc3 answer UC3-2026-0002 -m "Sudah." >/dev/null
	c="$(git rev-parse HEAD)"
	run -1 uc3 verify
	matches "$output" "^${c:0:7} [^ ]+: signed with an OpenPGP key the policy does not give to $WAKOR$"
	summary_is "9 commits checked (6 found clean before), 1 finding"
}

# --- The pre-receive hook on a central repository ---

# A bare central repository $T/central.git, made a records repository by
# pushing this one's history to it, then given uc3 verify as its
# pre-receive hook; "central" is its remote here. CENTRAL_TIP: its branch.
central_with_hook() {
	local branch
	branch="$(git symbolic-ref --short HEAD)"
	git init -q --bare -b "$branch" "$T/central.git"
	track_repo "$T/central.git"
	git remote add central "$T/central.git"
	git push -q central HEAD
	central_hooks "$T/central.git"
	# The central's clock: the time of the tests, as the pushers'.
	export UC3_HOOK_NOW="$UC3_NOW"
	CENTRAL_TIP="$(git -C "$T/central.git" rev-parse HEAD)"
	equal "$CENTRAL_TIP" "$(git rev-parse HEAD)"
}

@test "pre-receive hook: a good push is accepted, the central branch moves" {
	signed_repo
	central_with_hook
	whole_life
	# the hook's clock: the time of the last step; the three before it,
	# up to 42 minutes older, went to the central when they were made
	local c
	for c in $(git rev-list --reverse HEAD~4..HEAD~1); do
		UC3_HOOK_NOW="$(git log -1 --format=%cI "$c")" git push -q central "$c:refs/heads/$(git symbolic-ref --short HEAD)"
	done
	UC3_HOOK_NOW=2026-11-27T09:46:00+07:00 run -0 git push central HEAD
	matches "$output" '^remote: 1 commit checked, 0 findings'
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$(git rev-parse HEAD)"
	# and the central repository verifies as a whole
	run -0 uc3 -C "$T/central.git" verify
	summary_is "7 commits checked, 0 findings"
}

@test "pre-receive hook: a push with a tampered commit is refused, the central branch stays" {
	signed_repo
	central_with_hook
	as_staf
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	UC3_HOOK_NOW=2026-11-27T09:04:00+07:00 git push -q central HEAD
	CENTRAL_TIP="$(git rev-parse HEAD)"
	as_wakor
	at_time 09:40 uc3 answer "$ID" -m "Sudah terverifikasi." >/dev/null
	sed -i 's/^deadline: .*/deadline: 2026-11-27T12:00:00+07:00/' "$P"
	at_time 09:40 git commit -q -a --amend --no-edit
	local bad
	bad="$(git rev-parse HEAD)"
	UC3_HOOK_NOW=2026-11-27T09:40:00+07:00 run git push central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${bad:0:7} $ID: deadline is '2026-11-27T12:00:00\+07:00' where the step gives '2026-11-27T09:45:00\+07:00'"
	matches "$output" '^remote: uc3 verify: push refused: 1 finding'
	matches "$output" 'pre-receive hook declined'
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$CENTRAL_TIP"
	# nothing of the refused push is left in the central repository
	run ! git -C "$T/central.git" cat-file -e "$bad"
	# the good commit before it alone is accepted
	run -0 git push central HEAD^:refs/heads/"$(git symbolic-ref --short HEAD)"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$(git rev-parse HEAD^)"
}

@test "pre-receive hook: a force push that rewrites history, or deletes the branch, is refused" {
	signed_repo
	central_with_hook
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	run -0 git push central HEAD
	local tip new branch
	tip="$(git rev-parse HEAD)"
	branch="$(git symbolic-ref --short HEAD)"
	# the escalation done again, well formed and signed, but another history
	git reset -q --hard HEAD^
	at_time 09:04 uc3 escalate "$ID" -m "Catatan lain." >/dev/null
	new="$(git rev-parse HEAD)"
	run git push -f central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${new:0:7} -: rewrites the history of refs/heads/$branch \(not a fast-forward from ${tip:0:7}\)"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$tip"
	run git push central ":$branch"
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${tip:0:7} -: deletes the records branch refs/heads/$branch"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$tip"
	git reset -q --hard "$tip"
}

@test "pre-receive hook: a person adding their own key and using it in the same push is refused" {
	signed_repo
	central_with_hook
	throwaway_ssh_key staf2
	add_key "$STAF" "$T/keys/staf2.pub"
	at_time 09:03 git commit -q -am "policy: my new key"
	local c
	c="$(git rev-parse HEAD)"
	sign_as "$STAF" "$T/keys/staf2"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	run git push central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${c:0:7} -: changes uc3.yaml, but is not signed by a holder of the kabiro role in the policy before it"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$CENTRAL_TIP"
}

@test "pre-receive hook with --trust: the pinned root of trust is kept by every push" {
	signed_repo
	central_with_hook
	local hook="$T/central.git/hooks/pre-receive"
	sed -i "s/--pre-receive\$/--pre-receive --trust $ROOT/" "$hook"
	grep -q -- "--trust $ROOT\$" "$hook"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	run -0 git push central HEAD
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$(git rev-parse HEAD)"
	# pinned to another commit, the same kind of push is refused
	local tip other
	tip="$(git rev-parse HEAD)"
	other="$(git rev-list --max-parents=0 HEAD)"
	sed -i "s/--trust $ROOT\$/--trust $other/" "$hook"
	as_wakor
	at_time 09:40 uc3 answer "$ID" -m "Sudah terverifikasi." >/dev/null
	run git push central HEAD
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${ROOT:0:7} [^ ]+: the root of trust is ${ROOT:0:12}, not the pinned $other"
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$tip"
}

# --- Usage ---

@test "uc3 verify --help: the usage, exit 0; the man page's SYNOPSIS is the same" {
	run -0 --separate-stderr uc3 verify --help
	equal "$stderr" ""
	equal "${lines[0]}" "usage: uc3 verify [-C dir] [--format text|json] [--no-cache] [--pre-receive]"
	matches "$output" 'See uc3-verify\(1\)'
	local usage synopsis
	usage="$(uc3 verify --help | sed -n '1,/^$/p' | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/ *$//')"
	synopsis="$(mandoc -Tascii -O width=200 "$UC3_ROOT/man/uc3-verify.1" | sed "s/.\x08//g" |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')"
	equal "$synopsis" "$usage"
}

@test "uc3 verify: unknown option, bad --skew, bad --format, two ranges: exit 2" {
	init_repo
	local opt
	for opt in --bogus -x --trust; do
		run -2 --separate-stderr uc3 verify "$opt"
		equal "$output" ""
		matches "${stderr_lines[0]}" '^uc3 verify: '
		matches "$stderr" 'usage: uc3 verify \[-C dir\]'
	done
	for opt in 5minutes -1m 0x5m ""; do
		run -2 --separate-stderr uc3 verify --skew "$opt"
		equal "$output" ""
		one_line_error "uc3 verify" "invalid --skew"
	done
	run -2 --separate-stderr uc3 verify --format xml
	one_line_error "uc3 verify" "format"
	run -2 --separate-stderr uc3 verify HEAD HEAD
	matches "${stderr_lines[0]}" '^uc3 verify: one revision range at most'
	run -2 --separate-stderr uc3 verify --pre-receive HEAD
	matches "${stderr_lines[0]}" '^uc3 verify: --pre-receive'
	run -2 --separate-stderr uc3 verify no-such-revision
	one_line_error "uc3 verify" "no-such-revision"
}

@test "uc3 verify outside a records repository: exit 2" {
	mkdir "$T/empty"
	run -2 --separate-stderr uc3 verify -C "$T/empty"
	equal "$output" ""
	one_line_error "uc3 verify" "not a records repository"
	git init -q "$T/plain"
	run -2 --separate-stderr uc3 verify -C "$T/plain"
	one_line_error "uc3 verify" "not a records repository"
}
