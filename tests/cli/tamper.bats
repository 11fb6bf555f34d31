#!/usr/bin/env bats
# Tampered histories that uc3 verify must find (exit 1, a finding that
# names the commit) and that the pre-receive hook must refuse. Each case
# is a signed history (throwaway ssh keys) that a person with a listed key
# has changed by hand, with plain git.

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

# A records repository made at 08:00, whose policy lists the staf, the
# wakor and the kabiro with ssh keys (committed at 08:30 by the kabiro,
# signed: the root of trust), then ticket UC3-2026-0001 registered and
# received at 09:00 by the staf, signed. Leaves the repository acting as
# the staf.
signed_repo() {
	at_time 08:00 init_repo
	throwaway_ssh_key staf
	throwaway_ssh_key wakor
	throwaway_ssh_key kabiro
	allowed_signers "$STAF staf" "$WAKOR wakor" "$KABIRO kabiro"
	as_kabiro
	people | at_time 08:30 set_people
	as_staf
	at_time 09:00 new_ticket >/dev/null
}

# A bare central repository $T/central.git holding this history, with uc3
# verify as its pre-receive hook; "central" is its remote here.
# CENTRAL_TIP: its branch.
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
}

# Push commit ${1:-HEAD} to the central branch: it must be refused, with
# the finding line "remote: <commit $2> <ticket $3>: <ERE $4>", and the
# central branch must not move.
push_refused() {
	local c
	c="$(git rev-parse "$2")"
	run git push central "$1:refs/heads/$(git symbolic-ref --short HEAD)"
	[ "$status" -ne 0 ]
	matches "$output" "^remote: ${c:0:7} $3: $4"
	matches "$output" '^remote: uc3 verify: push refused: '
	equal "$(git -C "$T/central.git" rev-parse HEAD)" "$CENTRAL_TIP"
}

# After run: a finding line for commit $1 (any revision) naming the
# ticket $2 ("-" for none), its problem matching the ERE $3 from its start.
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
# (1-based), set field $3 to $4.
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
for k in range(i, j):
    if lines[k][2:].startswith(field + ": "):
        lines[k] = lines[k][:2] + field + ": " + sys.argv[4]
        break
else:
    sys.exit("edit_event: event %d has no %s" % (n, field))
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
}

# Amend HEAD at the time HH:MM $1 with the message of HEAD passed through
# the sed script $2 (the files as staged), failing when the script changed
# nothing.
amend_message() {
	git log -1 --format=%B >"$T/msg.old"
	sed -e "$2" "$T/msg.old" >"$T/msg"
	if cmp -s "$T/msg.old" "$T/msg"; then
		echo "amend_message: '$2' changed nothing" >&2
		return 1
	fi
	at_time "$1" git commit -q --amend -F "$T/msg"
}

# --- 1. A ticket's path and id ---

@test "a new ticket moved to another month under an id that exists: both found, and the hook refuses it" {
	signed_repo
	central_with_hook
	at_time 09:05 new_ticket >/dev/null
	# the file of UC3-2026-0002 becomes a second UC3-2026-0001, filed in December
	mkdir -p tickets/2026/12
	sed 's/UC3-2026-0002/UC3-2026-0001/' tickets/2026/11/UC3-2026-0002.yaml \
		>tickets/2026/12/UC3-2026-0001.yaml
	git rm -q tickets/2026/11/UC3-2026-0002.yaml
	git add tickets/2026/12/UC3-2026-0001.yaml
	amend_message 09:05 's/UC3-2026-0002/UC3-2026-0001/g'
	equal "$(git log -1 --format=%G?)" G
	equal "$(uc3 list | grep -c "^$ID ")" 2
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "the ticket is at tickets/2026/12/UC3-2026-0001\.yaml, where uc3 keeps it at $P \(the year of its id, the month it was received\)$"
	has_finding HEAD "$ID" "Action new, but $ID is already in the tree, at $P$"
	summary_is "4 commits checked, 2 findings"
	push_refused HEAD HEAD "$ID" "the ticket is at tickets/2026/12/"
}

