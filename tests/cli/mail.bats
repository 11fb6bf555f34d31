#!/usr/bin/env bats
# Mail out end to end: the notices of uc3 overdue --mail, composed on
# GMime, handed to the sendmail stand-in and to a real MTA (msmtp, into
# the SMTP sink on 127.0.0.1), then read back by Python's email package
# with policy.strict (mailcheck.py): headers one by one, the body
# decoded, names and subjects that are not ASCII or are very long.

load helper

# The subject of the late ticket and the names the mail carries: not
# ASCII, and a dash that is not a hyphen.
SUBJECT_INTL='Pembayaran UKT — ñ ü 日本'
FROM_NAME='Layanan Pelanggan — Ñandú 日本'
PERSON_NAME='Staf Satu — Ömer'

# A repository with one person, humas1 (staf), mail.sendmail set to the
# command $2 (default the stand-in), mail.from a name that is not ASCII,
# the ticket subjects in the Subject template, and ticket 0001 with
# subject $1 received at 09:00 (due 09:05): late at 10:30, when one
# notice goes to humas1.
mail_repo() {
	init_repo
	fake_sendmail
	SUBJECT="$1" at_time 09:00 new_ticket >/dev/null
	at_time 10:29 use_sendmail "${2:-}"
	at_time 10:29 edit_policy "s|^  from: .*|  from: $FROM_NAME <uc3@unej.ac.id>|" "policy: mail.from"
	sed -i '1s/.*/Subject: [{{prefix}}] {{#tickets}}{{subject}}{{\/tickets}}/' templates/overdue.txt
	at_time 10:29 git commit -q -am "templates: the ticket's subject in the Subject"
	at_time 10:29 set_people <<<"  - {email: humas1@unej.ac.id, name: \"$PERSON_NAME\", roles: [staf]}"
}

# Check the one message in JSON $1 (a line of mail_json): every header
# once and in order, the decoded values, the body; $2 is the subject of
# the ticket.
check_notice() {
	python3 - "$1" "$2" "$FROM_NAME" "$PERSON_NAME" <<'PY'
import json, re, sys
m, subject, from_name, person = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
assert m["defects"] == [], m["defects"]
assert m["headers"] == ["Date", "From", "To", "Subject", "Message-Id", "MIME-Version",
                        "Content-Type", "Content-Transfer-Encoding"], m["headers"]
assert m["date"] == "2026-11-27T10:30:00+07:00", m["date"]
assert m["from_addrs"] == [[from_name, "uc3@unej.ac.id"]], m["from_addrs"]
assert m["to_addrs"] == [["", "humas1@unej.ac.id"]], m["to_addrs"]
assert m["subject"] == "[UC3] " + subject, m["subject"][:200]
assert re.fullmatch(r"<[0-9a-f.]+@unej\.ac\.id>", m["message_id"]), m["message_id"]
assert m["in_reply_to"] == "" and m["references"] == []
assert (m["content_type"], m["charset"]) == ("text/plain", "utf-8")
assert m["cte"] == "quoted-printable", m["cte"]  # the body is not ASCII
assert m["max_line"] <= 998, m["max_line"]
body = m["body"]
assert body.startswith("Yth. %s,\n" % person), body[:100]
assert "\n- UC3-2026-0001: %s\n  langkah staf (Staf Humas), batas 2026-11-27 09:05, terlambat 1h 25m\n" % subject in body, body
PY
}

@test "mail: the stand-in's message parses under policy.strict, every header and the body as sent" {
	mail_repo "$SUBJECT_INTL"
	run -1 --separate-stderr at_time 10:30 uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_count)" 1
	equal "$(cat "$T/mail/1.args")" "-t -i"
	local json
	json="$(mail_json)"
	check_notice "$json" "$SUBJECT_INTL"
	# the headers as written are ASCII: RFC 2047 words for what is not
	local head
	head="$(sed '/^$/q' "$T/mail/1.eml")"
	if LC_ALL=C grep -n '[^ -~	]' <<<"$head"; then
		echo "a header octet that is not printable ASCII" >&2
		return 1
	fi
	matches "$head" '^Subject: \[UC3\] Pembayaran UKT =\?UTF-8\?[BbQq]\?'
}

@test "mail: a 1,200-character subject stays within 998 octets a line and reads back whole" {
	local subject
	# words, and a run of 600 characters without a blank, which folding cannot cut
	subject="$(python3 -c 'print(("Pembayaran UKT belum terverifikasi ñ " * 17)[:600] + "x" * 600)')"
	[ "${#subject}" -eq 1200 ]
	mail_repo "$subject"
	run -1 --separate-stderr at_time 10:30 uc3 overdue --mail
	equal "$stderr" ""
	equal "$(mail_count)" 1
	local json
	json="$(mail_json)"
	check_notice "$json" "$subject"
	# every line of the file, the header lines among them
	awk 'length($0) > 998 { print FILENAME ": line " NR " has " length($0) " octets"; bad = 1 }
	     END { exit bad }' "$T/mail/1.eml"
	# the Subject header is folded on many lines, not written as one
	[ "$(awk '/^Subject:/ { on = 1; n = 1; next } on && /^[ \t]/ { n++; next } { on = 0 } END { print n }' "$T/mail/1.eml")" -gt 15 ]
}

