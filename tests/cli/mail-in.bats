#!/usr/bin/env bats
# uc3 new --mail: a mail on standard input, as an MTA hands it over,
# becomes a ticket, a follow-up on the ticket it answers, or a file in
# quarantine; nothing is lost (exit 0 stored, 75 try again, 65 bad), the
# audit accepts what it writes, and a real MTA (msmtp into the SMTP sink,
# which pipes each message to uc3 as an /etc/aliases pipe does) delivers
# into it end to end.

load helper

CORPUS="$BATS_TEST_DIRNAME/../fixtures/mail"

# Write the mail $1 in $T/mails/ from standard input; prints its path.
mail_file() {
	mkdir -p "$T/mails"
	cat >"$T/mails/$1"
	echo "$T/mails/$1"
}

# A complaint from Siti, quoted-printable, with a PDF attached.
siti_mail() {
	mail_file siti.eml <<'EML'
From: =?UTF-8?Q?Siti_Aminah?= <siti@example.com>
To: UC3 <uc3@unej.ac.id>
Subject: =?UTF-8?Q?Keluhan:_pembayaran_UKT_belum_terverifikasi_=E2=80=93_mohon?=
 =?UTF-8?Q?_dibantu?=
Date: Fri, 27 Nov 2026 08:55:00 +0700
Message-ID: <siti-0001@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Saya sudah membayar UKT tanggal 20 November =E2=80=93 status belum berubah.
Terima kasih.
--b1
Content-Type: application/pdf; name="bukti setor.pdf"
Content-Disposition: attachment; filename="bukti setor.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKJSVFT0YK
--b1--
EML
}

# The records, made once: notify.acknowledge on.
records() {
	at_time 08:00 init_repo
	at_time 08:00 edit_policy 's/^  acknowledge: false/  acknowledge: true/' "policy: acknowledge"
}

# Each test: the records, and the stand-in sendmail of this test as $UC3_SENDMAIL.
given_records() {
	fixture_repo records
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	BASE="$(git rev-parse HEAD)"
}

@test "mail in: a mail becomes a ticket: requester, subject, kind, text, ids, its file; verify is clean" {
	given_records
	siti_mail >/dev/null
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	f="$(ticket_path UC3-2026-0001)"
	yis "$f" requester.name "Siti Aminah"
	yis "$f" requester.email siti@example.com
	yis "$f" subject "Keluhan: pembayaran UKT belum terverifikasi – mohon dibantu"
	yis "$f" kind keluhan # mail_in.kinds: "keluhan" in the subject
	yis "$f" channel email
	yis "$f" message_id "<siti-0001@mail.example.com>"
	yis "$f" sent 2026-11-27T08:55:00+07:00
	yis "$f" received 2026-11-27T09:00:00+07:00
	yis "$f" body $'Saya sudah membayar UKT tanggal 20 November – status belum berubah.\nTerima kasih.\n'
	# the file, kept as uc3 attach keeps it, in a second commit
	# then the acknowledgement's notice
	equal "$(git rev-list --count "$BASE"..HEAD)" 3
	equal "$(trailer Action HEAD~2),$(trailer Action HEAD~1),$(trailer Action)" "new,attach,notice"
	yis "$f" attachments.0.name "bukti setor.pdf"
	yis "$f" attachments.0.type application/pdf
	yis "$f" events.1.note "from the mail <siti-0001@mail.example.com>"
	equal "$(git show "HEAD:${f%.yaml}/bukti setor.pdf" | head -c 8)" "%PDF-1.4"
	# the acknowledgement went to her, in her thread
	[ "$(mail_count)" -eq 1 ]
	grep -q '^In-Reply-To: <siti-0001@mail.example.com>' "$T/mail/1.eml"
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: the same mail delivered again records nothing new" {
	given_records
	siti_mail >/dev/null
	at_time 09:00 uc3 new --mail <"$T/mails/siti.eml" >/dev/null
	snapshot
	run --separate-stderr at_time 09:01 uc3 new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	matches "$stderr" "already has this mail"
	repo_unchanged
}

