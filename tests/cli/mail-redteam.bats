#!/usr/bin/env bats
# Mail out as a hostile or unlucky user meets it: two runs at once,
# fields that try to reach a header, notices changed by hand. Each test
# here failed before the fix it names.

load helper

# Monday 2026-11-30 at HH:MM (an office day; steps of 5m from 07:30).
mon() {
	echo "2026-11-30T$1:00+07:00"
}

# UC3_NOW and the commits' dates at the RFC 3339 time $1 for the command that follows.
at() {
	local when="$1"
	shift
	UC3_NOW="$when" GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when" "$@"
}

# A repository in single-user mode whose late steps are told to
# boss@unej.ac.id (notify.fallback), with one ticket received at 09:00,
# its staf step due 09:05.
fallback_repo() {
	at "$(mon 08:00)" init_repo
	at "$(mon 08:01)" edit_policy 's/^  fallback: \[\]/  fallback: [boss@unej.ac.id]/' \
		"policy: fallback"
	at "$(mon 09:00)" new_ticket >/dev/null
}

# A repository that acknowledges receipt, whose one ticket (received at
# 09:00) is owed its acknowledgement: sendmail failed for uc3 new.
owed_repo() {
	at "$(mon 08:00)" init_repo
	at "$(mon 08:01)" edit_policy 's/^  acknowledge: false .*/  acknowledge: true/' \
		"policy: acknowledge"
	fake_sendmail
	UC3_SENDMAIL="$T/sendmail-fail" at "$(mon 09:00)" new_ticket >/dev/null 2>&1
}

# A sendmail that keeps each message in $T/mail like fake_sendmail's,
# marks that it started ($T/mail/started.PID), and does not return until
# $T/mail/go exists: a run held in the middle of sending.
gate_sendmail() {
	mkdir -p "$T/mail"
	cat >"$T/gate" <<'SH'
#!/bin/sh
d="$(dirname "$0")/mail"
n=$(( $(find "$d" -name '*.eml' | wc -l) + 1 ))
cat >"$d/$n.eml.part"
mv "$d/$n.eml.part" "$d/$n.eml"
touch "$d/started.$$"
while ! [ -e "$d/go" ]; do sleep 0.05; done
SH
	chmod +x "$T/gate"
	export UC3_SENDMAIL="$T/gate -t -i"
}

# Wait until a run has started sending (gate_sendmail).
wait_started() {
	local n=0
	until compgen -G "$T/mail/started.*" >/dev/null; do
		[ $n -lt 400 ] || { echo "wait_started: nothing started sending" >&2; return 1; }
		sleep 0.05
		n=$((n + 1))
	done
}

# Wait until a second process either waits for the mail lock of the
# repository in the current directory (a blocked flock in /proc/locks on
# its inode) or has itself started sending (more than one started.*).
wait_second() {
	local n=0 ino
	ino="$(stat -c %i "$(git rev-parse --git-dir)/uc3/mail.lock")"
	until grep -q -- "-> FLOCK .*:$ino " /proc/locks ||
		[ "$(compgen -G "$T/mail/started.*" | wc -l)" -gt 1 ]; do
		[ $n -lt 400 ] || { echo "wait_second: the second run neither waits nor sends" >&2; return 1; }
		sleep 0.05
		n=$((n + 1))
	done
}

@test "two overdue --mail at once: the late step is mailed once and recorded once" {
	fixture_repo fallback_repo
	gate_sendmail
	export UC3_NOW="$(mon 10:00)"
	uc3 overdue --mail >"$T/a.out" 2>"$T/a.err" &
	local a=$!
	wait_started
	uc3 overdue --mail >"$T/b.out" 2>"$T/b.err" &
	local b=$!
	wait_second
	touch "$T/mail/go"
	wait $a || true
	wait $b || true
	equal "$(cat "$T/a.err" "$T/b.err")" ""
	equal "$(find "$T/mail" -name '*.eml' | wc -l)" 1
	equal "$(grep -c 'action: notice' "$(ticket_path UC3-2026-0001)")" 1
	run -0 uc3 verify
}

@test "two overdue --mail at once retry an acknowledgement once" {
	fixture_repo owed_repo
	gate_sendmail
	export UC3_NOW="$(mon 09:02)"
	uc3 overdue --mail >"$T/a.out" 2>"$T/a.err" &
	local a=$!
	wait_started
	uc3 overdue --mail >"$T/b.out" 2>"$T/b.err" &
	local b=$!
	wait_second
	touch "$T/mail/go"
	wait $a || true
	wait $b || true
	equal "$(find "$T/mail" -name '*.eml' | wc -l)" 1
	grep -q '^To: siti@example.com' "$T/mail/1.eml"
	equal "$(grep -c 'about: received' "$(ticket_path UC3-2026-0001)")" 1
	run -0 uc3 verify
}

# Append a notice event (YAML on stdin) to ticket $1 and commit it with
# the trailers uc3 writes for notices, by plain git at 10:01.
forge_notice() {
	local f
	f="$(ticket_path "$1")"
	cat >>"$f"
	git add "$f"
	at "$(mon 10:01)" git commit -q -F - <<MSG
overdue: 1 notice of late steps, 1 ticket

Ticket: $1
Action: notice
MSG
}

@test "verify: a notice with uc3's trailers to somebody uc3 does not mail is a finding" {
	fixture_repo fallback_repo
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	at "$(mon 10:00)" run -1 uc3 overdue --mail
	UC3_NOW="$(mon 10:02)" run -0 uc3 verify
	forge_notice UC3-2026-0001 <<'YAML'
- at: 2026-11-30T10:01:00+07:00
  by: humas1@unej.ac.id
  action: notice
  to: stranger@example.net
  message_id: <1.2@unej.ac.id>
  step:
    name: staf
    due: 2026-11-30T09:05:00+07:00
    late: true
YAML
	UC3_NOW="$(mon 10:02)" run -1 uc3 verify --no-cache
	matches "$output" "UC3-2026-0001: event 3 is a notice to stranger@example.net, whom uc3 does not mail: nobody in uc3.yaml's people or notify.fallback"
}

@test "verify: an acknowledgement to anybody but the requester is a finding" {
	fixture_repo fallback_repo
	forge_notice UC3-2026-0001 <<'YAML'
- at: 2026-11-30T10:01:00+07:00
  by: humas1@unej.ac.id
  action: notice
  to: boss@unej.ac.id
  about: received
  message_id: <1.2@unej.ac.id>
YAML
	UC3_NOW="$(mon 10:02)" run -1 uc3 verify --no-cache
	matches "$output" "event 2 is a notice to boss@unej.ac.id, whom uc3 does not mail: not the requester"
}
