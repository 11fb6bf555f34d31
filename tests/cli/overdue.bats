#!/usr/bin/env bats
# uc3 overdue (DESIGN 2b, 6, 8): every open step past its deadline on the
# business calendar, most late first; silent and exit 0 when there is
# none; --warn, --at, --format json; --mail tells the people responsible
# once per late step through sendmail and records the notices in one
# commit; the index of open tickets in $GIT_DIR/uc3/open-index.

load helper

# The Subject header of a saved message, its folded lines joined (RFC 5322
# folds long headers: a line break followed by a blank).
unfolded_subject() {
	awk '/^Subject:/ { s = $0; on = 1; next }
	     on && /^[ \t]/ { s = s $0; next }
	     { on = 0 }
	     END { print s }' "$1"
}

PEOPLE='  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: humas2@unej.ac.id, name: Staf Dua, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Koordinator, roles: [wakor]}
  - {email: koord@unej.ac.id, name: Koordinator, roles: [koordinator]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}'

HEAD_LINE='ID             STEP         DUE               LATE    WHO          SUBJECT'

# UC3_NOW=$1 for the command that follows.
at() {
	local when="$1"
	shift
	UC3_NOW="$when" "$@"
}

# A ticket at every step, all on Friday 2026-11-27, in single-user mode:
#   0001 open at staf          new 09:00                  due 09:05
#   0002 open at wakor         escalated 09:01            due 10:01
#   0003 open at koordinator   escalated 09:01, 09:02     due 11:02
#   0004 open at kabiro        escalated 09:01..09:03     due 09:33
#   0005 answered              answered 09:01             deliver due 09:06
#   0006 delivered             answered 09:01, del. 09:02 archive due 09:07
#   0007 closed                closed 09:03               never late
every_step() {
	fixture_repo make_every_step
}

make_every_step() {
	init_repo
	SUBJECT="Tiket di staf" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di wakor" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di koordinator" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di kabiro" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Jawaban belum disampaikan" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Belum diarsipkan" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Sudah selesai" at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0002 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0003 >/dev/null
	at_time 09:02 uc3 escalate UC3-2026-0003 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0004 >/dev/null
	at_time 09:02 uc3 escalate UC3-2026-0004 >/dev/null
	at_time 09:03 uc3 escalate UC3-2026-0004 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah diverifikasi." UC3-2026-0005 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah diverifikasi." UC3-2026-0006 >/dev/null
	at_time 09:02 uc3 deliver UC3-2026-0006 >/dev/null
	at_time 09:01 uc3 answer -m "Sudah diverifikasi." UC3-2026-0007 >/dev/null
	at_time 09:02 uc3 deliver UC3-2026-0007 >/dev/null
	at_time 09:03 uc3 close --unit "Bagian Keuangan" UC3-2026-0007 >/dev/null
}

# Run uc3 overdue with the arguments given; it must be silent: exit 0 and
# nothing at all on stdout or stderr.
silent() {
	run -0 --separate-stderr uc3 overdue "$@"
	equal "$output" ""
	equal "$stderr" ""
}

# A repository with the sendmail stand-in (or the command $1) in the
# policy, then people, and three late tickets at 10:30 on Friday (made in
# single-user mode, before the people; the policy is not changed after
# them, so that uc3 verify stays clean):
#   0001 open at staf  (due 09:05)   told: humas1, humas2 (staf), wakor (next up)
#   0002 open at wakor (due 10:01)   told: wakor, koord (next up)
#   0003 open at kabiro (due 09:33)  told: kabiro (nobody above)
#   0004 open at staf, due 10:33: not late at 10:30
mail_repo() {
	init_repo
	fake_sendmail
	SUBJECT="Tiket di staf" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di wakor" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di kabiro" at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0002 >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0003 >/dev/null
	at_time 09:02 uc3 escalate UC3-2026-0003 >/dev/null
	at_time 09:03 uc3 escalate UC3-2026-0003 >/dev/null
	SUBJECT="Belum terlambat" at_time 10:28 new_ticket >/dev/null
	# dated after the tickets: a commit dated before its parent is a backdate
	at_time 10:29 use_sendmail "${1:-}"
	at_time 10:29 set_people <<<"$PEOPLE"
}

MAIL_AT=2026-11-27T10:30:00+07:00

# What the three late tickets of mail_repo tell whom.
MAIL_SUMMARY='humas1@unej.ac.id: UC3-2026-0001
humas2@unej.ac.id: UC3-2026-0001
kabiro@unej.ac.id: UC3-2026-0003
koord@unej.ac.id: UC3-2026-0002
wakor@unej.ac.id: UC3-2026-0001 UC3-2026-0002'

# --- What is late, on the business calendar ---

@test "overdue: a breach at every step, most late first, closed tickets never" {
	every_step
	run -1 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$stderr" ""
	equal "$output" "$HEAD_LINE
UC3-2026-0001  staf         2026-11-27 09:05  2h 25m  staf         Tiket di staf
UC3-2026-0005  deliver      2026-11-27 09:06  2h 24m  staf         Jawaban belum disampaikan
UC3-2026-0006  archive      2026-11-27 09:07  2h 23m  staf         Belum diarsipkan
UC3-2026-0004  kabiro       2026-11-27 09:33  1h 57m  kabiro       Tiket di kabiro
UC3-2026-0002  wakor        2026-11-27 10:01  1h 29m  wakor        Tiket di wakor
UC3-2026-0003  koordinator  2026-11-27 11:02  28m     koordinator  Tiket di koordinator"
}

@test "overdue: silent and exit 0 before any deadline, and at the deadline itself" {
	every_step
	silent
	silent --at 2026-11-27T09:04:59+07:00
	# at 09:05:00 the staf step is due, not late
	silent --at 2026-11-27T09:05:00+07:00
	run -1 --separate-stderr uc3 overdue --at 2026-11-27T09:05:01+07:00
	equal "$stderr" ""
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0001  staf  2026-11-27 09:05  <1m  '
	run -1 uc3 overdue --at 2026-11-27T09:05:01+07:00 --format json
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["late_seconds"])' <<<"$output")" 1
}

@test "overdue: only the steps that are late, as the day goes on" {
	every_step
	ids() {
		run -1 --separate-stderr at "2026-11-27T$1:00+07:00" uc3 overdue
		equal "$stderr" ""
		awk 'NR > 1 { printf "%s ", $1 }' <<<"$output"
	}
	equal "$(ids 09:06)" "UC3-2026-0001 "
	equal "$(ids 09:08)" "UC3-2026-0001 UC3-2026-0005 UC3-2026-0006 "
	equal "$(ids 09:40)" "UC3-2026-0001 UC3-2026-0005 UC3-2026-0006 UC3-2026-0004 "
	equal "$(ids 10:05)" "UC3-2026-0001 UC3-2026-0005 UC3-2026-0006 UC3-2026-0004 UC3-2026-0002 "
}