@test "mail in: a reply with [ID] from the requester is a follow-up; status, holder, deadline stay" {
	given_records
	siti_mail >/dev/null
	at_time 09:00 uc3 new --mail <"$T/mails/siti.eml" >/dev/null
	f="$(ticket_path UC3-2026-0001)"
	before="$(yget "$f" deadline)"
	mail_file reply.eml <<'EML'
From: siti@example.com
To: uc3@unej.ac.id
Subject: Re: [UC3-2026-0001] Keluhan: pembayaran UKT
Date: Fri, 27 Nov 2026 09:02:00 +0700
Message-ID: <siti-0002@mail.example.com>
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

NIM saya 210710101234.
EML
	printf 'Salam hangat, Siti \xe0 Jember\n' >>"$T/mails/reply.eml"
	run --separate-stderr at_time 09:03 uc3 new --mail <"$T/mails/reply.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	matches "$stderr" "follow-up: added to UC3-2026-0001"
	equal "$(trailer Action)" followup
	yis "$f" events.3.action followup
	yis "$f" events.3.sender siti@example.com
	yis "$f" events.3.message_id "<siti-0002@mail.example.com>"
	yis "$f" events.3.note $'NIM saya 210710101234.\nSalam hangat, Siti à Jember\n'
	yis "$f" status open
	yis "$f" level staf
	yis "$f" deadline "$before"
	# the same [ID] from somebody else is a new ticket
	sed -i 's/^From: .*/From: budi@example.com/; s/^Message-ID: .*/Message-ID: <budi-1@x.example>/' \
		"$T/mails/reply.eml"
	run --separate-stderr at_time 09:04 uc3 new --mail <"$T/mails/reply.eml"
	equal "$output" UC3-2026-0002
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: a reply to uc3's own answer mail threads to the same ticket, without [ID]" {
	given_records
	siti_mail >/dev/null
	at_time 09:00 uc3 new --mail <"$T/mails/siti.eml" >/dev/null
	run --separate-stderr at_time 09:10 uc3 answer UC3-2026-0001 --send -m "Sudah diverifikasi hari ini."
	[ "$status" -eq 0 ] || { echo "$stderr" >&2; false; }
	[ "$(mail_count)" -eq 2 ]
	# her client's reply to the answer (mail 2), its subject changed by hand
	python3 - "$T/mail/2.eml" >"$T/mails/re-answer.eml" <<'PY'
import email, email.policy, email.message, sys
a = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
r = email.message.EmailMessage()
r["From"] = "Siti Aminah <siti@example.com>"
r["To"] = a["From"]
r["Subject"] = "terima kasih"
r["Date"] = "Fri, 27 Nov 2026 09:20:00 +0700"
r["Message-ID"] = "<siti-0003@mail.example.com>"
r["In-Reply-To"] = a["Message-ID"]
r["References"] = (a.get("References", "") + " " + a["Message-ID"]).strip()
r.set_content("Terima kasih, sudah beres.\n\n> " + a.get_content().replace("\n", "\n> "))
sys.stdout.write(r.as_string())
PY
	run --separate-stderr at_time 09:21 uc3 new --mail <"$T/mails/re-answer.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	f="$(ticket_path UC3-2026-0001)"
	yis "$f" status delivered
	equal "$(yget "$f" events.5.action)" followup
	matches "$(yget "$f" events.5.note)" "^Terima kasih, sudah beres"
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: a reply to a closed ticket opens a new one that follows it" {
	given_records
	at_time 09:00 new_ticket >/dev/null
	at_time 09:01 uc3 answer 1 -m "Sudah." >/dev/null
	at_time 09:02 uc3 deliver 1 -m "telepon" >/dev/null
	at_time 09:03 uc3 close 1 --unit "Bagian Keuangan" >/dev/null
	mail_file late.eml <<'EML'
From: Siti Aminah <siti@example.com>
Subject: Re: [UC3-2026-0001] Pembayaran UKT belum terverifikasi
Message-ID: <siti-late@mail.example.com>

Ternyata masih belum berubah.
EML
	run --separate-stderr at_time 09:30 uc3 new --mail <"$T/mails/late.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	matches "$stderr" "follows UC3-2026-0001, which is closed"
	yis "$(ticket_path UC3-2026-0002)" follows UC3-2026-0001
	yis "$(ticket_path UC3-2026-0001)" status closed
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: an auto-reply and a bounce are recorded, never acknowledged" {
	given_records
	mail_file auto.eml <<'EML'
From: Dosen <dosen@example.ac.id>
Subject: Out of office: Re: jadwal
Auto-Submitted: auto-replied
Message-ID: <ooo-1@example.ac.id>

Saya sedang cuti sampai 1 Desember.
EML
	mail_file bounce.eml <<'EML'
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="r"

--r
Content-Type: text/plain

The mail could not be delivered.
--r
Content-Type: message/delivery-status

Final-Recipient: rfc822; nobody@example.com
Action: failed
Status: 5.1.1
--r--
EML
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/mails/auto.eml"
	equal "$output" UC3-2026-0001
	run --separate-stderr at_time 09:01 uc3 new --mail <"$T/mails/bounce.eml"
	equal "$output" UC3-2026-0002
	yis "$(ticket_path UC3-2026-0001)" automatic auto-reply
	yis "$(ticket_path UC3-2026-0002)" automatic bounce
	[ "$(mail_count)" -eq 0 ]
	# nor later, by overdue's retries
	run at_time 09:30 uc3 overdue --mail
	[ "$(mail_count)" -eq 0 ] || { cat "$T"/mail/*.eml; false; }
}

@test "mail in: files over limits.attachment are left out, and the ticket says so" {
	given_records
	at_time 08:30 edit_policy 's/^  attachment: .*/  attachment: 40/' "policy: small files"
	siti_mail >/dev/null
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 0 ]
	f="$(ticket_path UC3-2026-0001)"
	matches "$(yget "$f" body)" '\[uc3: files left out: bukti setor.pdf \(5[0-9] bytes\), over limits.attachment'
	matches "$stderr" "files left out"
	equal "$(trailer Action HEAD~1),$(trailer Action)" "new,notice"
	run yget "$f" attachments
	[ "$status" -ne 0 ]
}

