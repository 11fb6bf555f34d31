#!/usr/bin/env bats
# uc3 answer --send and uc3 deliver --send: the answer mailed to the
# requester through sendmail (a stand-in that keeps each message), its
# headers and body read back with python's email package under
# policy.strict, the delivery recorded only when sendmail took it, and
# the audit of what was written.

load helper

# The records, made once: UC3-2026-0001 from Siti (an email, no
# Message-ID of hers), UC3-2026-0002 answered, whose requester's own
# message is <orig@example.com> (set by hand, as uc3 new --mail will),
# UC3-2026-0003 from somebody with a phone and no email. BASE is the
# commit after them.
records() {
	init_repo
	at_time 09:00 new_ticket >/dev/null
	at_time 09:01 new_ticket -s "Jadwal wisuda" >/dev/null
	sed -i 's/^\(received: .*\)$/\1\nmessage_id: <orig@example.com>/' \
		"$(ticket_path UC3-2026-0002)"
	at_time 09:02 git commit -q -am "UC3-2026-0002: the requester's Message-ID, by hand"
	at_time 09:03 uc3 answer -m $'Jadwal wisuda: 12 Desember.\nTempat: gedung Soetardjo.' \
		UC3-2026-0002 >/dev/null
	at_time 09:04 uc3 new -s "Telepon" -k pertanyaan -c telepon --from "Pak Budi" \
		--phone 0812345 -m "Tanya." >/dev/null
}

# Each test: the records, the stand-in as $UC3_SENDMAIL; BASE, the tip.
given_records() {
	fixture_repo records
	BASE="$(git rev-parse HEAD)"
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
}

# Message $1 (1-based) the stand-in kept, parsed with policy.strict: no
# line over 998 octets, no defect; prints "Key: value" for From, To,
# Subject, Message-ID, In-Reply-To and References ("-" when absent), the
# sorted names of all its headers, "--", then the body as text.
mail() {
	python3 - "$T/mail/$1.eml" <<'PY'
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
for n, line in enumerate(raw.split(b"\n"), 1):
    assert len(line.rstrip(b"\r")) <= 998, "line %d: %d octets" % (n, len(line))
m = email.message_from_bytes(raw, policy=email.policy.strict)
assert not m.defects, m.defects
for k in m.keys():
    assert not m[k].defects, (k, m[k].defects)
for k in ("From", "To", "Subject", "Message-ID", "In-Reply-To", "References"):
    print("%s: %s" % (k, m.get(k, "-")))
print("Headers: " + " ".join(sorted(k.lower() for k in m.keys())))
print("--")
print(m.get_content(), end="")
PY
}

# The value of header $1 in the output of mail.
header() {
	grep -m1 "^$1: " <<<"$output" | cut -d' ' -f2-
}

HEADERS="Headers: content-transfer-encoding content-type date from message-id mime-version subject to"

@test "answer --send: the answer mailed to the requester and both steps recorded in one commit" {
	given_records
	run -0 --separate-stderr at_time 09:05 uc3 answer --send \
		-m $'Sudah kami cek: pembayaran Anda masuk.\nStatus diperbarui besok — terima kasih.' UC3-2026-0001
	equal "$stderr" ""
	equal "$output" "UC3-2026-0001: answered at staf and delivered by mail to siti@example.com; archive it by 2026-11-27 09:10"
	equal "$(mail_count)" 1
	equal "$(cat "$T/mail/1.args")" "-t -i"
	run -0 mail 1
	equal "$(header From)" "UC3 Universitas Jember <uc3@unej.ac.id>"
	equal "$(header To)" "siti@example.com"
	equal "$(header Subject)" "Re: [UC3-2026-0001] Pembayaran UKT belum terverifikasi"
	equal "$(header In-Reply-To)" "-"
	equal "$(header References)" "-"
	matches "$output" "^$HEADERS$"
	# the answer's lines as they were typed, non-ASCII and all
	matches "$output" "^Sudah kami cek: pembayaran Anda masuk\.$"
	matches "$output" "^Status diperbarui besok — terima kasih\.$"
	matches "$output" "^Yth\. Siti Aminah,$"
	local mid
	mid="$(header Message-ID)"
	matches "$mid" '^<[^ <>@]+@unej\.ac\.id>$'
	# one commit: the answer, then the deliver by mail with that Message-ID
	equal "$(git rev-list --count "$BASE"..HEAD)" 1
	equal "$(git log -1 --format=%s)" "UC3-2026-0001: answer at staf and deliver by mail to siti@example.com"
	equal "$(trailer Action)" answer
	equal "$(trailer Delivered)" mail
	equal "$(trailer To)" siti@example.com
	equal "$(trailer Message-ID)" "$mid"
	equal "$(trailer Deadline)" "2026-11-27T09:10:00+07:00"
	local f
	f="$(committed_ticket UC3-2026-0001)"
	equal "$(yget "$f" status)" delivered
	equal "$(events_table "$f" | tail -2)" "answer ->- step=staf 2026-11-27T09:05:00+07:00 false
deliver ->siti@example.com step=deliver 2026-11-27T09:10:00+07:00 false"
	equal "$(yget "$f" events.2.to)" siti@example.com
	equal "$(yget "$f" events.2.message_id)" "$mid"
	# the audit replays both events
	run -0 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "1 commit.* checked.*0 findings"
	# and the log shows the mail
	run -0 uc3 log UC3-2026-0001
	matches "${lines[0]}" "UC3-2026-0001  deliver by mail to siti@example.com +humas1@unej.ac.id +sig:none$"
	equal "${lines[1]}" "    Message-ID $mid"
	matches "${lines[2]}" "UC3-2026-0001  answer "
	run -0 uc3 log --format json UC3-2026-0001
	python3 -c 'import json,sys; a = json.load(sys.stdin); assert a[0]["action"] == "deliver" and a[0]["to"] == "siti@example.com" and a[0]["message_id"] == sys.argv[1], a[0]' "$mid" <<<"$output"
}

