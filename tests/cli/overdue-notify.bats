#!/usr/bin/env bats
# uc3 overdue --mail beyond the first notice of a breach (uc3-overdue(1),
# uc3-policy(5) notify): warnings at notify.warn, reminders every
# notify.repeat of office time, the daily digest to the top role at
# notify.digest, and the retries of an acknowledgement or an escalation
# notice that could not be sent. Each is sent once, recorded as a notice,
# and every message parses back with python's email package, policy.strict.

load helper

PEOPLE='  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: humas2@unej.ac.id, name: Staf Dua, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Koordinator, roles: [wakor]}
  - {email: koord@unej.ac.id, name: Koordinator, roles: [koordinator]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}
  - {email: cron@unej.ac.id, name: Cron, service: true}'

# UC3_NOW (and the commits' dates) at the RFC 3339 time $1 for the command that follows.
at() {
	local when="$1"
	shift
	UC3_NOW="$when" GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when" "$@"
}

# Friday 2026-11-27 at HH:MM.
fri() {
	echo "2026-11-27T$1:00+07:00"
}

# The records with the sendmail stand-in, made at 07:00 on Friday. A test
# sets notify.* (set_notify) and then lists the people (people): once people
# are listed, a change of the policy needs a signature of the top role.
make_notify_repo() {
	at "$(fri 07:00)" init_repo
	fake_sendmail
	at "$(fri 07:00)" use_sendmail
}

people() {
	at "$(fri 08:02)" set_people <<<"$PEOPLE"
}

notify_repo() {
	fixture_repo make_notify_repo
	fake_sendmail
	# the policy names the stand-in of the test that made the fixture
	export UC3_SENDMAIL="$T/sendmail -t -i"
}

# Set notify.KEY ($1) to $2 in the policy, committed at 08:01 on Friday.
set_notify() {
	at "$(fri 08:01)" edit_policy "s/^  $1: [^ ]*/  $1: $2/" "policy: notify.$1 $2"
}