@test "mail: through msmtp into an SMTP sink, the message arrives as composed" {
	need_msmtp
	smtp_sink_start
	local cmd
	cmd="$(msmtp_sendmail)"
	mail_repo "$SUBJECT_INTL" "$cmd"
	run -1 --separate-stderr at_time 10:30 uc3 overdue --mail
	equal "$stderr" ""
	# nothing went through the stand-in; one message reached the sink
	equal "$(mail_count)" 0
	[ -f "$T/smtp/1.eml" ] && [ ! -e "$T/smtp/2.eml" ]
	equal "$(cat "$T/smtp/1.envelope")" '{"mail_from": "uc3@example.org", "rcpt_tos": ["humas1@unej.ac.id"]}'
	local json
	json="$(mail_json "$T/smtp")"
	check_notice "$json" "$SUBJECT_INTL"
	# the notice is recorded, as with any sendmail
	matches "$(git log -1 --format=%s)" "^overdue: 1 notice"
	smtp_sink_stop
	[ -z "$SMTP_PID" ]
}

@test "mail: a sink that is not listening: msmtp fails, overdue says so and records nothing" {
	need_msmtp
	smtp_sink_start
	local cmd
	cmd="$(msmtp_sendmail)"
	smtp_sink_stop
	mail_repo "$SUBJECT_INTL" "$cmd"
	snapshot
	run -2 --separate-stderr at_time 10:30 uc3 overdue --mail
	one_line_error "uc3 overdue" 'not sent, nothing recorded.*exit 75'
	repo_unchanged
	[ ! -e "$T/smtp/1.eml" ]
}

@test "mailcheck.py: a message with a defect fails, naming the file" {
	printf 'From: Siti <siti@example.com\nTo: a@b.example\nSubject: x\n\nbody\n' >"$T/bad.eml"
	printf 'From: a@b.example\nTo: a@b.example\nSubject: x\n\nbody\n' >"$T/good.eml"
	run -1 --separate-stderr "$UC3_PY" "$BATS_TEST_DIRNAME/mailcheck.py" "$T/good.eml" "$T/bad.eml"
	matches "$stderr" "^mailcheck: $T/bad.eml: defects: From: InvalidHeaderDefect"
	equal "$(jvals "${lines[0]}" subject max_line)" "x
17"
	run -0 "$UC3_PY" "$BATS_TEST_DIRNAME/mailcheck.py" "$T/good.eml"
	run -2 "$UC3_PY" "$BATS_TEST_DIRNAME/mailcheck.py"
}

@test "mail: the requester's thread through msmtp: acknowledgement, then the answer, each as recorded" {
	need_msmtp
	smtp_sink_start
	init_repo
	at_time 08:59 edit_policy "s|^  sendmail: .*|  sendmail: $(msmtp_sendmail)|" "policy: msmtp"
	at_time 08:59 edit_policy 's/^  acknowledge: false .*/  acknowledge: true/' "policy: acknowledge"
	# the acknowledgement goes when the ticket is registered
	SUBJECT="$SUBJECT_INTL" at_time 09:00 new_ticket >/dev/null
	[ -f "$T/smtp/1.eml" ]
	run -0 --separate-stderr at_time 09:02 uc3 answer 1 --send \
		-m $'Sudah terverifikasi.\n\nSalam — Bagian Keuangan.'
	equal "$stderr" ""
	[ -f "$T/smtp/2.eml" ] && [ ! -e "$T/smtp/3.eml" ]
	equal "$(cat "$T/smtp/2.envelope")" '{"mail_from": "uc3@example.org", "rcpt_tos": ["siti@example.com"]}'
	run -0 mail_json "$T/smtp"
	python3 - "$output" "$(uc3 show 1 --format json)" "$SUBJECT_INTL" <<'PY'
import json, sys
ack, ans = [json.loads(l) for l in sys.argv[1].splitlines()]
t, subject = json.loads(sys.argv[2]), sys.argv[3]
sent = {e["about"] if e["action"] == "notice" else e["action"]: e for e in t["events"] if e.get("message_id")}
assert set(sent) == {"received", "deliver"}, sent
for m, e in ((ack, sent["received"]), (ans, sent["deliver"])):
    assert m["defects"] == [], m["defects"]
    assert m["to_addrs"] == [["", "siti@example.com"]], m["to_addrs"]
    assert m["message_id"] == e["message_id"] and e["to"] == "siti@example.com", (m, e)
assert ack["subject"] == "[UC3-2026-0001] Diterima / Received: " + subject, ack["subject"]
assert ans["subject"] == "Re: [UC3-2026-0001] " + subject, ans["subject"]
# the answer follows the acknowledgement in the requester's thread
assert ack["in_reply_to"] == "" and ack["references"] == [], ack
assert ans["references"] == [ack["message_id"]], ans["references"]
assert "Sudah terverifikasi.\n\nSalam — Bagian Keuangan.\n" in ans["body"], ans["body"]
assert t["status"] == "delivered", t["status"]
PY
	smtp_sink_stop
}