@test "a new ticket at its right path under an id that exists, or at the wrong month, or under another year" {
	signed_repo
	local base
	base="$(git rev-parse HEAD)"
	# received in October: its own folder is tickets/2026/10
	at_time 09:05 new_ticket --received "2026-10-15 10:00" >/dev/null
	git mv tickets/2026/10/UC3-2026-0002.yaml tickets/2026/10/UC3-2026-0001.yaml
	sed -i 's/UC3-2026-0002/UC3-2026-0001/' tickets/2026/10/UC3-2026-0001.yaml
	git add tickets/2026/10/UC3-2026-0001.yaml
	amend_message 09:05 's/UC3-2026-0002/UC3-2026-0001/g'
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "Action new, but $ID is already in the tree, at $P$"
	summary_is "4 commits checked, 1 finding"
	# the id kept, the file moved to another month
	git reset -q --hard "$base"
	at_time 09:05 new_ticket >/dev/null
	mkdir -p tickets/2026/12
	git mv tickets/2026/11/UC3-2026-0002.yaml tickets/2026/12/UC3-2026-0002.yaml
	at_time 09:05 git commit -q --amend --no-edit
	run -1 uc3 verify --no-cache
	has_finding HEAD UC3-2026-0002 "the ticket is at tickets/2026/12/UC3-2026-0002\.yaml, where uc3 keeps it at tickets/2026/11/UC3-2026-0002\.yaml "
	summary_is "4 commits checked, 1 finding"
	# an id of another year than the one it was received in, filed under it
	git reset -q --hard "$base"
	at_time 09:05 new_ticket >/dev/null
	mkdir -p tickets/2025/11
	sed 's/UC3-2026-0002/UC3-2025-0002/' tickets/2026/11/UC3-2026-0002.yaml \
		>tickets/2025/11/UC3-2025-0002.yaml
	git rm -q tickets/2026/11/UC3-2026-0002.yaml
	git add tickets/2025/11/UC3-2025-0002.yaml
	amend_message 09:05 's/UC3-2026-0002/UC3-2025-0002/g'
	run -1 uc3 verify --no-cache
	has_finding HEAD UC3-2025-0002 "the id UC3-2025-0002 is not one uc3 new gives a ticket received 2026-11-27T09:05:00\+07:00 under the prefix UC3$"
	summary_is "4 commits checked, 1 finding"
}

# --- 2. Files outside the model, and modes ---

@test "templates and README.md are the kabiro's: a staf changing them is found, the kabiro is not" {
	signed_repo
	echo "Tambahan staf." >>templates/overdue.txt
	at_time 09:10 git commit -q -am "templates: overdue"
	local c1 c2
	c1="$(git rev-parse HEAD)"
	equal "$(git log -1 --format=%G?)" G
	echo "Catatan staf." >>README.md
	at_time 09:11 git commit -q -am "README: catatan"
	c2="$(git rev-parse HEAD)"
	as_kabiro
	echo "Tambahan kabiro." >>templates/overdue.txt
	at_time 09:12 git commit -q -am "templates: overdue, by the kabiro"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding "$c1" - "changes templates/overdue\.txt, but is not signed by a holder of the kabiro role in the policy before it$"
	has_finding "$c2" - "changes README\.md, but is not signed by a holder of the kabiro role in the policy before it$"
	summary_is "6 commits checked, 2 findings"
}

@test "files that are not records: notes.txt, a stray file under tickets/; the hook refuses them" {
	signed_repo
	central_with_hook
	as_kabiro
	echo "rahasia" >notes.txt
	git add notes.txt
	at_time 09:10 git commit -q -m "notes"
	local c1 c2
	c1="$(git rev-parse HEAD)"
	echo "catatan" >tickets/2026/11/catatan.txt
	mkdir -p tickets/lain
	echo "x" >tickets/lain/UC3-2026-0009.yaml
	git add tickets
	at_time 09:11 git commit -q -m "more notes"
	c2="$(git rev-parse HEAD)"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding "$c1" - "notes\.txt is not a file of the records \(uc3\.yaml, README\.md, templates/NAME, reserved\.yaml, tickets/YEAR/MONTH/ID\.yaml, quarantine/NAME\.eml\)$"
	has_finding "$c2" - "tickets/2026/11/catatan\.txt is not a ticket file \(tickets/YEAR/MONTH/ID\.yaml\)$"
	has_finding "$c2" - "tickets/lain/UC3-2026-0009\.yaml is not a ticket file \(tickets/YEAR/MONTH/ID\.yaml\)$"
	summary_is "5 commits checked, 3 findings"
	push_refused HEAD "$c1" - "notes\.txt is not a file of the records"
}