@test "deliver --send: threaded after the requester's message, recorded with its Message-ID" {
	given_records
	run -0 --separate-stderr at_time 09:06 uc3 deliver --send UC3-2026-0002
	equal "$stderr" ""
	equal "$output" "UC3-2026-0002: delivered by mail to siti@example.com; archive it by 2026-11-27 09:11"
	run -0 mail 1
	equal "$(header To)" "siti@example.com"
	equal "$(header Subject)" "Re: [UC3-2026-0002] Jadwal wisuda"
	equal "$(header In-Reply-To)" "<orig@example.com>"
	equal "$(header References)" "<orig@example.com>"
	matches "$output" "^Jadwal wisuda: 12 Desember\.$"
	matches "$output" "^Tempat: gedung Soetardjo\.$"
	local mid
	mid="$(header Message-ID)"
	equal "$(git log -1 --format=%s)" "UC3-2026-0002: deliver by mail to siti@example.com"
	equal "$(trailer Action)" deliver
	equal "$(trailer Message-ID)" "$mid"
	equal "$(yget "$(committed_ticket UC3-2026-0002)" events.2.message_id)" "$mid"
	run -0 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "0 findings"
	# delivered: a second --send is refused, and sends nothing
	snapshot
	run -2 --separate-stderr at_time 09:07 uc3 deliver --send UC3-2026-0002
	one_line_error "uc3 deliver" "UC3-2026-0002 is already delivered$"
	repo_unchanged
	equal "$(mail_count)" 1
}

@test "deliver --send takes no -m: the mail is the record of the delivery" {
	given_records
	snapshot
	run -2 --separate-stderr at_time 09:06 uc3 deliver --send -m "lewat surel" UC3-2026-0002
	one_line_error "uc3 deliver" "^uc3 deliver: -m does not go with --send"
	repo_unchanged
	equal "$(mail_count)" 0
	# without --send, -m is how it was delivered, and nothing is mailed
	run -0 at_time 09:06 uc3 deliver -m "lewat telepon" UC3-2026-0002
	equal "$(mail_count)" 0
	equal "$(trailer Delivered)" ""
}

@test "sendmail fails: exit 2 naming its exit status, nothing recorded" {
	given_records
	snapshot
	UC3_SENDMAIL="$T/sendmail-fail -t -i" run -2 --separate-stderr at_time 09:05 \
		uc3 answer --send -m "Jawab." UC3-2026-0001
	equal "$output" ""
	one_line_error "uc3 answer" "sendmail failed \(exit 75\).*nothing was recorded$"
	repo_unchanged
	UC3_SENDMAIL="$T/sendmail-fail" run -2 --separate-stderr at_time 09:05 \
		uc3 deliver --send UC3-2026-0002
	one_line_error "uc3 deliver" "exit 75.*nothing was recorded$"
	repo_unchanged
	[ -z "$(git status --porcelain)" ]
}