@test "mail in: what cannot be read goes to quarantine as it came; list and overdue show it" {
	given_records
	printf 'this is not a mail\n\000\001 at all\n' >"$T/garbage"
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/garbage"
	[ "$status" -eq 0 ]
	matches "$output" '^quarantine/2026-11-27T020000Z-[0-9a-f]{12}\.eml$'
	q="$output"
	cmp "$T/garbage" "$q"
	cmp "$T/garbage" <(git show "HEAD:$q")
	equal "$(trailer Action)" quarantine
	run --separate-stderr uc3 list
	matches "$stderr" "$q"
	run --separate-stderr at_time 09:01 uc3 overdue
	matches "$output$stderr" "$q"
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: the central repository out of reach is exit 75, and nothing is written" {
	given_records
	git config uc3.remote "$T/nowhere.git"
	siti_mail >/dev/null
	snapshot
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 75 ]
	one_line_error "uc3 new" "try again"
	repo_unchanged
	[ "$(mail_count)" -eq 0 ]
}

@test "mail in: uc3-new loads no mail library; without new-mail beside it, --mail is exit 75 and nothing is written" {
	given_records
	run -0 ldd "$UC3_BIN/uc3-new"
	! grep -q gmime <<<"$output"
	run -0 ldd "$UC3_BIN/new-mail"
	grep -q gmime <<<"$output"
	# the programs without their helper
	mkdir "$T/bin"
	cp "$UC3_BIN/uc3" "$UC3_BIN/uc3-new" "$T/bin/"
	siti_mail >/dev/null
	snapshot
	run --separate-stderr at_time 09:00 "$T/bin/uc3" new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 75 ]
	one_line_error "uc3 new" "cannot run $T/bin/new-mail"
	matches "$stderr" "will try again"
	repo_unchanged
	# by hand, the ticket stands and the acknowledgement is said not sent
	run --separate-stderr at_time 09:00 "$T/bin/uc3" new -s x -k keluhan -c email \
		--from "Siti <siti@example.com>" -m x
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	matches "$stderr" "UC3-2026-0001 is registered, but its acknowledgement was not sent: cannot run"
	[ "$(mail_count)" -eq 0 ]
}