@test "an unsigned commit by someone the policy does not list, touching README.md" {
	signed_repo
	git config user.email orang.luar@example.com
	git config commit.gpgsign false
	echo "catatan" >>README.md
	at_time 09:10 git commit -q -am "README: catatan"
	equal "$(git log -1 --format=%G?)" N
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD - "by orang\.luar@example\.com, who is not one of the people in uc3\.yaml$"
	summary_is "4 commits checked, 1 finding"
}

@test "a ticket file made executable, or a symbolic link, in a uc3 commit" {
	signed_repo
	local base
	base="$(git rev-parse HEAD)"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	chmod +x "$P"
	at_time 09:04 git commit -q -a --amend --no-edit
	equal "$(git ls-tree HEAD "$P" | cut -c1-6)" 100755
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "$P has mode 100755 \(executable\); the files of the records have mode 100644$"
	summary_is "4 commits checked, 1 finding"
	# the same bytes, as a symbolic link
	git reset -q --hard "$base"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	git update-index --cacheinfo "120000,$(git rev-parse "HEAD:$P"),$P"
	at_time 09:04 git commit -q --amend --no-edit
	equal "$(git ls-tree HEAD "$P" | cut -c1-6)" 120000
	run -1 uc3 verify
	has_finding HEAD "$ID" "$P has mode 120000 \(a symbolic link\); the files of the records have mode 100644$"
	summary_is "4 commits checked (3 found clean before), 1 finding"
	git reset -q --hard "$base"
}

# --- 3. The commit message ---

@test "an escalation whose subject and trailers lie: every lie is named, and the hook refuses it" {
	signed_repo
	central_with_hook
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	amend_message 09:04 "s/^$ID: escalate staf -> wakor\$/$ID: answer/
		s/^From-Level: staf\$/From-Level: koordinator/
		s/^To-Level: wakor\$/To-Level: kabiro/
		s/^Deadline: .*/Deadline: 2026-11-27T16:00:00+07:00/
		s/^Late: no\$/Late: yes/"
	equal "$(trailer Action)" escalate
	equal "$(trailer To-Level)" kabiro
	equal "$(git log -1 --format=%s)" "$ID: answer"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "the message is not what uc3 writes for this step: the subject is '$ID: answer' where uc3 writes '$ID: escalate staf -> wakor'; From-Level: koordinator where uc3 writes staf; To-Level: kabiro where uc3 writes wakor; Late: yes where uc3 writes no; Deadline: 2026-11-27T16:00:00\+07:00 where uc3 writes 2026-11-27T10:04:00\+07:00$"
	summary_is "4 commits checked, 1 finding"
	push_refused HEAD HEAD "$ID" "the message is not what uc3 writes for this step"
}

@test "a message whose note, trailers or subject differ from the step: a note rewritten, a trailer added or dropped" {
	signed_repo
	local base
	base="$(git rev-parse HEAD)"
	at_time 09:04 uc3 escalate "$ID" -m "Data pembayaran tidak ada di Humas." >/dev/null
	amend_message 09:04 's/^Data pembayaran tidak ada di Humas\.$/Sudah dijawab lewat telepon./'
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "the message is not what uc3 writes for this step: its text is not the event's note$"
	summary_is "4 commits checked, 1 finding"
	git reset -q --hard "$base"
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	amend_message 09:04 '/^Step: /d; /^Deadline: /a\
Reviewed-by: kabiro@unej.ac.id'
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "the message is not what uc3 writes for this step: no Step trailer where uc3 writes staf; a Reviewed-by trailer, which uc3 does not write$"
	# the new ticket's own message
	git reset -q --hard "$base"
	amend_message 09:00 "s/^$ID: new keluhan: /$ID: new saran: /"
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "the message is not what uc3 writes for this step: the subject is '$ID: new saran: Pembayaran UKT belum terverifikasi' where uc3 writes '$ID: new keluhan: Pembayaran UKT belum terverifikasi'$"
	summary_is "3 commits checked, 1 finding"
}