# Parse every saved message with policy.strict: no defect is allowed; one
# line per message, sorted: "TO: SUBJECT-WORD ID ID..." where the word is
# what the subject says first after the [prefix] (sorted ids once each).
strict_summary() {
	python3 - "$T/mail" <<'PY'
import email, email.policy, os, re, sys
d = sys.argv[1]
out = []
for f in os.listdir(d):
    if not f.endswith(".eml"):
        continue
    raw = open(os.path.join(d, f), "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.strict)
    if m.defects:
        sys.exit("%s: %s" % (f, m.defects))
    for h in ("From", "To", "Subject", "Date", "Message-ID"):
        if len(m.get_all(h) or []) != 1:
            sys.exit("%s: %s appears %d times" % (f, h, len(m.get_all(h) or [])))
    body = m.get_content()
    ids = sorted(set(re.findall(r"\b[A-Z0-9]+-[0-9]{4}-[0-9]{4,}\b", body)))
    subj = re.sub(r"^\[[^]]*\] *", "", str(m["Subject"])).split()[0]
    out.append("%s: %s %s" % (m["To"], subj, " ".join(ids)))
print("\n".join(sorted(out)))
PY
}

# The notice events of ticket $1 as "to about step late" lines, in order.
notices() {
	python3 - "$(ticket_path "$1")" <<'PY'
import sys, yaml
t = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for e in t.get("events", []):
    if e.get("action") == "notice":
        s = e.get("step") or {}
        print(e["to"], e.get("about", "late"), s.get("name", "-"), str(s.get("late", "-")).lower(),
              "mid" if str(e.get("message_id", "")).startswith("<") else "no-mid")
PY
}

# --- notify.warn ---

@test "overdue --mail with notify.warn 80%: the holders are warned once, at the exact point" {
	notify_repo
	set_notify warn 80%
	people
	local id
	id="$(at "$(fri 09:00)" new_ticket)"
	run -0 --separate-stderr at "$(fri 09:03)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 0
	# 4 of the 5 minutes of the staf step: 80%, warned (not late: exit 0)
	run -0 --separate-stderr at "$(fri 09:04)" uc3 overdue --mail
	equal "$stderr" ""
	matches "${lines[1]}" "^$id  staf .* due in 1m .*\(warning\) "
	equal "$(strict_summary)" "humas1@unej.ac.id: 1 $id
humas2@unej.ac.id: 1 $id"
	equal "$(trailer Action)" notice
	equal "$(notices "$id")" "humas1@unej.ac.id warning staf false mid
humas2@unej.ac.id warning staf false mid"
	# a second run sends nothing and commits nothing
	local head
	head="$(git rev-parse HEAD)"
	run -0 --separate-stderr at 2026-11-27T09:04:30+07:00 uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 2
	equal "$(git rev-parse HEAD)" "$head"
	# once late, the breach notice goes as before, to the next role up too
	run -1 --separate-stderr at "$(fri 09:06)" uc3 overdue --mail
	equal "$(mail_count)" 5
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue --mail with notify.warn 3m: warned when 3 office minutes are left, once" {
	notify_repo
	set_notify warn 3m
	people
	local id
	id="$(at "$(fri 09:00)" new_ticket)"
	run -0 --separate-stderr at "$(fri 09:01)" uc3 overdue --mail
	equal "$output" ""
	run -0 --separate-stderr at "$(fri 09:02)" uc3 overdue --mail
	equal "$stderr" ""
	equal "$(strict_summary | cut -d' ' -f1)" "humas1@unej.ac.id:
humas2@unej.ac.id:"
	run -0 --separate-stderr at "$(fri 09:03)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 2
	# without --mail, what uc3 overdue prints does not change
	run -0 --separate-stderr at "$(fri 09:03)" uc3 overdue
	equal "$output" ""
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue: notify.warn that does not read is refused with line and column, nothing changed" {
	notify_repo
	at "$(fri 09:00)" new_ticket >/dev/null
	local line key val
	for kv in "warn 120%" "repeat often" "digest 25:00"; do
		key="${kv% *}" val="${kv#* }"
		line="$(grep -n "^  $key: " uc3.yaml | cut -d: -f1)"
		set_notify "$key" "$val"
		snapshot
		run -2 --separate-stderr at "$(fri 10:00)" uc3 overdue --mail
		equal "$output" ""
		one_line_error "uc3 overdue" "uc3\.yaml:$line:[0-9]+: .*notify\.$key: bad "
		repo_unchanged
		equal "$(mail_count)" 0
		git revert --no-edit HEAD >/dev/null
	done
}

# --- notify.repeat ---

@test "overdue --mail with notify.repeat 1h: a reminder after an hour of office time, not before" {
	notify_repo
	set_notify repeat 1h
	people
	local id
	id="$(at "$(fri 09:00)" new_ticket)"
	run -1 at "$(fri 09:10)" uc3 overdue --mail
	equal "$(mail_count)" 3
	run -1 --separate-stderr at "$(fri 10:09)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 3
	rm "$T"/mail/*
	run -1 --separate-stderr at "$(fri 10:10)" uc3 overdue --mail
	equal "$stderr" ""
	matches "${lines[1]}" "^$id  staf .*\(reminder\) "
	equal "$(strict_summary)" "humas1@unej.ac.id: Pengingat $id
humas2@unej.ac.id: Pengingat $id
wakor@unej.ac.id: Pengingat $id"
	run -1 --separate-stderr at "$(fri 10:11)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 3
	# the next one an hour after the reminder
	run -1 at "$(fri 11:10)" uc3 overdue --mail
	equal "$(mail_count)" 6
	equal "$(notices "$id" | grep -c '^humas1@unej.ac.id reminder staf true mid$')" 2
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue --mail with notify.repeat: office time only, across a weekend and a holiday" {
	notify_repo
	set_notify repeat 1h
	# Monday 2026-11-30 is a holiday
	at "$(fri 08:01)" edit_policy 's/^  holidays:$/  holidays:\n    - {date: 2026-11-30, name: Libur kantor}/' "policy: holiday"
	people
	local id
	id="$(at "$(fri 15:50)" new_ticket)"
	# due 15:55, told at 15:56: 4 office minutes on Friday
	run -1 at "$(fri 15:56)" uc3 overdue --mail
	equal "$(mail_count)" 3
	run -1 --separate-stderr at 2026-11-28T16:00:00+07:00 uc3 overdue --mail
	equal "$output" ""
	run -1 --separate-stderr at 2026-11-30T16:00:00+07:00 uc3 overdue --mail
	equal "$output" ""
	run -1 --separate-stderr at 2026-12-01T08:25:00+07:00 uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 3
	run -1 --separate-stderr at 2026-12-01T08:26:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_count)" 6
	strict_summary >/dev/null
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

# --- notify.digest ---

@test "overdue --mail with notify.digest 09:30: once a day to the top role, office days only" {
	notify_repo
	set_notify digest 09:30
	people
	local a b
	a="$(at "$(fri 09:00)" new_ticket)"
	b="$(SUBJECT="Kedua" at "$(fri 09:00)" new_ticket)"
	at "$(fri 09:01)" uc3 escalate "$b" -m "ke wakor" >/dev/null
	# late notices at 09:10, no digest before 09:30
	run -1 at "$(fri 09:10)" uc3 overdue --mail
	run -1 grep -l 'kabiro@' "$T"/mail/*.eml
	rm -f "$T"/mail/*
	run -1 --separate-stderr at "$(fri 09:29)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 0
	run -1 --separate-stderr at "$(fri 09:30)" uc3 overdue --mail
	equal "$stderr" ""
	matches "$output" "$a .*\(digest\) "
	equal "$(strict_summary)" "kabiro@unej.ac.id: Rekap $a"
	equal "$(notices "$a" | grep digest)" "kabiro@unej.ac.id digest staf true mid"
	# once a day
	run -1 --separate-stderr at "$(fri 15:00)" uc3 overdue --mail
	equal "$(strict_summary | grep -c Rekap)" 1
	# not on Saturday, not on Monday before 09:30; then again
	run -1 --separate-stderr at 2026-11-28T10:00:00+07:00 uc3 overdue --mail
	equal "$output" ""
	run -1 --separate-stderr at 2026-11-30T09:29:00+07:00 uc3 overdue --mail
	equal "$output" ""
	equal "$(strict_summary | grep -c Rekap)" 1
	rm -f "$T"/mail/*
	run -1 --separate-stderr at 2026-11-30T09:30:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	# the wakor step of b became late on Friday 10:01 and was told at 15:00; both are in it
	equal "$(strict_summary)" "kabiro@unej.ac.id: Rekap $a $b"
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue --mail with notify.digest: nothing late, no digest" {
	notify_repo
	set_notify digest 09:30
	people
	at "$(fri 09:00)" new_ticket >/dev/null
	run -0 --separate-stderr at "$(fri 09:31)" uc3 overdue --mail --at "$(fri 09:02)"
	equal "$output" ""
	equal "$(mail_count)" 0
}

# --- retries ---

@test "overdue --mail retries an acknowledgement that could not be sent, once" {
	notify_repo
	set_notify acknowledge true
	people
	local id
	id="$(at "$(fri 09:00)" env UC3_SENDMAIL="$T/sendmail-fail" \
		uc3 new -s "Jadwal wisuda" -k pertanyaan -c email --from "X <x@y.id>" -m "Kapan?" 2>/dev/null)"
	matches "$id" '^UC3-2026-0001$'
	equal "$(mail_count)" 0
	run -0 --separate-stderr at "$(fri 09:01)" uc3 overdue --mail
	equal "$stderr" ""
	equal "$output" "$id: acknowledgement sent again (1 message)"
	equal "$(strict_summary | cut -d' ' -f1)" "x@y.id:"
	equal "$(notices "$id")" "x@y.id received - - mid"
	run -0 --separate-stderr at "$(fri 09:02)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 1
	# --format json names the retry
	run -0 uc3 overdue --mail --format json
	equal "$output" ""
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue --mail retries an escalation notice that could not be sent, once" {
	notify_repo
	people
	local id
	id="$(at "$(fri 09:00)" new_ticket)"
	at "$(fri 09:01)" env UC3_SENDMAIL="$T/sendmail-fail" uc3 escalate "$id" -m "Data di Keuangan" >/dev/null 2>&1
	equal "$(mail_count)" 0
	# a failing sendmail: nothing recorded, exit 2, tried again
	snapshot
	run -2 --separate-stderr at "$(fri 09:02)" env UC3_SENDMAIL="$T/sendmail-fail" uc3 overdue --mail
	matches "$stderr" 'exit 75'
	repo_unchanged
	run -0 --separate-stderr at "$(fri 09:02)" uc3 overdue --mail --format json
	equal "$stderr" ""
	equal "$(jq -c '.[0] | [.id, .retried, .messages]' <<<"$output" 2>/dev/null ||
		python3 -c 'import json,sys; o=json.load(sys.stdin)[0]; print(json.dumps([o["id"],o["retried"],o["messages"]],separators=(",",":")))' <<<"$output")" \
		"[\"$id\",\"escalated\",1]"
	equal "$(strict_summary | cut -d' ' -f1)" "wakor@unej.ac.id:"
	grep -q 'Data di Keuangan' "$T"/mail/1.eml
	equal "$(notices "$id")" "wakor@unej.ac.id escalated wakor false mid"
	run -0 --separate-stderr at "$(fri 09:03)" uc3 overdue --mail
	equal "$output" ""
	equal "$(mail_count)" 1
	run -0 uc3 verify || { echo "$output" >&2; false; }
}

@test "overdue: an open index of the old format is rebuilt, with the retries' flags" {
	notify_repo
	set_notify acknowledge true
	people
	# the acknowledgement cannot go when the ticket is registered: it is owed
	UC3_SENDMAIL="$T/sendmail-fail" at "$(fri 09:00)" new_ticket >/dev/null 2>&1
	run -0 at "$(fri 09:01)" uc3 overdue
	equal "$(head -1 .git/uc3/open-index)" "uc3 open-index 3"
	matches "$(tail -1 .git/uc3/open-index)" $'\ta\t[^\t]*$'
	sed -i '1s/.*/uc3 open-index 2/' .git/uc3/open-index
	run -0 at "$(fri 09:01)" uc3 overdue
	equal "$(head -1 .git/uc3/open-index)" "uc3 open-index 3"
	run -0 at "$(fri 09:01)" uc3 overdue --mail
	equal "$(mail_count)" 1
	run -0 at "$(fri 09:02)" uc3 overdue
	# the flags (owed nothing now), then the acknowledgement's Message-ID
	equal "$(tail -1 .git/uc3/open-index | awk -F'\t' '{ print $(NF - 1) }')" ""
	matches "$(tail -1 .git/uc3/open-index | awk -F'\t' '{ print $NF }')" '^<[^ ]+@unej\.ac\.id>$'
}