@test "overdue across a weekend: due Friday 15:58 + 5m is Monday 07:33" {
	init_repo
	at_time 15:58 new_ticket >/dev/null
	equal "$(yget "$(ticket_path UC3-2026-0001)" deadline)" 2026-11-30T07:33:00+07:00
	silent --at 2026-11-27T16:30:00+07:00
	silent --at 2026-11-28T12:00:00+07:00
	silent --at 2026-11-29T23:59:00+07:00
	silent --at 2026-11-30T07:32:00+07:00
	silent --at 2026-11-30T07:33:00+07:00
	run -1 --separate-stderr uc3 overdue --at 2026-11-30T07:34:00+07:00
	equal "$stderr" ""
	equal "$output" "ID             STEP  DUE               LATE  WHO   SUBJECT
UC3-2026-0001  staf  2026-11-30 07:33  1m    staf  Pembayaran UKT belum terverifikasi"
	run -1 uc3 overdue --at 2026-11-30T07:34:00+07:00 --format json
	equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["late_seconds"])' <<<"$output")" 60
	# the weekend does not count in how late it is either
	run -1 uc3 overdue --at 2026-11-30T09:00:00+07:00
	matches "${lines[1]}" '  1h 27m  staf  '
}

@test "overdue across a holiday: due Tuesday, and the holiday does not count as late" {
	init_repo
	edit_policy 's/^  holidays:$/&\n    - 2026-11-30/'
	at_time 15:58 new_ticket >/dev/null
	SUBJECT="Jumat pagi" at_time 09:00 new_ticket >/dev/null
	equal "$(yget "$(ticket_path UC3-2026-0001)" deadline)" 2026-12-01T07:33:00+07:00
	run -1 uc3 overdue --at 2026-11-30T15:00:00+07:00
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0002 '
	run -1 --separate-stderr uc3 overdue --at 2026-12-01T07:34:00+07:00
	equal "$stderr" ""
	# 0002: Friday 09:05-16:00 and Tuesday 07:30-07:34; Monday is a holiday
	equal "$output" "ID             STEP  DUE               LATE    WHO   SUBJECT
UC3-2026-0002  staf  2026-11-27 09:05  6h 59m  staf  Jumat pagi
UC3-2026-0001  staf  2026-12-01 07:33  1m      staf  Pembayaran UKT belum terverifikasi"
}

@test "overdue across a lunch break: 07:30-12:00,13:00-16:00" {
	init_repo
	edit_policy 's/07:30-16:00/07:30-12:00,13:00-16:00/'
	at_time 11:58 new_ticket >/dev/null
	equal "$(yget "$(ticket_path UC3-2026-0001)" deadline)" 2026-11-27T13:03:00+07:00
	silent --at 2026-11-27T12:01:00+07:00
	silent --at 2026-11-27T12:59:00+07:00
	silent --at 2026-11-27T13:03:00+07:00
	run -1 --separate-stderr uc3 overdue --at 2026-11-27T13:04:00+07:00
	equal "$stderr" ""
	equal "$output" "ID             STEP  DUE               LATE  WHO   SUBJECT
UC3-2026-0001  staf  2026-11-27 13:03  1m    staf  Pembayaran UKT belum terverifikasi"
	# late from the morning: 09:05-12:00 and 13:00-13:10, not the lunch hour
	SUBJECT="Pagi" at_time 09:00 new_ticket >/dev/null
	run -1 uc3 overdue --at 2026-11-27T13:10:00+07:00
	equal "${#lines[@]}" 3
	matches "${lines[1]}" '^UC3-2026-0002  staf  2026-11-27 09:05  3h 5m  '
	matches "${lines[2]}" '^UC3-2026-0001  staf  2026-11-27 13:03  7m     '
}

@test "overdue with hours: always counts every minute" {
	init_repo
	python3 - <<'PY'
import re
s = open("uc3.yaml", encoding="utf-8").read()
s = re.sub(r"  hours:\n(    [a-z]{3}: .*\n)+", "  hours: always\n", s)
s = re.sub(r"(?m)^  holidays:\n(    .*\n)+", "", s)
open("uc3.yaml", "w", encoding="utf-8").write(s)
PY
	git commit -q -am "policy: round the clock"
	at_time 15:58 new_ticket >/dev/null
	run -1 uc3 overdue --at 2026-11-28T16:03:00+07:00
	matches "${lines[1]}" '^UC3-2026-0001  staf  2026-11-27 16:03  1d  '
}

# --- Options ---

@test "overdue --at: RFC 3339, Z, or local time in the policy's zone; it wins over UC3_NOW" {
	every_step
	silent
	run -1 --separate-stderr uc3 overdue --at 2026-11-27T11:00:00+07:00
	equal "$stderr" ""
	local want="$output"
	equal "${#lines[@]}" 6
	matches "${lines[1]}" '^UC3-2026-0001  staf  .*  1h 55m  '
	run -1 --separate-stderr uc3 overdue --at "2026-11-27 11:00"
	equal "$output" "$want"
	run -1 --separate-stderr uc3 overdue --at 2026-11-27T04:00:00Z
	equal "$output" "$want"
	run -1 --separate-stderr uc3 overdue --at=2026-11-27T04:00:00Z
	equal "$output" "$want"
	UC3_NOW=2026-11-27T11:00:00+07:00 run -1 --separate-stderr uc3 overdue
	equal "$output" "$want"
	UC3_NOW=2026-11-27T11:00:00+07:00 silent --at 2026-11-27T09:00:00+07:00
}

@test "overdue --warn 10m: steps due within 10 business minutes, marked, exit 0 when only warnings" {
	every_step
	run -0 --separate-stderr uc3 overdue --warn 10m
	equal "$stderr" ""
	equal "$output" "ID             STEP     DUE               LATE       WHO   SUBJECT
UC3-2026-0001  staf     2026-11-27 09:05  due in 5m  staf  (warning) Tiket di staf
UC3-2026-0005  deliver  2026-11-27 09:06  due in 6m  staf  (warning) Jawaban belum disampaikan
UC3-2026-0006  archive  2026-11-27 09:07  due in 7m  staf  (warning) Belum diarsipkan"
	# breaches first, then warnings soonest first; a breach makes it exit 1
	run -1 --separate-stderr uc3 overdue --warn 10m --at 2026-11-27T09:25:00+07:00
	equal "$stderr" ""
	equal "$output" "ID             STEP     DUE               LATE       WHO     SUBJECT
UC3-2026-0001  staf     2026-11-27 09:05  20m        staf    Tiket di staf
UC3-2026-0005  deliver  2026-11-27 09:06  19m        staf    Jawaban belum disampaikan
UC3-2026-0006  archive  2026-11-27 09:07  18m        staf    Belum diarsipkan
UC3-2026-0004  kabiro   2026-11-27 09:33  due in 8m  kabiro  (warning) Tiket di kabiro"
	# in business minutes: due Monday 07:33 is within 10m on Friday at 15:55
	init_repo r2
	at_time 15:58 new_ticket >/dev/null
	silent --warn 10m --at 2026-11-27T15:50:00+07:00
	run -0 uc3 overdue --warn 10m --at 2026-11-27T15:55:00+07:00
	matches "${lines[1]}" '^UC3-2026-0001  staf  2026-11-30 07:33  due in 8m  '
	run -0 uc3 overdue --warn 1h --at 2026-11-28T10:00:00+07:00
	matches "${lines[1]}" 'due in 3m'
	# without --warn nothing is said of them
	silent --at 2026-11-27T15:55:00+07:00
}