@test "a finding quotes a control character as \\xNN: one line, and nothing for the terminal" {
	signed_repo
	at_time 09:04 uc3 escalate "$ID" >/dev/null
	amend_message 09:04 "s/^$ID: escalate staf -> wakor\$/&$(printf '\033')[2J/"
	run -1 --separate-stderr uc3 verify
	has_finding HEAD "$ID" "the message is not what uc3 writes for this step: the subject is '$ID: escalate staf -> wakor\\\\x1b\\[2J' where uc3 writes '$ID: escalate staf -> wakor'$"
	[[ "$output" != *$'\033'* ]]
	run -1 uc3 verify --format json
	[[ "$output" != *$'\033'* ]]
}

# --- 4. A new ticket is what uc3 new writes ---

@test "a new ticket uc3 new would refuse: a kind or channel not in the policy, no requester, a subject on two lines" {
	signed_repo
	local base how
	base="$(git rev-parse HEAD)"
	for how in kind channel requester subject; do
		git reset -q --hard "$base"
		case $how in
		kind) sed -i 's/^kind: keluhan$/kind: bogus/' "$P" ;;
		channel) sed -i 's/^channel: email$/channel: pigeon/' "$P" ;;
		requester) sed -i '/^requester:$/,/^  email: /d' "$P" ;;
		subject) sed -i 's/^subject: .*/subject: "Pembayaran UKT\\nbelum terverifikasi"/' "$P" ;;
		esac
		[ -n "$(git diff)" ]
		at_time 09:00 git commit -q -a --amend --no-edit
		run -1 --separate-stderr uc3 verify --no-cache
		equal "$stderr" ""
		case $how in
		kind) has_finding HEAD "$ID" "uc3 new refuses it: kind 'bogus' is not one of the policy's kinds: pertanyaan, keluhan, saran, lainnya$" ;;
		channel) has_finding HEAD "$ID" "uc3 new refuses it: channel 'pigeon' is not one of the policy's channels: " ;;
		requester) has_finding HEAD "$ID" "uc3 new refuses it: no requester: a name, an email, a phone, a social account or an address is needed$" ;;
		subject) has_finding HEAD "$ID" "uc3 new refuses it: subject contains a line break$" ;;
		esac
		summary_is "3 commits checked, 1 finding"
	done
}

@test "a new ticket with a field uc3 does not write, in the ticket or in its event" {
	signed_repo
	local base
	base="$(git rev-parse HEAD)"
	sed -i 's/^kind: keluhan$/kind: keluhan\npriority: high/' "$P"
	at_time 09:00 git commit -q -a --amend --no-edit
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "the file has a field uc3 does not write: priority$"
	summary_is "3 commits checked, 1 finding"
	git reset -q --hard "$base"
	sed -i 's/^  action: new$/  action: new\n  ip: 10.0.0.1/' "$P"
	at_time 09:00 git commit -q -a --amend --no-edit
	run -1 uc3 verify --no-cache
	has_finding HEAD "$ID" "the new event has a field uc3 does not write: ip$"
	summary_is "3 commits checked, 1 finding"
}

# --- 5. Backdating ---

@test "a notice dated before the ticket was registered is found; a step cannot then be dated behind the ticket" {
	signed_repo
	fake_sendmail
	as_kabiro
	at_time 09:01 use_sendmail
	as_staf
	run -1 at_time 09:10 uc3 overdue --mail
	equal "$(trailer Action)" notice
	# the notices moved back to 08:00, an hour before the ticket came in
	local n i
	n="$(events_table "$P" | grep -c '^notice ')"
	[ "$n" -ge 1 ]
	for ((i = 2; i <= n + 1; i++)); do
		edit_event "$P" "$i" at 2026-11-27T08:00:00+07:00
	done
	at_time 09:10 git commit -q -a --amend --no-edit
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD "$ID" "the notice is dated 2026-11-27T08:00:00\+07:00, before event 1 \(new\) at 2026-11-27T09:00:00\+07:00: backdated$"
	summary_is "5 commits checked, 1 finding"
	# a step at 08:30 would be later than those notices, but not than the ticket
	snapshot
	run -2 --separate-stderr at_time 08:30 uc3 escalate "$ID"
	equal "$output" ""
	one_line_error "uc3 escalate" "the time now is before $ID's last event \(2026-11-27T09:00:00\+07:00\); check the clock or UC3_NOW$"
	repo_unchanged
}