@test "mail in: bad usage is exit 2 with nothing changed; a mail over 64 MiB is exit 65" {
	given_records
	siti_mail >/dev/null
	snapshot
	run --separate-stderr uc3 new --mail -s "x" <"$T/mails/siti.eml"
	[ "$status" -eq 2 ]
	one_line_error "uc3 new" "give it alone"
	run --separate-stderr with_tty uc3 new --mail
	[ "$status" -eq 2 ]
	matches "$stderr" "standard input"
	run --separate-stderr bash -c 'head -c 67108865 /dev/zero | uc3 new --mail'
	[ "$status" -eq 65 ]
	one_line_error "uc3 new" "over the limit"
	repo_unchanged
}

@test "mail in: a service identity of the policy takes the mail in; verify is clean" {
	given_records
	at_time 08:10 set_people <<'YAML'
  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: uc3-mail@unej.ac.id, name: uc3 mail, service: true}
YAML
	siti_mail >/dev/null
	export GIT_AUTHOR_EMAIL=uc3-mail@unej.ac.id GIT_COMMITTER_EMAIL=uc3-mail@unej.ac.id
	run --separate-stderr at_time 09:00 uc3 new --mail <"$T/mails/siti.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	# a service identity still may not escalate
	run --separate-stderr at_time 09:01 uc3 escalate 1 -m x
	[ "$status" -eq 2 ]
	unset GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail in: every mail of the corpus is stored, and the records stay clean" {
	given_records
	local n=0 f
	for f in "$CORPUS"/*.eml; do
		n=$((n + 1))
		run --separate-stderr at_time 09:00 uc3 new --mail <"$f"
		[ "$status" -eq 0 ] || { echo "$f: exit $status: $stderr" >&2; false; }
		matches "$output" '^(UC3-2026-[0-9]{4}|quarantine/.*\.eml)$'
	done
	[ "$n" -ge 15 ]
	run uc3 verify
	[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
}

@test "mail in: end to end, msmtp to an SMTP server that pipes each mail to uc3 new --mail" {
	need_msmtp
	given_records
	smtp_sink_start "$UC3_BIN/uc3 -C $REPO new --mail"
	siti_mail >/dev/null
	msmtp="$(msmtp_sendmail)"
	$msmtp <"$T/mails/siti.eml" || { cat "$T/smtp.err" "$T"/smtp/*.err >&2; false; }
	equal "$(cat "$T/smtp/1.exit")" 0
	yis "$(ticket_path UC3-2026-0001)" message_id "<siti-0001@mail.example.com>"
	yis "$(ticket_path UC3-2026-0001)" requester.name "Siti Aminah"
	# the central out of reach: the MTA is told to try again (451), nothing lost
	git config uc3.remote "$T/nowhere.git"
	sed -i 's/^Message-ID: .*/Message-ID: <siti-0009@mail.example.com>/' "$T/mails/siti.eml"
	run $msmtp <"$T/mails/siti.eml"
	[ "$status" -ne 0 ]
	equal "$(cat "$T/smtp/2.exit")" 75
	matches "$output" "451"
}