@test "a requester without email: refused before anything is sent or written" {
	given_records
	snapshot
	run -2 --separate-stderr at_time 09:05 uc3 answer --send -m "Jawab." UC3-2026-0003
	one_line_error "uc3 answer" "^uc3 answer: UC3-2026-0003 has no requester email to mail the answer to: deliver it another way and record that with uc3 deliver, or set the address with uc3 edit$"
	repo_unchanged
	# from the editor too: refused before anybody types the answer
	EDITOR=false run -2 --separate-stderr at_time 09:05 uc3 answer --send UC3-2026-0003
	one_line_error "uc3 answer" "has no requester email"
	repo_unchanged
	equal "$(mail_count)" 0
}

@test "the audit: a deliver whose address was changed afterwards is a finding" {
	given_records
	at_time 09:06 uc3 deliver --send UC3-2026-0002 >/dev/null
	local msg
	msg="$(git log -1 --format=%B)"
	git reset -q --soft HEAD^
	sed -i 's/^  to: siti@example.com$/  to: eve@example.org/' "$(ticket_path UC3-2026-0002)"
	at_time 09:06 git commit -q -a -m "$msg"
	run -1 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "^$(git rev-parse --short=7 HEAD) UC3-2026-0002: the answer to UC3-2026-0002 goes to its requester, siti@example.com, not to eve@example.org$"
	# and one whose Message-ID is not one
	git reset -q --soft HEAD^
	sed -i 's/^  to: eve@example.org$/  to: siti@example.com/; s/^  message_id: .*/  message_id: nothing/' \
		"$(ticket_path UC3-2026-0002)"
	at_time 09:06 git commit -q -a -m "$msg"
	run -1 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "UC3-2026-0002: .*is not a Message-ID"
}

@test "the audit: notices about received (no step) and the other words uc3 sends; any other word is a finding" {
	given_records
	local p
	p="$(ticket_path UC3-2026-0001)"
	cat >>"$p" <<'EOF'
- at: 2026-11-27T09:05:00+07:00
  by: humas1@unej.ac.id
  action: notice
  to: siti@example.com
  about: received
  message_id: <ack@unej.ac.id>
EOF
	at_time 09:05 git commit -q -a -m $'UC3-2026-0001: notice received to siti@example.com\n\nUC3-2026-0001 received: siti@example.com\n\nAction: notice'
	run -0 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "0 findings"
	run -0 uc3 log -n 1
	matches "${lines[0]}" "notice to siti@example.com: received "
	git reset -q --hard "$BASE"
	cat >>"$p" <<'EOF'
- at: 2026-11-27T09:05:00+07:00
  by: humas1@unej.ac.id
  action: notice
  to: siti@example.com
  about: bribe
EOF
	at_time 09:05 git commit -q -a -m $'UC3-2026-0001: notice\n\nAction: notice'
	run -1 --separate-stderr uc3 verify "$BASE"..HEAD
	matches "$output" "UC3-2026-0001: event 2 is a notice about 'bribe', which uc3 does not send$"
}

@test "a subject of 1000+ characters with non-ASCII and CR/LF, a name with CR/LF: no header added, lines within 998" {
	given_records
	local long
	long="$(printf 'Pembayaran UKT belum terverifikasi — mohon dicek %.0s' {1..25})"
	python3 - "$(ticket_path UC3-2026-0001)" "$long" <<'PY'
import sys
p, long = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s = s.replace("subject: Pembayaran UKT belum terverifikasi",
              'subject: "%s\\r\\nBcc: eve@example.org"' % long, 1)
s = s.replace("name: Siti Aminah", 'name: "Siti\\r\\nBcc: eve@example.org\\nX-Evil: 1"', 1)
open(p, "w", encoding="utf-8").write(s)
PY
	at_time 09:04 git commit -q -am "hand edit"
	[ "${#long}" -gt 1000 ]
	run -0 --separate-stderr at_time 09:05 uc3 answer --send -m "Jawab." UC3-2026-0001
	run -0 mail 1
	matches "$output" "^$HEADERS$"
	equal "$(header To)" "siti@example.com"
	# the subject comes back whole, CR and LF each a blank
	equal "$(header Subject)" "Re: [UC3-2026-0001] ${long}  Bcc: eve@example.org"
	# the name is in the body only, its line breaks blanks too
	matches "$output" "^Yth\. Siti  Bcc: eve@example\.org X-Evil: 1,$"
	! grep -qi '^bcc:\|^x-evil:' "$T/mail/1.eml"
}