@test "a step dated before the ticket was received, when received is the latest time on it" {
	signed_repo
	# received moved by hand after the registration, then a step before it
	sed -i 's/^received: .*/received: 2026-11-27T09:30:00+07:00/' "$P"
	at_time 09:00 git commit -q -a --amend --no-edit
	snapshot
	run -2 --separate-stderr at_time 09:10 uc3 escalate "$ID"
	one_line_error "uc3 escalate" "the time now is before $ID was received \(2026-11-27T09:30:00\+07:00\); check the clock or UC3_NOW$"
	repo_unchanged
}

@test "a commit dated before its parent, by more than the skew: found, and the hook refuses it" {
	signed_repo
	central_with_hook
	as_kabiro
	echo "Catatan." >>README.md
	at_time 08:00 git commit -q -am "README: catatan"
	local parent
	parent="$(git rev-parse HEAD^)"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding HEAD - "committed at 2026-11-27T08:00:00\+07:00, before its parent ${parent:0:7} \(2026-11-27T09:00:00\+07:00\): backdated$"
	summary_is "4 commits checked, 1 finding"
	push_refused HEAD HEAD - "committed at 2026-11-27T08:00:00\+07:00, before its parent"
	# within the skew (5 minutes by default) it is a clock a little off
	at_time 08:57 git commit -q --amend --no-edit
	run -0 uc3 verify
	run -1 uc3 verify --skew 0
	has_finding HEAD - "committed at 2026-11-27T08:57:00\+07:00, before its parent"
}

# --- 6. After an unreadable policy ---

@test "a policy broken by one commit and restored by a staf who takes the top role: both found, and the hook refuses them" {
	signed_repo
	central_with_hook
	as_kabiro
	echo "bogus: [" >>uc3.yaml
	at_time 09:10 git commit -q -am "policy: oops"
	local broken fixed
	broken="$(git rev-parse HEAD)"
	git show HEAD~1:uc3.yaml >uc3.yaml
	sed -i "s/^\(  - {email: $STAF, .*\)roles: \[staf\]/\1roles: [staf, kabiro]/" uc3.yaml
	as_staf
	at_time 09:11 git commit -q -am "policy: repaired"
	fixed="$(git rev-parse HEAD)"
	equal "$(git log -1 --format=%G?)" G
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding "$broken" - "uc3\.yaml does not read: "
	has_finding "$fixed" - "changes uc3\.yaml, but is not signed by a holder of the kabiro role in the policy before it$"
	summary_is "5 commits checked, 2 findings"
	# audited from the broken commit on, the policy before it is still known
	run -1 uc3 verify --no-cache "$broken^..HEAD"
	has_finding "$fixed" - "changes uc3\.yaml, but is not signed by a holder of the kabiro role"
	run -1 uc3 verify --no-cache "$broken..HEAD"
	has_finding "$fixed" - "changes uc3\.yaml, but is not signed by a holder of the kabiro role"
	summary_is "1 commit checked, 1 finding"
	push_refused HEAD "$fixed" - "changes uc3\.yaml, but is not signed by a holder of the kabiro role"
}

# --- 7. Trees nested too deep ---

# Write, with python and no git process per level, a tree of $1 folders
# "d" nested one in the other under tickets/ of HEAD's tree, with a file
# at the bottom; print the id of a commit (by the staf, unsigned) of that
# tree on top of HEAD. The branch is not moved.
deep_commit() {
	local deep tickets root
	deep="$(python3 - "$(git rev-parse --git-dir)" "$1" <<'PY'
import hashlib, os, sys, zlib
gitdir, depth = sys.argv[1], int(sys.argv[2])
def write(kind, body):
    data = b"%s %d\0" % (kind.encode(), len(body)) + body
    h = hashlib.sha1(data).hexdigest()
    p = os.path.join(gitdir, "objects", h[:2], h[2:])
    if not os.path.exists(p):
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(zlib.compress(data))
    return h
t = write("tree", b"100644 f\0" + bytes.fromhex(write("blob", b"x\n")))
for i in range(depth):
    t = write("tree", b"40000 d\0" + bytes.fromhex(t))
print(t)
PY
)"
	tickets="$( (git ls-tree HEAD:tickets; printf '040000 tree %s\td\n' "$deep") | git mktree)"
	root="$( (git ls-tree HEAD | grep -v '	tickets$'; printf '040000 tree %s\ttickets\n' "$tickets") | git mktree)"
	at_time 09:10 git -c commit.gpgsign=false commit-tree -p HEAD -m "deep" "$root"
}