@test "overdue --format json: one object per step with the documented fields" {
	every_step
	run -1 --separate-stderr uc3 overdue --format json --warn 2h --at 2026-11-27T09:40:00+07:00
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
keys = ["id", "subject", "step", "role", "people", "due", "late_seconds", "late_minutes",
        "left_minutes", "warning"]
for o in d:
    assert list(o) == keys, o
got = [(o["id"], o["subject"], o["step"], o["role"], o["people"], o["due"],
        o["late_seconds"], o["late_minutes"], o["left_minutes"], o["warning"]) for o in d]
want = [
    ("UC3-2026-0001", "Tiket di staf", "staf", "staf", [], "2026-11-27T09:05:00+07:00", 2100, 35, -35, False),
    ("UC3-2026-0005", "Jawaban belum disampaikan", "deliver", "staf", [], "2026-11-27T09:06:00+07:00", 2040, 34, -34, False),
    ("UC3-2026-0006", "Belum diarsipkan", "archive", "staf", [], "2026-11-27T09:07:00+07:00", 1980, 33, -33, False),
    ("UC3-2026-0004", "Tiket di kabiro", "kabiro", "kabiro", [], "2026-11-27T09:33:00+07:00", 420, 7, -7, False),
    ("UC3-2026-0002", "Tiket di wakor", "wakor", "wakor", [], "2026-11-27T10:01:00+07:00", 0, 0, 21, True),
    ("UC3-2026-0003", "Tiket di koordinator", "koordinator", "koordinator", [], "2026-11-27T11:02:00+07:00", 0, 0, 82, True),
]
if got != want:
    sys.exit("got:\n%s\nwant:\n%s" % ("\n".join(map(repr, got)), "\n".join(map(repr, want))))
PY
	# with people: those holding the step's role
	set_people <<<"$PEOPLE"
	run -1 uc3 overdue --format json --at 2026-11-27T09:40:00+07:00
	python3 - "$output" <<'PY'
import json, sys
d = {o["id"]: o["people"] for o in json.loads(sys.argv[1])}
want = {"UC3-2026-0001": ["humas1@unej.ac.id", "humas2@unej.ac.id"],
        "UC3-2026-0005": ["humas1@unej.ac.id", "humas2@unej.ac.id"],
        "UC3-2026-0006": ["humas1@unej.ac.id", "humas2@unej.ac.id"],
        "UC3-2026-0004": ["kabiro@unej.ac.id"]}
assert d == want, d
PY
	# nothing late: no output at all, not even []
	silent --format json
	silent --format=json
}

@test "overdue with people: WHO names those holding the step's role" {
	every_step
	set_people <<<"$PEOPLE"
	run -1 --separate-stderr uc3 overdue --at 2026-11-27T11:30:00+07:00
	equal "$stderr" ""
	equal "$output" "ID             STEP         DUE               LATE    WHO                                          SUBJECT
UC3-2026-0001  staf         2026-11-27 09:05  2h 25m  staf (humas1@unej.ac.id, humas2@unej.ac.id)  Tiket di staf
UC3-2026-0005  deliver      2026-11-27 09:06  2h 24m  staf (humas1@unej.ac.id, humas2@unej.ac.id)  Jawaban belum disampaikan
UC3-2026-0006  archive      2026-11-27 09:07  2h 23m  staf (humas1@unej.ac.id, humas2@unej.ac.id)  Belum diarsipkan
UC3-2026-0004  kabiro       2026-11-27 09:33  1h 57m  kabiro (kabiro@unej.ac.id)                   Tiket di kabiro
UC3-2026-0002  wakor        2026-11-27 10:01  1h 29m  wakor (wakor@unej.ac.id)                     Tiket di wakor
UC3-2026-0003  koordinator  2026-11-27 11:02  28m     koordinator (koord@unej.ac.id)               Tiket di koordinator"
}

@test "overdue changes nothing without --mail" {
	every_step
	snapshot
	run -1 uc3 overdue --at 2026-11-27T11:30:00+07:00
	run -1 uc3 overdue --format json --at 2026-11-27T11:30:00+07:00
	run -0 uc3 overdue --warn 30m
	repo_unchanged
}

# --- --mail ---

@test "overdue --mail: one message per person with their breaches, holders and the next role up" {
	mail_repo
	local before
	before="$(commit_count)"
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_count)" 5
	equal "$(mail_summary)" "$MAIL_SUMMARY"
	# each message has one recipient, and sendmail got -t -i as the policy says
	local f
	for f in "$T"/mail/*.eml; do
		equal "$(grep -c '^To:' "$f")" 1
		equal "$(cat "${f%.eml}.args")" "-t -i"
	done
	# what was told now is printed: the three breaches, not 0004
	equal "${#lines[@]}" 4
	equal "$(awk 'NR > 1 { printf "%s ", $1 }' <<<"$output")" "UC3-2026-0001 UC3-2026-0003 UC3-2026-0002 "
	equal "$(commit_count)" "$((before + 1))"
}

@test "overdue --mail: every message parses back with its headers, body and encodings" {
	mail_repo
	# a sender's name and a subject that are not ASCII
	edit_policy 's|^  from: .*|  from: Layanan Pelanggan Café <uc3@unej.ac.id>|'
	sed -i '1s/.*/Subject: [{{prefix}}] Peringatan — {{count}} tiket terlambat/' templates/overdue.txt
	git commit -q -am "templates: subject"
	run -1 at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_count)" 5
	python3 - "$T/mail" <<'PY'
import email, email.policy, email.utils, os, re, sys
d = sys.argv[1]
want = {
    "humas1@unej.ac.id": (["UC3-2026-0001"], "Staf Satu"),
    "humas2@unej.ac.id": (["UC3-2026-0001"], "Staf Dua"),
    "wakor@unej.ac.id": (["UC3-2026-0001", "UC3-2026-0002"], "Wakil Koordinator"),
    "koord@unej.ac.id": (["UC3-2026-0002"], "Koordinator"),
    "kabiro@unej.ac.id": (["UC3-2026-0003"], "Kepala Biro"),
}
seen = set()
for f in sorted(os.listdir(d)):
    if not f.endswith(".eml"):
        continue
    raw = open(os.path.join(d, f), "rb").read()
    head = raw.split(b"\n\n", 1)[0].decode("ascii")  # headers are ASCII
    m = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"):
        assert len(m.get_all(h) or []) == 1, (f, h)
    assert m.defects == [], (f, m.defects)
    when = email.utils.parsedate_to_datetime(m["Date"])
    assert when.isoformat() == "2026-11-27T10:30:00+07:00", when
    assert m["From"].addresses[0].display_name == "Layanan Pelanggan Café", m["From"]
    assert m["From"].addresses[0].addr_spec == "uc3@unej.ac.id"
    # the name not ASCII: RFC 2047 encoded words in UTF-8 (B or Q, as GMime finds shorter)
    assert re.search(r"^From: [^\n]*=\?UTF-8\?[BbQq]\?[^?\s]+\?= <uc3@unej\.ac\.id>$", head, re.M), head
    to = m["To"].addresses
    assert len(to) == 1, m["To"]
    to = to[0].addr_spec
    assert to in want and to not in seen, to
    seen.add(to)
    ids, name = want[to]
    assert re.search(r"^Subject: [^\n]*=\?UTF-8\?[BbQq]\?", head, re.M), head
    assert str(m["Subject"]) == "[UC3] Peringatan — %d tiket terlambat" % len(ids), m["Subject"]
    assert re.fullmatch(r"<[^<>@\s]+@unej\.ac\.id>", m["Message-ID"]), m["Message-ID"]
    assert m["MIME-Version"] == "1.0"
    assert m.get_content_type() == "text/plain"
    assert m.get_content_charset() == "utf-8"
    body = m.get_content()
    assert sorted(set(re.findall(r"UC3-2026-\d{4}", body))) == ids, (to, body)
    assert "Yth. %s," % name in body, body
    assert "UC3-2026-0004" not in body
    for line in head.split("\n"):
        assert len(line) <= 78, line
