#!/usr/bin/env bats
# Mail as a step happens: uc3 new acknowledges receipt to the requester
# (notify.acknowledge), uc3 escalate tells the holders of the new level
# that the question reached them (notify.holders). Each mail is recorded as
# a notice on the ticket, in a commit of its own after the step's; a mail
# that cannot go leaves the step standing, says so, and records nothing.

load helper

PEOPLE='  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: wakor1@unej.ac.id, name: Wakor Satu, roles: [wakor]}
  - {email: wakor2@unej.ac.id, name: "Wakor Dua Ñ", roles: [wakor]}
  - {email: koord@unej.ac.id, name: Koordinator, roles: [koordinator]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}
  - {email: cron@unej.ac.id, name: Cron, service: true}'

as() {
	local who="$1"
	shift
	GIT_AUTHOR_EMAIL="$who" GIT_AUTHOR_NAME="Petugas ${who%@*}" "$@"
}

# A repository whose policy lists $PEOPLE and acknowledges receipt.
people_repo() {
	init_repo
	set_people <<<"$PEOPLE"
	edit_policy 's/^  acknowledge: false .*/  acknowledge: true/' "policy: acknowledge"
}

# Each saved message as one JSON object a line, parsed with python's
# email package under policy.strict (a defect is a failure): the headers
# decoded, the body, every header name, and the longest line in octets.
mails_json() {
	python3 - "$T/mail" <<'PY'
import email, email.policy, json, os, sys
d = sys.argv[1]
files = sorted((f for f in os.listdir(d) if f.endswith(".eml")), key=lambda f: int(f.split(".")[0]))
for f in files:
    raw = open(os.path.join(d, f), "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.strict)
    print(json.dumps({
        "to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
        "message_id": str(m["Message-ID"]), "in_reply_to": m["In-Reply-To"] and str(m["In-Reply-To"]),
        "references": m["References"] and str(m["References"]).split(),
        "headers": [k.lower() for k in m.keys()], "body": m.get_content(),
        "max_line": max(len(l) for l in raw.split(b"\n")),
    }, ensure_ascii=False))
PY
}

# Field $2 of message $1 (1-based) of mails_json, as JSON.
mail_field() {
	mails_json | sed -n "${1}p" | python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(v if isinstance(v,str) else json.dumps(v))' "$2"
}

@test "new acknowledges receipt to the requester, threaded, and records it" {
	fixture_repo people_repo
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	# the requester wrote by mail: their message's id is on the ticket
	run -0 --separate-stderr as humas1@unej.ac.id new_ticket
	equal "$output" UC3-2026-0001
	equal "$stderr" ""
	equal "$(mail_count)" 1
	equal "$(cat "$T/mail/1.args")" "-t -i"
	run -0 mails_json
	python3 - "$output" <<'PY'
import json, sys
m = json.loads(sys.argv[1])
assert m["to"] == "siti@example.com", m
assert m["from"] == "UC3 Universitas Jember <uc3@unej.ac.id>", m
assert m["subject"] == "[UC3-2026-0001] Diterima / Received: Pembayaran UKT belum terverifikasi", m
assert "UC3-2026-0001" in m["body"] and "Siti Aminah" in m["body"], m
# received Friday 09:00, the SOP's whole 3h40m of office time: 12:40
assert "3h40m" in m["body"] and "2026-11-27 12:40" in m["body"], m["body"]
assert m["in_reply_to"] is None and m["references"] is None, m
PY
	# one commit after the ticket's, a notice about received with the mail's id
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: notice received to siti@example.com"
	equal "$(trailer Action)" notice
	P="$(ticket_path UC3-2026-0001)"
	equal "$(yget "$P" events.1.action)" notice
	equal "$(yget "$P" events.1.about)" received
	equal "$(yget "$P" events.1.to)" siti@example.com
	equal "$(yget "$P" events.1.message_id)" "$(mail_field 1 message_id)"
	equal "$(yget "$P" events.1.step)" ""
	equal "$(git log --format=%s | grep -c 'new keluhan')" 1
}

@test "no acknowledgement without an email, with acknowledge off, or twice" {
	fixture_repo people_repo
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	FROM="@budi_unej" as humas1@unej.ac.id new_ticket >/dev/null
	FROM="Pak Budi" as humas1@unej.ac.id new_ticket >/dev/null
	equal "$(mail_count)" 0
	equal "$(git log -1 --format=%s)" "UC3-2026-0002: new keluhan: Pembayaran UKT belum terverifikasi"
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	as humas1@unej.ac.id new_ticket >/dev/null
	equal "$(mail_count)" 0
	equal "$(git log -1 --format=%s)" "UC3-2026-0003: new keluhan: Pembayaran UKT belum terverifikasi"
}

@test "an acknowledgement that cannot go: the ticket stands, a warning, nothing recorded" {
	fixture_repo people_repo
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail-fail"
	run -0 --separate-stderr as humas1@unej.ac.id new_ticket
	equal "$output" UC3-2026-0001
	matches "$stderr" "^uc3 new: warning: UC3-2026-0001 is registered, but its acknowledgement was not sent: sendmail failed \(exit 75\): sendmail-fail: cannot queue the message; uc3 overdue --mail tries again$"
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: new keluhan: Pembayaran UKT belum terverifikasi"
	P="$(ticket_path UC3-2026-0001)"
	equal "$(yget "$P" events.1.action)" ""
}

@test "the acknowledgement answers the requester's own message when the ticket has its id" {
	fixture_repo people_repo
	fake_sendmail
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	as humas1@unej.ac.id new_ticket >/dev/null
	P="$(ticket_path UC3-2026-0001)"
	sed -i 's/^received: .*/&\nmessage_id: <asli.123@mail.example.com>/' "$P"
	git commit -qam "hand: the requester's message id"
	edit_policy 's/^  acknowledge: false/  acknowledge: true/' "policy: acknowledge"
	# overdue --mail is what retries; here the library's threading is
	# checked through the escalation's neighbour: a second ticket by mail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	run -0 uc3 overdue --mail
	equal "$(mail_count)" 1
	equal "$(mail_field 1 in_reply_to)" "<asli.123@mail.example.com>"
	equal "$(mail_field 1 references)" '["<asli.123@mail.example.com>"]'
}

@test "escalate tells each holder of the new level once, with why and the deadline" {
	fixture_repo people_repo
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	as humas1@unej.ac.id new_ticket >/dev/null
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	run -0 --separate-stderr env UC3_NOW=2026-11-27T09:04:00+07:00 GIT_AUTHOR_EMAIL=humas1@unej.ac.id \
		uc3 escalate 1 -m "Data pembayaran tidak ada di Humas."
	equal "$stderr" ""
	equal "${lines[0]}" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:04"
	equal "${lines[1]}" "UC3-2026-0001: told by mail: wakor1@unej.ac.id, wakor2@unej.ac.id"
	equal "$(mail_count)" 2
	run -0 mails_json
	python3 - "$output" <<'PY'
import json, sys
ms = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [m["to"] for m in ms] == ["wakor1@unej.ac.id", "wakor2@unej.ac.id"], ms
for m in ms:
    assert m["subject"] == "[UC3-2026-0001] Diteruskan kepada Anda / Escalated to you: Pembayaran UKT belum terverifikasi", m
    b = m["body"]
    assert "Data pembayaran tidak ada di Humas." in b, b
    assert "2026-11-27 10:04" in b and "(1h " in b, b
    assert "Sudah bayar UKT tanggal 20, status belum berubah." in b, b
    assert "Siti Aminah <siti@example.com>" in b, b
assert "Yth. Wakor Dua Ñ," in ms[1]["body"], ms[1]["body"]
# mail to staff is not threaded into the requester's conversation
assert ms[0]["in_reply_to"] is None and ms[0]["references"] is None
PY
	equal "$(git log -2 --format=%s | tr '\n' '|')" "UC3-2026-0001: notice escalated to 2 people|UC3-2026-0001: escalate staf -> wakor|"
	P="$(ticket_path UC3-2026-0001)"
	run -0 uc3 show 1 --format json
	python3 - "$output" "$(mail_field 1 message_id)" "$(mail_field 2 message_id)" <<'PY'
import json, sys
t = json.loads(sys.argv[1])
n = [e for e in t["events"] if e["action"] == "notice"]
assert [(e["to"], e["about"], e["step"]["name"], e["step"]["due"], e["step"]["late"]) for e in n] == [
    ("wakor1@unej.ac.id", "escalated", "wakor", t["deadline"], False),
    ("wakor2@unej.ac.id", "escalated", "wakor", t["deadline"], False)], n
assert [e["message_id"] for e in n] == sys.argv[2:], n
assert all(e["by"] == "humas1@unej.ac.id" and e["at"] == "2026-11-27T09:04:00+07:00" for e in n), n
PY
	# the history says what each mail told
	run -0 uc3 show 1
	matches "$output" "  notice   humas1@unej.ac.id  to wakor2@unej.ac.id: escalated to wakor"$'\n'
}

@test "an escalation notice that cannot go: the escalation stands, one warning, nothing recorded" {
	fixture_repo people_repo
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	as humas1@unej.ac.id new_ticket >/dev/null
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail-fail"
	run -0 --separate-stderr as humas1@unej.ac.id uc3 escalate 1
	equal "$output" "UC3-2026-0001: escalated staf -> wakor (Wakil Koordinator PKIH), due 2026-11-27 10:00"
	matches "$stderr" "^uc3 escalate: warning: UC3-2026-0001: 2 holders of wakor were not told by mail: sendmail failed \(exit 75\): sendmail-fail: cannot queue the message; uc3 overdue --mail tries again$"
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: escalate staf -> wakor"
}

@test "nobody to tell: a warning that says why; single-user mode and holders off are quiet" {
	fixture_repo people_repo
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	edit_policy '/koord@unej.ac.id/d' "policy: no koordinator"
	as humas1@unej.ac.id new_ticket >/dev/null
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	as humas1@unej.ac.id uc3 escalate 1 >/dev/null
	run -0 --separate-stderr as wakor1@unej.ac.id uc3 escalate 1
	equal "$stderr" "uc3 escalate: warning: UC3-2026-0001: nobody was told by mail: uc3.yaml lists nobody with the role koordinator and no notify.fallback"
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: escalate wakor -> koordinator"
	# holders off: nobody is mailed, nothing said
	edit_policy 's/^  holders: true .*/  holders: false/' "policy: holders off"
	as humas1@unej.ac.id new_ticket >/dev/null
	before="$(mail_count)"
	run -0 --separate-stderr as humas1@unej.ac.id uc3 escalate 2
	equal "$stderr" ""
	equal "${#lines[@]}" 1
	equal "$(mail_count)" "$before"
}

@test "single-user mode tells nobody and says nothing" {
	init_repo
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	new_ticket >/dev/null
	run -0 --separate-stderr uc3 escalate 1
	equal "$stderr" ""
	equal "${#lines[@]}" 1
	equal "$(mail_count)" 0
}

@test "names and subjects with line breaks, non-ASCII and 1000 characters add no header" {
	fixture_repo people_repo
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	SUBJECT="Pembayaran UKT — ñ ü 日本 $(printf 'x%.0s' {1..1000})" as humas1@unej.ac.id new_ticket >/dev/null
	P="$(ticket_path UC3-2026-0001)"
	# a hand edit puts what uc3 would refuse into the file
	python3 - "$P" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("  name: Siti Aminah\n", '  name: "Siti\\r\\nBcc: evil@example.com\\nX-Evil: 1"\n', 1)
open(p, "w", encoding="utf-8").write(s)
PY
	git commit -qam "hand: a name with line breaks"
	edit_policy 's/^  acknowledge: false/  acknowledge: true/' "policy: acknowledge"
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	run -0 uc3 overdue --mail
	as humas1@unej.ac.id uc3 escalate 1 >/dev/null
	equal "$(mail_count)" 3
	run -0 mails_json
	python3 - "$output" <<'PY'
import json, sys
for l in sys.argv[1].splitlines():
    m = json.loads(l)
    assert "bcc" not in m["headers"] and "x-evil" not in m["headers"], m["headers"]
    assert m["max_line"] <= 998, m["max_line"]
    assert "日本" in m["subject"] and m["subject"].endswith("x" * 50), m["subject"]
    assert "\n" not in m["subject"] and "\r" not in m["subject"]
PY
}

@test "an acknowledgement is owed until the SOP's time to the answer runs out, not after" {
	fixture_repo people_repo
	edit_policy 's/^  acknowledge: true/  acknowledge: false/' "policy: no acknowledgement"
	as humas1@unej.ac.id new_ticket >/dev/null
	FROM="Rina <rina@example.com>" as humas1@unej.ac.id new_ticket >/dev/null
	edit_policy 's/^  acknowledge: false/  acknowledge: true/' "policy: acknowledge"
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	# received Friday 09:00: 3h40m of office time ends 12:40; at 12:41 the
	# promise of an answer by 12:40 would be too late to make (the late
	# staf steps are told of, exit 1; the requesters are not)
	cp -a "$T/r" "$T/r2"
	run -1 env UC3_NOW=2026-11-27T12:41:00+07:00 uc3 overdue --mail
	equal "$(cat "$T"/mail/*.eml | grep -c -e '^To: siti@' -e '^To: rina@')" 0
	rm -f "$T"/mail/*
	cd "$T/r2"
	track_repo "$T/r2"
	run -1 env UC3_NOW=2026-11-27T12:40:00+07:00 uc3 overdue --mail
	equal "$(cat "$T"/mail/*.eml | grep -c -e '^To: siti@' -e '^To: rina@')" 2
	matches "$output" "UC3-2026-0001: acknowledgement sent again"
}