@test "a tree nested 10,000 deep under tickets/: a finding, not a crash, in verify, log, overdue, list and the hook" {
	signed_repo
	central_with_hook
	local base c branch
	base="$(git rev-parse HEAD)"
	branch="$(git symbolic-ref HEAD)"
	# overdue keeps an index of open tickets, brought up to date by a tree diff
	run -0 uc3 overdue
	c="$(deep_commit 10000)"
	git update-ref "$branch" "$c"
	run -1 --separate-stderr uc3 verify
	equal "$stderr" ""
	has_finding "$c" - "tickets/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d: folders nested deeper than any file of the records$"
	summary_is "4 commits checked, 1 finding"
	run -0 uc3 log
	run -0 uc3 overdue
	run -0 uc3 list
	matches "$output" "^$ID "
	git update-ref "$branch" "$base"
	push_refused "$c" "$c" - "tickets/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d: folders nested deeper"
}

@test "a file name longer than a path buffer is not cut short" {
	signed_repo
	local base c branch name
	base="$(git rev-parse HEAD)"
	branch="$(git symbolic-ref HEAD)"
	name="$(printf 'x%.0s' {1..1500})"
	git update-index --add --cacheinfo "100644,$(git rev-parse "HEAD:$P"),tickets/2026/11/$name.txt"
	c="$(at_time 09:10 git -c commit.gpgsign=false commit-tree -p HEAD -m "long" "$(git write-tree)")"
	git update-ref "$branch" "$c"
	run -1 uc3 verify
	has_finding "$c" - "tickets/2026/11/$name\.txt is not a ticket file"
	git update-ref "$branch" "$base"
	git reset -q
}

# --- 8. Blobs too large to read ---

@test "a ticket blob over the size limit is refused from its header, without reading it" {
	signed_repo
	central_with_hook
	local blob c branch mem p2=tickets/2026/11/UC3-2026-0002.yaml
	branch="$(git symbolic-ref HEAD)"
	# 64 MiB of zeros: a few hundred kilobytes in git, 8 times the limit
	blob="$(head -c 67108864 /dev/zero | git hash-object -w --stdin)"
	git update-index --add --cacheinfo "100644,$blob,$p2"
	git log -1 --format=%B | sed 's/UC3-2026-0001/UC3-2026-0002/g' >"$T/msg"
	c="$(at_time 09:05 git commit-tree -S -p HEAD -F "$T/msg" "$(git write-tree)")"
	git reset -q
	git update-ref "$branch" "$c"
	# list names the file and goes on; under 48 MiB of memory, far less than the blob
	run -2 --separate-stderr /usr/bin/time -f 'maxrss %M' uc3 list
	matches "$output" "^$ID "
	matches "$stderr" "^uc3 list: $p2: 67108864 bytes, over the limit of 8388608\$"
	mem="$(sed -n 's/^maxrss //p' <<<"$stderr")"
	[ "$mem" -lt 49152 ] || { echo "uc3 list used ${mem} KiB" >&2; false; }
	run -2 --separate-stderr /usr/bin/time -f 'maxrss %M' uc3 show UC3-2026-0002
	matches "${stderr_lines[0]}" "^uc3 show: $p2: 67108864 bytes, over the limit of 8388608\$"
	mem="$(sed -n 's/^maxrss //p' <<<"$stderr")"
	[ "$mem" -lt 49152 ] || { echo "uc3 show used ${mem} KiB" >&2; false; }
	run -2 --separate-stderr /usr/bin/time -f 'maxrss %M' uc3 overdue
	matches "$stderr" "^uc3 overdue: $p2: 67108864 bytes, over the limit of 8388608\$"
	mem="$(sed -n 's/^maxrss //p' <<<"$stderr")"
	[ "$mem" -lt 49152 ] || { echo "uc3 overdue used ${mem} KiB" >&2; false; }
	run -1 --separate-stderr /usr/bin/time -f 'maxrss %M' uc3 verify
	has_finding "$c" UC3-2026-0002 "the file does not read: $p2: 67108864 bytes, over the limit of 8388608$"
	mem="$(sed -n 's/^maxrss //p' <<<"$stderr")"
	[ "$mem" -lt 49152 ] || { echo "uc3 verify used ${mem} KiB" >&2; false; }
	git update-ref "$branch" "$c^"
	push_refused "$c" "$c" UC3-2026-0002 "the file does not read: $p2: 67108864 bytes"
}