assert seen == set(want), seen
# Message-IDs differ
mids = [email.message_from_bytes(open(os.path.join(d, f), "rb").read(), policy=email.policy.default)["Message-ID"]
        for f in os.listdir(d) if f.endswith(".eml")]
assert len(set(mids)) == len(mids), mids
PY
}

@test "overdue --mail: the body lists each breach with its step, due time and lateness" {
	mail_repo
	run -1 at "$MAIL_AT" uc3 overdue --mail
	local f
	f="$(grep -l '^To: wakor@unej.ac.id$' "$T"/mail/*.eml)"
	python3 - "$f" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert m["Subject"] == "[UC3] 2 tiket melewati batas waktu / past the SOP deadline", m["Subject"]
body = m.get_content()
for want in ("Yth. Wakil Koordinator,",
             "- UC3-2026-0001: Tiket di staf\n  langkah staf (Staf Humas), batas 2026-11-27 09:05, terlambat 1h 25m\n",
             "- UC3-2026-0002: Tiket di wakor\n  langkah wakor (Wakil Koordinator PKIH), batas 2026-11-27 10:01, terlambat 29m\n",
             "SOP PKIH HUM-08",
             "University Customer Care Center (UC3), Universitas Jember"):
    assert want in body, (want, body)
PY
}

@test "overdue --mail: one notice commit, notice events with to and the late step, verify clean" {
	mail_repo
	local before
	before="$(git rev-parse HEAD)"
	run -1 at "$MAIL_AT" uc3 overdue --mail
	equal "$(git rev-parse HEAD~1)" "$before"
	equal "$(trailer Action)" notice
	equal "$(git log -1 --format='%an <%ae> %aI')" "Staf Satu <humas1@unej.ac.id> 2026-11-27T10:30:00+07:00"
	equal "$(git log -1 --format=%s)" "overdue: 6 notices of late steps, 3 tickets"
	# the three late tickets' files, and nothing else
	equal "$(git show --format= --name-only HEAD | sort)" "tickets/2026/11/UC3-2026-0001.yaml
tickets/2026/11/UC3-2026-0002.yaml
tickets/2026/11/UC3-2026-0003.yaml"
	local p
	p="$(committed_ticket UC3-2026-0001)"
	equal "$(events_table "$p" | grep '^notice' | sort)" "notice ->humas1@unej.ac.id step=staf 2026-11-27T09:05:00+07:00 true
notice ->humas2@unej.ac.id step=staf 2026-11-27T09:05:00+07:00 true
notice ->wakor@unej.ac.id step=staf 2026-11-27T09:05:00+07:00 true"
	equal "$(yget "$p" events.1.action)" notice
	equal "$(yget "$p" events.1.at)" 2026-11-27T10:30:00+07:00
	equal "$(yget "$p" events.1.by)" humas1@unej.ac.id
	run -3 yget "$p" events.1.from
	equal "$(yget "$p" status)" open
	equal "$(yget "$p" level)" staf
	equal "$(yget "$p" deadline)" 2026-11-27T09:05:00+07:00
	p="$(committed_ticket UC3-2026-0002)"
	equal "$(events_table "$p" | grep '^notice' | sort)" "notice ->koord@unej.ac.id step=wakor 2026-11-27T10:01:00+07:00 true
notice ->wakor@unej.ac.id step=wakor 2026-11-27T10:01:00+07:00 true"
	p="$(committed_ticket UC3-2026-0003)"
	equal "$(events_table "$p" | grep '^notice')" "notice ->kabiro@unej.ac.id step=kabiro 2026-11-27T09:33:00+07:00 true"
	# the work tree follows
	equal "$(cat tickets/2026/11/UC3-2026-0003.yaml)" "$(git show HEAD:tickets/2026/11/UC3-2026-0003.yaml)"
	run -0 --separate-stderr uc3 verify
	matches "$output" ' 0 findings$'
	# the listing without --mail is as before: notices change no deadline
	run -1 at "$MAIL_AT" uc3 overdue
	equal "${#lines[@]}" 4
}

@test "overdue --mail: the next run sends nothing new and prints nothing" {
	mail_repo
	run -1 at "$MAIL_AT" uc3 overdue --mail
	local head
	head="$(git rev-parse HEAD)"
	run -1 --separate-stderr at 2026-11-27T10:32:00+07:00 uc3 overdue --mail
	equal "$output" ""
	equal "$stderr" ""
	equal "$(mail_count)" 5
	equal "$(git rev-parse HEAD)" "$head"
	# a step that becomes late later is told on its own
	run -1 --separate-stderr at 2026-11-27T10:34:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0004  staf  2026-11-27 10:33  1m  '
	equal "$(mail_count)" 8
	equal "$(mail_summary | grep -c 'UC3-2026-0004')" 3
	equal "$(git rev-list --count "$head"..HEAD)" 1
	# once a late step is escalated, its new step is told again when late
	at 2026-11-27T10:40:00+07:00 uc3 escalate UC3-2026-0001 >/dev/null
	run -1 --separate-stderr at 2026-11-27T10:41:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	# no late step is told; only, when uc3 escalate could not mail it, the escalation
	equal "$(grep -v '^UC3-2026-0001: escalation notice sent again' <<<"$output")" ""
	rm "$T"/mail/*
	run -1 at 2026-11-27T11:41:00+07:00 uc3 overdue --mail
	matches "$output" 'UC3-2026-0001  wakor '
	equal "$(mail_summary | grep 'UC3-2026-0001')" "koord@unej.ac.id: UC3-2026-0001
wakor@unej.ac.id: UC3-2026-0001"
}

@test "overdue --mail: a failing sendmail records nothing and exits 2; the next run sends" {
	mail_repo
	# the policy names $T/sendmail; for now it is the failing one
	cp "$T/sendmail-fail" "$T/sendmail"
	snapshot
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$output" ""
	matches "$stderr" '^uc3 overdue: 5 messages not sent, nothing recorded for them .*exit 75'
	matches "$stderr" 'cannot queue the message'
	repo_unchanged
	equal "$(mail_count)" 0
	fake_sendmail
	run -1 --separate-stderr at 2026-11-27T10:31:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_count)" 5
	equal "$(mail_summary)" "$MAIL_SUMMARY"
	equal "$(trailer Action)" notice
	run -0 uc3 verify
}

@test "overdue --mail: when one message fails, only its notices wait for the next run" {
	# a sendmail that refuses mail to wakor only
	mkdir -p "$T"
	cat >"$T/picky" <<SH
#!/bin/sh
cat >"$T/picky.msg"
if grep -q '^To: wakor@' "$T/picky.msg"; then echo "wakor: mailbox full" >&2; exit 75; fi
exec "$T/sendmail" "\$@" <"$T/picky.msg"
SH
	chmod +x "$T/picky"
	mail_repo "$T/picky -t -i"
	local before
	before="$(commit_count)"
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	matches "$stderr" '^uc3 overdue: 1 message not sent, nothing recorded for it .*exit 75.*mailbox full'
	equal "$(mail_count)" 4
	equal "$(mail_summary | cut -d: -f1 | tr '\n' ' ')" "humas1@unej.ac.id humas2@unej.ac.id kabiro@unej.ac.id koord@unej.ac.id "
	equal "$(commit_count)" "$((before + 1))"
	run -1 grep -c 'to: wakor@' tickets/2026/11/UC3-2026-0001.yaml
	equal "$output" 0
	run -0 uc3 verify
	cp "$T/sendmail" "$T/picky"
	rm "$T"/mail/*
	run -1 --separate-stderr at 2026-11-27T10:31:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_summary)" "wakor@unej.ac.id: UC3-2026-0001 UC3-2026-0002"
	equal "$(grep -c 'to: wakor@' tickets/2026/11/UC3-2026-0001.yaml)" 1
	run -0 uc3 verify
}

@test "overdue --mail without a git identity: an error, nothing sent, nothing recorded" {
	mail_repo
	git config --global --unset user.email
	git config --global --unset user.name
	snapshot
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	matches "$stderr" '^uc3 overdue: who are you\?'
	equal "$(mail_count)" 0
	repo_unchanged
	# GIT_AUTHOR_EMAIL is an identity, as for every command
	GIT_AUTHOR_EMAIL=wakor@unej.ac.id GIT_AUTHOR_NAME="Wakil Koordinator" run -1 at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_count)" 5
	equal "$(git log -1 --format='%an <%ae>')" "Wakil Koordinator <wakor@unej.ac.id>"
	equal "$(yget "$(committed_ticket UC3-2026-0003)" events.4.by)" wakor@unej.ac.id
	run -0 uc3 verify
}

@test "overdue --mail with notify.office_hours_only: held at 17:00, sent the next business morning" {
	mail_repo
	edit_policy 's/office_hours_only: false/office_hours_only: true/'
	snapshot
	run -1 --separate-stderr at 2026-11-27T17:00:00+07:00 uc3 overdue --mail
	equal "$output" ""
	equal "$stderr" ""
	equal "$(mail_count)" 0
	repo_unchanged
	# Saturday: held too
	run -1 at 2026-11-28T10:00:00+07:00 uc3 overdue --mail
	equal "$(mail_count)" 0
	repo_unchanged
	# Monday 07:31: 0004 (due Friday 10:33) is late by now too
	run -1 --separate-stderr at 2026-11-30T07:31:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	equal "${#lines[@]}" 5
	equal "$(mail_summary)" "humas1@unej.ac.id: UC3-2026-0001 UC3-2026-0004
humas2@unej.ac.id: UC3-2026-0001 UC3-2026-0004
kabiro@unej.ac.id: UC3-2026-0003
koord@unej.ac.id: UC3-2026-0002
wakor@unej.ac.id: UC3-2026-0001 UC3-2026-0002 UC3-2026-0004"
	equal "$(trailer Action)" notice
	equal "$(yget "$(committed_ticket UC3-2026-0003)" events.4.at)" 2026-11-30T07:31:00+07:00
	# without the option, mail goes out at any hour
	init_repo r2
	fake_sendmail
	use_sendmail
	set_people <<<"$PEOPLE"
	at_time 09:00 new_ticket >/dev/null
	run -1 at 2026-11-27T17:00:00+07:00 uc3 overdue --mail
	equal "$(mail_count)" 8
	equal "$(trailer Action)" notice
}

@test "overdue --mail: nobody holding the roles, notify.fallback is told" {
	init_repo
	fake_sendmail
	at_time 09:00 use_sendmail
	at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0001 >/dev/null
	at_time 09:02 edit_policy 's/fallback: \[\]/fallback: [pimpinan@unej.ac.id, sekretariat@unej.ac.id]/'
	at_time 09:02 set_people <<<'  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}'
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$stderr" ""
	# WHO names whom the step falls to: here the fallback
	matches "${lines[1]}" '^UC3-2026-0001  wakor .* wakor \(pimpinan@unej\.ac\.id, sekretariat@unej\.ac\.id\)  '
	equal "$(mail_summary)" "pimpinan@unej.ac.id: UC3-2026-0001
sekretariat@unej.ac.id: UC3-2026-0001"
	equal "$(events_table "$(committed_ticket UC3-2026-0001)" | grep '^notice' | sort)" "notice ->pimpinan@unej.ac.id step=wakor 2026-11-27T10:01:00+07:00 true
notice ->sekretariat@unej.ac.id step=wakor 2026-11-27T10:01:00+07:00 true"
	# the fallback is not told when somebody holds the role
	at_time 10:31 new_ticket >/dev/null
	rm "$T"/mail/*
	run -1 at 2026-11-27T10:40:00+07:00 uc3 overdue --mail
	equal "$(mail_summary)" "humas1@unej.ac.id: UC3-2026-0002"
	run -0 uc3 verify
}

@test "overdue --mail in single-user mode: the fallback is told; without one, nobody is, and it says so" {
	init_repo
	fake_sendmail
	use_sendmail
	at_time 09:00 new_ticket >/dev/null
	snapshot
	# exit 2, so that cron mails it; the late step is printed all the same
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	one_line_error "uc3 overdue" '^uc3 overdue: 1 late step reached nobody: uc3\.yaml lists no people \(single-user mode\) and no notify\.fallback$'
	matches "${lines[1]}" '^UC3-2026-0001  staf  '
	equal "$(mail_count)" 0
	repo_unchanged
	edit_policy 's/fallback: \[\]/fallback: [pimpinan@unej.ac.id]/'
	run -1 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_summary)" "pimpinan@unej.ac.id: UC3-2026-0001"
	equal "$(trailer Action)" notice
}

@test "overdue --mail: notify.holders and notify.next_up false leave those out" {
	mail_repo
	edit_policy 's/next_up: true /next_up: false/'
	run -1 at "$MAIL_AT" uc3 overdue --mail
	equal "$(mail_summary)" "humas1@unej.ac.id: UC3-2026-0001
humas2@unej.ac.id: UC3-2026-0001
kabiro@unej.ac.id: UC3-2026-0003
wakor@unej.ac.id: UC3-2026-0002"
	rm "$T"/mail/*
	edit_policy 's/holders: true /holders: false/'
	edit_policy 's/next_up: false/next_up: true /'
	edit_policy 's/fallback: \[\]/fallback: [pimpinan@unej.ac.id]/'
	at_time 10:31 new_ticket >/dev/null
	run -1 at 2026-11-27T10:40:00+07:00 uc3 overdue --mail
	# late staf steps (0004, 0005, and 0001, of which only the staf was
	# told): the wakor, not the staf; the wakor's step 0002: the koordinator;
	# the kabiro's step 0003, with nobody above: the fallback
	equal "$(mail_summary)" "koord@unej.ac.id: UC3-2026-0002
pimpinan@unej.ac.id: UC3-2026-0003
wakor@unej.ac.id: UC3-2026-0001 UC3-2026-0004 UC3-2026-0005"
}

@test "overdue: a bad notify section is refused with its line and column" {
	init_repo
	new_ticket >/dev/null
	local line
	line="$(grep -n '^  holders: ' uc3.yaml | cut -d: -f1)"
	edit_policy 's/^  holders: true /  holders: yes  /'
	snapshot
	run -2 --separate-stderr uc3 overdue --at 2026-11-27T10:00:00+07:00
	equal "$output" ""
	one_line_error "uc3 overdue" "uc3\.yaml:$line:[0-9]+: .*notify\.holders must be true or false"
	git revert --no-edit HEAD >/dev/null
	line="$(grep -n '^  fallback: ' uc3.yaml | cut -d: -f1)"
	edit_policy 's/fallback: \[\]/fallback: [pimpinan]/'
	run -2 --separate-stderr uc3 overdue --mail
	equal "$output" ""
	one_line_error "uc3 overdue" "uc3\.yaml:$line:[0-9]+: .*notify\.fallback: .*pimpinan.* is not an email address"
	git revert --no-edit HEAD >/dev/null
	line="$(grep -n '^  holders: ' uc3.yaml | cut -d: -f1)"
	edit_policy 's/^  holders: true /  holder: true  /'
	snapshot
	run -2 --separate-stderr uc3 overdue --mail --at 2026-11-27T10:00:00+07:00
	equal "$output" ""
	one_line_error "uc3 overdue" "uc3\.yaml:$line:3: unknown key \"holder\" in notify"
	repo_unchanged
}

@test "overdue --mail: templates/overdue.txt of the records overrides the installed one" {
	mail_repo
	# init copied the installed template
	equal "$(git show HEAD:templates/overdue.txt)" "$(cat "$UC3_BUILD_DIR/share/uc3/templates/overdue.txt")"
	cat >templates/overdue.txt <<'EOF'
Subject: {{count}} late at {{office}} for {{person.email}}

{{#tickets}}
* {{id}} {{step}} {{late}}{{! business time }}
{{/tickets}}
{{^tickets}}
nothing
{{/tickets}}
EOF
	git commit -q -am "templates: our own overdue notice"
	run -1 at "$MAIL_AT" uc3 overdue --mail
	local f
	f="$(grep -l '^To: wakor@unej.ac.id$' "$T"/mail/*.eml)"
	equal "$(unfolded_subject "$f")" "Subject: 2 late at University Customer Care Center (UC3), Universitas Jember for wakor@unej.ac.id"
	equal "$(sed '1,/^$/d' "$f")" "* UC3-2026-0001 staf 1h 25m
* UC3-2026-0002 wakor 29m"
	# without it, the installed template is used
	git rm -q templates/overdue.txt
	git commit -q -m "templates: back to the installed one"
	at_time 10:31 new_ticket >/dev/null
	rm "$T"/mail/*
	run -1 at 2026-11-27T10:40:00+07:00 uc3 overdue --mail
	f="$(grep -l '^To: humas1@unej.ac.id$' "$T"/mail/*.eml)"
	equal "$(unfolded_subject "$f")" "Subject: [UC3] 2 tiket melewati batas waktu / past the SOP deadline"
}

@test "overdue --mail: a broken template is an error naming its line; nothing sent or recorded" {
	mail_repo
	printf 'Subject: late\n\n{{#tickets}}\n- {{id}}\n' >templates/overdue.txt
	git commit -q -am "templates: broken"
	snapshot
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	equal "$output" ""
	matches "$stderr" "^uc3 overdue: .*templates/overdue.txt:[0-9]+: unclosed section 'tickets'"
	equal "$(mail_count)" 0
	repo_unchanged
	printf 'no subject line\n\nbody\n' >templates/overdue.txt
	git commit -q -am "templates: no subject"
	snapshot
	run -2 --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	matches "$stderr" "^uc3 overdue: .*templates/overdue.txt: it must start with a 'Subject:' line"
	equal "$(mail_count)" 0
	repo_unchanged
}

# mail_repo, with a template that puts the tickets' subjects in the
# Subject: header, and the subject of 0001 changed by hand to hold CR LF,
# a Bcc: line and a terminal escape (uc3 new refuses a line break in a
# subject; a hand edit committed with git can put one in).
injection_repo() {
	mail_repo
	sed -i '1s/.*/Subject: Terlambat: {{#tickets}}{{subject}}; {{\/tickets}}/' templates/overdue.txt
	git commit -q -am "templates: the subjects in the subject"
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i 's/^subject: .*/subject: "Tiket di staf\\r\\nBcc: x@y.example\\e[31m"/' "$p"
	git commit -q -am "hand edit: a subject with a line break"
	[ "$(yget "$p" subject)" = $'Tiket di staf\r\nBcc: x@y.example\e[31m' ]
}

@test "overdue: a subject with a line break, committed by hand, adds no table line and no escape" {
	injection_repo
	run --separate-stderr at "$MAIL_AT" uc3 overdue
	# refused as a broken file (exit 2) or listed harmlessly (exit 1), but
	# the table stays one line a step and no escape reaches the terminal
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	local l
	for l in "${lines[@]}"; do
		matches "$l" '^(ID|UC3-2026-[0-9]{4})  '
	done
	[[ "$output" != *$'\e'* ]]
	[[ "$output" != *$'\r'* ]]
}

@test "overdue --mail: a subject with a line break, committed by hand, adds no header" {
	injection_repo
	run --separate-stderr at "$MAIL_AT" uc3 overdue --mail
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	python3 - "$T/mail" <<'PY'
import email, email.policy, os, re, sys
d = sys.argv[1]
n = 0
for f in os.listdir(d):
    if not f.endswith(".eml"):
        continue
    n += 1
    raw = open(os.path.join(d, f), "rb").read()
    assert b"\x1b" not in raw and b"\r" not in raw, raw
    head = raw.split(b"\n\n", 1)[0].decode("utf-8")
    for line in head.split("\n"):
        assert re.match(r"[A-Za-z-]+: |[ \t]", line), line
        assert not line.lower().startswith("bcc:"), line
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert m.get_all("Bcc") is None, m
    assert "\n" not in str(m["Subject"]), m["Subject"]
    assert len(m["To"].addresses) == 1 and "x@y" not in str(m["To"]), m["To"]
assert n == 5, n
PY
}

@test "overdue --mail on a bare repository with -C" {
	init_bare
	fake_sendmail
	uc3 -C "$BARE" new -s "Di server" -k keluhan -c email --from "Siti <siti@example.com>" -m "Isi." >/dev/null
	git clone -q "$BARE" "$T/w"
	(
		cd "$T/w"
		at_time 09:01 use_sendmail
		at_time 09:01 set_people <<<"$PEOPLE"
		git push -q origin HEAD
	)
	rm -rf "$T/w"
	run -1 --separate-stderr uc3 -C "$BARE" overdue --at 2026-11-27T09:10:00+07:00
	equal "$stderr" ""
	matches "${lines[1]}" '^UC3-2026-0001  staf  2026-11-27 09:05  5m '
	run -1 --separate-stderr at 2026-11-27T09:10:00+07:00 uc3 overdue -C "$BARE" --mail
	equal "$stderr" ""
	equal "${#lines[@]}" 2
	equal "$(mail_summary)" "humas1@unej.ac.id: UC3-2026-0001
humas2@unej.ac.id: UC3-2026-0001
wakor@unej.ac.id: UC3-2026-0001"
	equal "$(trailer Action HEAD "$BARE")" notice
	equal "$(events_table "$(committed_ticket UC3-2026-0001 "$BARE")" | grep -c '^notice')" 3
	[ -f "$BARE/uc3/open-index" ]
	run -0 uc3 -C "$BARE" verify
	silent -C "$BARE"
	UC3_DIR="$BARE" run -1 at 2026-11-27T09:11:00+07:00 uc3 overdue --mail
	equal "$output" ""
}

@test "overdue --mail --at: late as at --at, but sent, dated and recorded now; verify clean" {
	mail_repo
	# the clock says 10:29, --at says 10:30
	run -1 --separate-stderr at 2026-11-27T10:29:00+07:00 uc3 overdue --mail --at "$MAIL_AT"
	equal "$stderr" ""
	equal "$(mail_summary)" "$MAIL_SUMMARY"
	local f
	f="$(grep -l '^To: wakor@unej.ac.id$' "$T"/mail/*.eml)"
	equal "$(grep '^Date:' "$f")" "Date: Fri, 27 Nov 2026 10:29:00 +0700"
	grep -q 'terlambat 29m$' "$f"
	equal "$(yget "$(committed_ticket UC3-2026-0002)" events.2.at)" 2026-11-27T10:29:00+07:00
	equal "$(git log -1 --format=%aI)" 2026-11-27T10:29:00+07:00
	run -0 --separate-stderr uc3 verify
	matches "$output" ' 0 findings$'
	# and the office hours are those of now, not of --at
	init_repo r2
	fake_sendmail
	use_sendmail
	edit_policy 's/office_hours_only: false/office_hours_only: true/'
	edit_policy 's/fallback: \[\]/fallback: [pimpinan@unej.ac.id]/'
	at_time 09:00 new_ticket >/dev/null
	rm "$T"/mail/*
	run -1 at 2026-11-27T17:00:00+07:00 uc3 overdue --mail --at 2026-11-27T10:00:00+07:00
	equal "$output" ""
	equal "$(mail_count)" 0
	run -1 at 2026-11-27T15:00:00+07:00 uc3 overdue --mail --at 2026-11-27T17:00:00+07:00
	equal "$(mail_summary)" "pimpinan@unej.ac.id: UC3-2026-0001"
}

# --- Broken files and the index ---

@test "overdue: a broken ticket file is named with line and column; the others are still checked" {
	every_step
	local p
	p="$(ticket_path UC3-2026-0002)"
	sed -i 's/^status: open/status: pending/' "$p"
	git commit -q -am "hand edit: break 0002"
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "${#stderr_lines[@]}" 2
	matches "${stderr_lines[0]}" "^uc3 overdue: tickets/2026/11/UC3-2026-0002\\.yaml:[0-9]+:[0-9]+: .*pending"
	equal "${stderr_lines[1]}" "uc3 overdue: 1 ticket file could not be read (named above)"
	equal "${#lines[@]}" 6
	equal "$(awk 'NR > 1 { printf "%s ", $1 }' <<<"$output")" "UC3-2026-0001 UC3-2026-0005 UC3-2026-0006 UC3-2026-0004 UC3-2026-0003 "
	# before any deadline the broken file is still an error
	run -2 --separate-stderr uc3 overdue
	equal "$output" ""
	matches "${stderr_lines[0]}" "UC3-2026-0002\\.yaml:[0-9]+:[0-9]+: "
	# broken YAML
	echo 'broken: [' >>"$(ticket_path UC3-2026-0003)"
	git commit -q -am "hand edit: break 0003"
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue --format json
	equal "${#stderr_lines[@]}" 3
	matches "${stderr_lines[1]}" "UC3-2026-0003\\.yaml:[0-9]+:[0-9]+: "
	python3 -c 'import json,sys; d = json.load(sys.stdin); assert [o["id"] for o in d] == ["UC3-2026-0001", "UC3-2026-0005", "UC3-2026-0006", "UC3-2026-0004"], d' <<<"$output"
	# mended: all well again
	git revert --no-edit HEAD HEAD~1 >/dev/null
	run -1 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$stderr" ""
	equal "${#lines[@]}" 7
}

@test "overdue: the index follows commits made with plain git" {
	every_step
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "${#lines[@]}" 7
	[ -f .git/uc3/open-index ]
	equal "$(sed -n 2p .git/uc3/open-index)" "tree $(git rev-parse HEAD:tickets)"
	# close 0001 by hand
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i -e 's/^status: open/status: closed/' -e '/^level: /d' -e '/^deadline: /d' "$p"
	git commit -q -am "hand edit: close 0001"
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$(awk 'NR > 1 { printf "%s ", $1 }' <<<"$output")" "UC3-2026-0005 UC3-2026-0006 UC3-2026-0004 UC3-2026-0002 UC3-2026-0003 "
	equal "$(sed -n 2p .git/uc3/open-index)" "tree $(git rev-parse HEAD:tickets)"
	# a new ticket file added with git
	sed -e 's/UC3-2026-0001/UC3-2026-0099/' -e 's/^subject: .*/subject: Ditambah dengan git/' \
		-e 's/^status: closed/status: open/' "$p" >tickets/2026/11/UC3-2026-0099.yaml
	sed -i 's/^body: /level: wakor\ndeadline: 2026-11-27T08:00:00+07:00\nbody: /' tickets/2026/11/UC3-2026-0099.yaml
	git add tickets/2026/11/UC3-2026-0099.yaml
	git commit -q -m "hand: add 0099"
	run -1 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$stderr" ""
	matches "${lines[1]}" '^UC3-2026-0099  wakor +2026-11-27 08:00  3h 30m  .*Ditambah dengan git$'
	# a deadline moved by hand
	sed -i 's/^deadline: .*/deadline: 2026-11-27T12:00:00+07:00/' tickets/2026/11/UC3-2026-0099.yaml
	git commit -q -am "hand: move the deadline of 0099"
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	run -1 grep UC3-2026-0099 <<<"$output"
	# a ticket file removed with git
	git rm -q tickets/2026/11/UC3-2026-0002.yaml
	git commit -q -m "hand: remove 0002"
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$(awk 'NR > 1 { printf "%s ", $1 }' <<<"$output")" "UC3-2026-0005 UC3-2026-0006 UC3-2026-0004 UC3-2026-0003 "
	# going back in history (a reset) is followed too
	git reset -q --hard HEAD~4
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "${#lines[@]}" 7
}

@test "overdue: a deleted or damaged index is rebuilt with the same answer" {
	every_step
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	local want="$output"
	rm .git/uc3/open-index
	run -1 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$stderr" ""
	equal "$output" "$want"
	[ -f .git/uc3/open-index ]
	# garbage, a truncated file, an empty file, a stale tree id
	printf 'garbage\n' >.git/uc3/open-index
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$output" "$want"
	head -c 60 .git/uc3/open-index >"$T/idx" && cp "$T/idx" .git/uc3/open-index
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$output" "$want"
	: >.git/uc3/open-index
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$output" "$want"
	sed -i "2s/.*/tree $(printf '%040d' 0)/" .git/uc3/open-index
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$output" "$want"
	# the whole uc3 folder gone
	rm -rf .git/uc3
	run -1 at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$output" "$want"
}

@test "overdue in a new records repository, without a ticket: silent" {
	init_repo
	silent
	silent --mail
	silent --warn 1h --format json
}

# --- Usage ---

@test "overdue --help: the usage on stdout, exit 0" {
	run -0 --separate-stderr uc3 overdue --help
	equal "$stderr" ""
	equal "${lines[0]}" "usage: uc3 overdue [-C dir] [--at time] [--format text|json] [--mail]"
	equal "${lines[1]}" "                   [--warn duration]"
	matches "$output" '--warn DURATION'
	matches "$output" '--mail'
	matches "$output" 'uc3-overdue\(1\)'
	run -0 uc3 overdue -h
	equal "${lines[0]}" "usage: uc3 overdue [-C dir] [--at time] [--format text|json] [--mail]"
	run -0 uc3-overdue --help
	equal "${lines[0]}" "usage: uc3 overdue [-C dir] [--at time] [--format text|json] [--mail]"
}

@test "overdue: an unknown option or an argument: the usage on stderr, exit 2" {
	init_repo
	local opt
	for opt in --bogus -x --mails; do
		run -2 --separate-stderr uc3 overdue "$opt"
		equal "$output" ""
		matches "${stderr_lines[0]}" '^uc3 overdue: unknown option'
		matches "$stderr" 'usage: uc3 overdue \[-C dir\]'
	done
	run -2 --separate-stderr uc3 overdue UC3-2026-0001
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 overdue: unexpected argument 'UC3-2026-0001'"
	run -2 --separate-stderr uc3 overdue --warn
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 overdue: option --warn needs a value$'
}

@test "overdue: a bad --warn, --at or --format is an error, exit 2, nothing changed" {
	every_step
	snapshot
	local v
	for v in 10 10s ten -5m 0m '' 1.5h; do
		run -2 --separate-stderr uc3 overdue --warn "$v"
		equal "$output" ""
		one_line_error "uc3 overdue" "invalid --warn '$v'"
	done
	for v in tomorrow 2026-13-01T10:00:00+07:00 "2026-11-27 25:00" '' 2026-02-29 2026-11-27T11:00:00+0700; do
		run -2 --separate-stderr uc3 overdue --at "$v"
		equal "$output" ""
		one_line_error "uc3 overdue" "--at: "
	done
	for v in xml csv ''; do
		run -2 --separate-stderr uc3 overdue --format "$v"
		equal "$output" ""
		one_line_error "uc3 overdue" "unknown format '$v'"
	done
	repo_unchanged
	mkdir "$T/empty"
	cd "$T/empty"
	run -2 --separate-stderr uc3 overdue
	equal "$output" ""
	one_line_error "uc3 overdue" "not a records repository"
}

# --- durations in office days, and late steps that reach nobody ---

@test "overdue: a step three office days late reads 3d, in LATE, JSON minutes and the mail" {
	init_repo
	fake_sendmail
	at_time 09:00 new_ticket >/dev/null
	at_time 09:00 use_sendmail
	at_time 09:00 edit_policy 's/fallback: \[\]/fallback: [pimpinan@unej.ac.id]/'
	# due Friday 09:05; Wednesday 10:30 is three office days (of 8.5 h) and 1h 25m later
	run -1 --separate-stderr uc3 overdue --at 2026-12-02T10:30:00+07:00
	equal "$stderr" ""
	matches "${lines[1]}" '^UC3-2026-0001  staf  2026-11-27 09:05  3d 1h 25m  staf  '
	run -1 uc3 overdue --format json --at 2026-12-02T10:30:00+07:00
	equal "$(python3 -c 'import json,sys; o = json.load(sys.stdin)[0]; print(o["late_minutes"], o["left_minutes"], o["late_seconds"])' <<<"$output")" \
		"1615 -1615 96900"
	# a whole office day is 1d: Monday 09:05
	run -1 uc3 overdue --at 2026-11-30T09:05:00+07:00
	matches "${lines[1]}" '  1d +staf  '
	# the mail says it the same way
	run -1 --separate-stderr at 2026-12-02T10:30:00+07:00 uc3 overdue --mail
	equal "$stderr" ""
	grep -q '^  langkah staf (Staf Humas), batas 2026-11-27 09:05, terlambat 3d 1h 25m$' "$T/mail/1.eml"
	# and so does the summary of the step that ends it
	run -0 at 2026-12-02T10:30:00+07:00 uc3 escalate UC3-2026-0001
	matches "$output" '; the staf step was late by 3d 1h 25m$'
	run -0 uc3 verify
}

@test "overdue --mail: late steps nobody can be told of are named on stderr, printed, and exit 2; the others are mailed" {
	init_repo
	fake_sendmail
	SUBJECT="Tiket di staf" at_time 09:00 new_ticket >/dev/null
	SUBJECT="Tiket di koordinator" at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 escalate UC3-2026-0002 >/dev/null
	at_time 09:02 uc3 escalate UC3-2026-0002 >/dev/null
	at_time 09:03 use_sendmail
	# nobody holds koordinator, nor kabiro above it; at 11:30 both are late
	at_time 09:03 set_people <<<'  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Satu, roles: [wakor]}'
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue --mail
	one_line_error "uc3 overdue" '^uc3 overdue: 1 late step reached nobody: uc3\.yaml lists nobody with the roles koordinator or kabiro and no notify\.fallback$'
	equal "${#lines[@]}" 3
	matches "${lines[1]}" '^UC3-2026-0001  staf  '
	matches "${lines[2]}" '^UC3-2026-0002  koordinator  .*  koordinator \(nobody\)  '
	equal "$(mail_summary)" "humas1@unej.ac.id: UC3-2026-0001
wakor@unej.ac.id: UC3-2026-0001"
	equal "$(trailer Action)" notice
	# the next run: the told step is not printed again; the other is, and exit 2 again
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue --mail
	one_line_error "uc3 overdue" '1 late step reached nobody'
	equal "${#lines[@]}" 2
	matches "${lines[1]}" '^UC3-2026-0002  '
	equal "$(mail_count)" 2
	# without notify.next_up only the holder's role is asked for
	edit_policy 's/next_up: true /next_up: false/'
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue --mail --format json
	one_line_error "uc3 overdue" 'reached nobody: uc3\.yaml lists nobody with the role koordinator and no notify\.fallback$'
	equal "$(python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.load(sys.stdin)))' <<<"$output")" UC3-2026-0002
	# with notify.holders off too, nobody is asked for at all
	edit_policy 's/holders: true /holders: false/'
	run -2 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue --mail
	one_line_error "uc3 overdue" '2 late steps reached nobody: uc3\.yaml tells no role of them \(notify\.holders is off\) and no notify\.fallback$'
	# without --mail nothing changes: exit 1, nothing on stderr
	run -1 --separate-stderr at 2026-11-27T11:30:00+07:00 uc3 overdue
	equal "$stderr" ""
}
