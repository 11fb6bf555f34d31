#!/usr/bin/env bats
# uc3 new --mail against a hostile or unlucky sender and a busy office:
# a stranger who knows a ticket's tag or message ids, headers and file
# names made to break the ticket file, the commit or the work tree,
# bodies past the limits, the mail system delivering twice at once, a
# locked or bare repository, and the office's own mail coming back.
# Whatever comes in is stored once (exit 0), or the mail system is told
# to try again (75) with nothing written; what is written passes verify.

load helper

# Write the mail $1 in $T/mails/ from standard input; prints its path.
mail_file() {
	mkdir -p "$T/mails"
	cat >"$T/mails/$1"
	echo "$T/mails/$1"
}

# The records, made once: notify.acknowledge on.
records() {
	at_time 08:00 init_repo
	at_time 08:00 edit_policy 's/^  acknowledge: false/  acknowledge: true/' "policy: acknowledge"
}

# Each test: the records, this test's stand-in sendmail, and UC3-2026-0001
# from Siti's mail <siti-1@example.com>, acknowledged (mail 1).
given_siti() {
	fixture_repo records
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	mail_file siti.eml >/dev/null <<'EML'
From: Siti Aminah <siti@example.com>
To: uc3@unej.ac.id
Subject: Pembayaran UKT belum terverifikasi
Date: Fri, 27 Nov 2026 08:55:00 +0700
Message-ID: <siti-1@example.com>

Saya sudah membayar UKT tanggal 20 November.
EML
	at_time 09:00 uc3 new --mail <"$T/mails/siti.eml" >/dev/null
	SITI="$(ticket_path UC3-2026-0001)"
}

# Run uc3 new --mail at 09:10 on the mail file $1; status, output, stderr.
deliver() {
	run --separate-stderr at_time 09:10 uc3 new --mail <"$1"
}

@test "mail red team: a reply in Siti's thread from another address is a follow-up naming its sender; [ID] alone is not" {
	given_siti
	# a colleague she copied answers her mail: the thread says which ticket
	mail_file irt.eml >/dev/null <<'EML'
From: Budi <budi@example.net>
Subject: Re: Pembayaran UKT belum terverifikasi
Message-ID: <budi-1@example.net>
In-Reply-To: <siti-1@example.com>

Saya orang tuanya; mohon dibantu.
EML
	deliver "$T/mails/irt.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	yis "$SITI" events.2.action followup
	yis "$SITI" events.2.sender budi@example.net
	yis "$SITI" requester.email siti@example.com
	# the [ID] without the thread, from him, is a ticket of its own
	mail_file tag.eml >/dev/null <<'EML'
From: budi@example.net
Subject: Re: [UC3-2026-0001] Diterima
Message-ID: <budi-2@example.net>

Saya juga.
EML
	before="$(cat "$SITI")"
	deliver "$T/mails/tag.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	equal "$(cat "$SITI")" "$before"
	# the acknowledgement's id in References threads, from Siti in any case
	ack="$(sed -n 's/^Message-Id: //Ip' "$T/mail/1.eml")"
	mail_file refs.eml >/dev/null <<EML
From: SITI@Example.com
Subject: Re: Diterima
Message-ID: <siti-2@example.com>
References: <nobody@example.org> $ack

Terima kasih.
EML
	deliver "$T/mails/refs.eml"
	equal "$output" UC3-2026-0001
	yis "$SITI" events.3.sender SITI@Example.com
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: a stranger's mail wearing Siti's Message-ID is stored as its own, and its files stay off her ticket" {
	given_siti
	mail_file borrowed.eml >/dev/null <<'EML'
From: budi@example.net
Subject: tagihan
Message-ID: <siti-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Lihat lampiran.
--b
Content-Type: application/pdf; name="tagihan.pdf"
Content-Disposition: attachment; filename="tagihan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--b--
EML
	before="$(cat "$SITI")"
	deliver "$T/mails/borrowed.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	equal "$(cat "$SITI")" "$before"
	run git ls-tree -r --name-only HEAD -- "${SITI%.yaml}"
	equal "$output" ""
	b="$(ticket_path UC3-2026-0002)"
	yis "$b" requester.email budi@example.net
	yis "$b" attachments.0.name tagihan.pdf
	# delivered again, it is his mail the records have
	snapshot
	deliver "$T/mails/borrowed.eml"
	equal "$output" UC3-2026-0002
	repo_unchanged
	# and Siti's own mail delivered again is still hers
	deliver "$T/mails/siti.eml"
	equal "$output" UC3-2026-0001
	repo_unchanged
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: subject tags: a stranger's, another prefix, a ticket that is not there, two tags, lower case" {
	given_siti
	before="$(cat "$SITI")"
	mnum=1
	for subj in "Re: [UC3-2026-0001] hapus" "[ABC-2026-0001] x" "[UC3-2026-0999] x" "[UC3-2026-1] x"; do
		mnum=$((mnum + 1))
		printf 'From: budi@example.net\nSubject: %s\nMessage-ID: <budi-%d@example.net>\n\nx\n' \
			"$subj" "$mnum" >"$T/mails/b$mnum.eml"
		deliver "$T/mails/b$mnum.eml"
		[ "$status" -eq 0 ]
		equal "$output" "UC3-2026-000$mnum"
	done
	equal "$(cat "$SITI")" "$before"
	# from Siti: a tag in lower case is hers; a tag of nothing is a new ticket
	printf 'From: siti@example.com\nSubject: Re: [uc3-2026-0001] lagi\nMessage-ID: <siti-3@example.com>\n\nNIM 123.\n' \
		>"$T/mails/lower.eml"
	deliver "$T/mails/lower.eml"
	equal "$output" UC3-2026-0001
	yis "$SITI" events.2.note 'NIM 123.'
	printf 'From: siti@example.com\nSubject: [UC3-2026-0999]\nMessage-ID: <siti-4@example.com>\n\nx\n' \
		>"$T/mails/none.eml"
	deliver "$T/mails/none.eml"
	equal "$output" UC3-2026-0006
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: names and subjects made to break YAML or the commit are kept as text, one line" {
	given_siti
	local -a froms=(
		'"Evil: \"quoted\" #x" <y1@example.net>'
		'=?utf-8?q?a=0Ab=0D=0AAction=3A_close?= <y2@example.net>'
		'&a *a <y3@example.net>'
		'"- leading" <y4@example.net>'
		'"---" <y5@example.net>'
	)
	local -a subjects=(
		'---'
		'=?utf-8?q?one=0ATicket=3A_UC3-2026-0001=0A=0Ax?='
		'&a *a'
		'- [x] #1: {a: b}'
		'   '
	)
	local -a names=('Evil:  quoted  #x' 'a b  Action: close' '&a *a' '- leading' '---')
	local -a want=('---' 'one Ticket: UC3-2026-0001  x' '&a *a' '- [x] #1: {a: b}'
		'(tanpa subjek / no subject)')
	local nth id f
	for nth in 0 1 2 3 4; do
		printf 'From: %s\nSubject: %s\nMessage-ID: <y%d@example.net>\n\nisi\n' \
			"${froms[$nth]}" "${subjects[$nth]}" "$nth" >"$T/mails/y$nth.eml"
		deliver "$T/mails/y$nth.eml"
		[ "$status" -eq 0 ]
		id="UC3-2026-000$((nth + 2))"
		equal "$output" "$id"
		f="$(ticket_path "$id")"
		yis "$f" requester.name "${names[$nth]}"
		yis "$f" subject "${want[$nth]}"
		equal "$(git log -1 --format=%s HEAD~1)" "$id: new pertanyaan: ${want[$nth]}"
		equal "$(trailer Ticket HEAD~1)" "$id"
	done
	# a 100 KB subject and a 1 MB References header: stored, at once
	{
		printf 'From: z@example.net\nSubject: '
		head -c 100000 /dev/zero | tr '\0' a
		printf '\nMessage-ID: <z@example.net>\nReferences:'
		seq 1 40000 | sed 's/.*/ <r&@example.org>/' | tr -d '\n'
		printf '\n\nisi\n'
	} >"$T/mails/long.eml"
	deliver "$T/mails/long.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0007
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: Message-IDs with quotes, blanks, brackets or Unicode are dropped, the mail is not" {
	given_siti
	local nth=0 id
	for id in '<"a b"@example.net>' '<a"b@example.net>' '<<x@example.net>>' '<ü@example.net>' '<@>'; do
		nth=$((nth + 1))
		printf 'From: m%d@example.net\nSubject: id %d\nMessage-ID: %s\n\nisi\n' "$nth" "$nth" "$id" \
			>"$T/mails/m$nth.eml"
		deliver "$T/mails/m$nth.eml"
		[ "$status" -eq 0 ]
		equal "$output" "UC3-2026-000$((nth + 1))"
		f="$(ticket_path "$output")"
		run yget "$f" message_id
		[ "$status" -eq 3 ] || equal "$output" "<x@example.net>"
	done
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: NUL bytes, bad UTF-8, no text, only a file, a 5 MB text: each a ticket that verify accepts" {
	given_siti
	printf 'From: n1@example.net\nSubject: nul\nMessage-ID: <n1@example.net>\nContent-Type: text/plain; charset=utf-8\n\nab\000cd \377\376 x\033[2J\n' \
		>"$T/mails/n1.eml"
	deliver "$T/mails/n1.eml"
	equal "$output" UC3-2026-0002
	yis "$(ticket_path UC3-2026-0002)" body $'abcd \uFFFD\uFFFD x[2J\n'
	printf 'From: n2@example.net\nSubject: headers only\nMessage-ID: <n2@example.net>\n' >"$T/mails/n2.eml"
	deliver "$T/mails/n2.eml"
	equal "$output" UC3-2026-0003
	yis "$(ticket_path UC3-2026-0003)" body $'(surel tanpa teks / the mail has no text)\n'
	mail_file n3.eml >/dev/null <<'EML'
From: n3@example.net
Subject: scan
Message-ID: <n3@example.net>
MIME-Version: 1.0
Content-Type: application/pdf; name="scan.pdf"
Content-Disposition: attachment; filename="scan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
EML
	deliver "$T/mails/n3.eml"
	equal "$output" UC3-2026-0004
	yis "$(ticket_path UC3-2026-0004)" attachments.0.name scan.pdf
	{
		printf 'From: n4@example.net\nSubject: big\nMessage-ID: <n4@example.net>\n\n'
		head -c 5000000 /dev/zero | tr '\0' x | fold -w 70
	} >"$T/mails/n4.eml"
	deliver "$T/mails/n4.eml"
	equal "$output" UC3-2026-0005
	f="$(ticket_path UC3-2026-0005)"
	[ "$(yget "$f" body | wc -c)" -le 1048576 ]
	matches "$(tail -c 300 "$(ticket_path UC3-2026-0005)")" "the first [0-9]+ are kept \(limits.body\)"
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: file names ../../uc3.yaml, .git, CON, 300 bytes, twice the same: kept beside the ticket, work tree clean" {
	given_siti
	long="$(head -c 300 /dev/zero | tr '\0' n).pdf"
	{
		printf 'From: f@example.net\nSubject: files\nMessage-ID: <f@example.net>\n'
		printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
		printf -- '--b\nContent-Type: text/plain\n\nlampiran\n'
		for n in ../../uc3.yaml .git CON "$long" same.txt same.txt; do
			printf -- '--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="%s"\nContent-Transfer-Encoding: base64\n\naGVsbG8K\n' "$n"
		done
		printf -- '--b--\n'
	} >"$T/mails/files.eml"
	policy="$(git rev-parse HEAD:uc3.yaml)"
	deliver "$T/mails/files.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	[ -z "$stderr" ] || matches "$stderr" "^uc3 new: note:"
	equal "$(git rev-parse HEAD:uc3.yaml)" "$policy"
	run git ls-tree --name-only HEAD:tickets/2026/11/UC3-2026-0002/
	equal "$(sort <<<"$output" | cut -c1-12 | tr '\n' ' ')" "CON git nnnnnnnnnnnn same-2.txt same.txt uc3.yaml "
	# a clone gets every file
	git clone -q "$REPO" "$T/clone"
	[ -z "$(git -C "$T/clone" status --porcelain)" ]
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: a text at the limit with files left out is still a ticket, cut, not quarantined" {
	given_siti
	name="$(head -c 200 /dev/zero | tr '\0' e)"
	{
		printf 'From: e@example.net\nSubject: big\nMessage-ID: <e@example.net>\n'
		printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
		printf -- '--b\nContent-Type: text/plain\n\n'
		head -c 1100000 /dev/zero | tr '\0' x | fold -w 70
		printf '\n'
		for i in $(seq 1 30); do
			printf -- '--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="%s%d.bin"\n\n\n' "$name" "$i"
		done
		printf -- '--b--\n'
	} >"$T/mails/e.eml"
	deliver "$T/mails/e.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	body="$(yget "$(ticket_path UC3-2026-0002)" body)"
	matches "$body" "\(limits.body\)"
	matches "$body" "\[uc3: files left out: e+1.bin \(empty\)"
	# a small limit: the list of names is cut too
	at_time 09:10 edit_policy 's/^  body: 1MiB/  body: 4KiB/' "policy: small texts"
	sed -i 's/^Message-ID: .*/Message-ID: <e2@example.net>/' "$T/mails/e.eml"
	deliver "$T/mails/e.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0003
	body="$(yget "$(ticket_path UC3-2026-0003)" body)"
	[ "${#body}" -le 4096 ]
	matches "$body" "\.\.\. \([0-9]+ bytes of names\)\]$"
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: an mbox From line and CRLF line ends" {
	given_siti
	printf 'From siti@example.com Fri Nov 27 09:05:00 2026\r\nFrom: Rina <rina@example.net>\r\nSubject: crlf\r\nMessage-ID: <crlf@example.net>\r\n\r\nbaris satu\r\nbaris dua\r\n' \
		>"$T/mails/crlf.eml"
	deliver "$T/mails/crlf.eml"
	equal "$output" UC3-2026-0002
	f="$(ticket_path UC3-2026-0002)"
	yis "$f" requester.email rina@example.net
	yis "$f" body $'baris satu\nbaris dua\n'
}

@test "mail red team: the same mail delivered four times at once is one ticket" {
	given_siti
	printf 'From: Rina <rina@example.net>\nSubject: sekali\nMessage-ID: <once@example.net>\n\nisi\n' \
		>"$T/mails/once.eml"
	local i
	for i in 1 2 3 4; do
		at_time 09:10 uc3 new --mail <"$T/mails/once.eml" >"$T/out.$i" 2>"$T/err.$i" &
	done
	wait
	equal "$(cat "$T"/out.* | sort -u)" UC3-2026-0002
	run ticket_path UC3-2026-0003
	[ "$status" -ne 0 ]
	# one acknowledgement for Siti, one for Rina
	[ "$(mail_count)" -eq 2 ]
	run uc3 verify
	[ "$status" -eq 0 ]
}

@test "mail red team: delivered again after the first delivery stored the ticket but not its files" {
	given_siti
	mail_file full.eml >/dev/null <<'EML'
From: rina@example.net
Subject: foto
Message-ID: <foto@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Foto terlampir.
--b
Content-Type: image/png; name="foto.png"
Content-Disposition: attachment; filename="foto.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b--
EML
	# the first delivery, as far as its first commit: the ticket, no file
	sed '/^--b$/,$d; s/^Content-Type: multipart.*/Content-Type: text\/plain/' "$T/mails/full.eml" \
		>"$T/mails/part.eml"
	printf 'Foto terlampir.\n' >>"$T/mails/part.eml"
	deliver "$T/mails/part.eml"
	equal "$output" UC3-2026-0002
	f="$(ticket_path UC3-2026-0002)"
	commits="$(commit_count)"
	deliver "$T/mails/full.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
	yis "$f" attachments.0.name foto.png
	equal "$(commit_count)" "$((commits + 1))"
	snapshot
	deliver "$T/mails/full.eml"
	repo_unchanged
	[ "$(mail_count)" -eq 2 ]
}

@test "mail red team: a branch lock left behind is exit 75 at once; a running writer is waited for" {
	given_siti
	printf 'From: rina@example.net\nSubject: lock\nMessage-ID: <lock@example.net>\n\nisi\n' >"$T/mails/lock.eml"
	lock=".git/refs/heads/$(git symbolic-ref --short HEAD).lock"
	touch -d '1 minute ago' "$lock"
	snapshot
	deliver "$T/mails/lock.eml"
	[ "$status" -eq 75 ]
	one_line_error "uc3 new" "try again"
	rm -f "$lock"
	repo_unchanged
	# a desk command holding the writers' lock for a second
	flock .git/uc3/write.lock sleep 1 &
	sleep 0.2
	deliver "$T/mails/lock.eml"
	wait
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0002
}

@test "mail red team: into a bare central repository, and delivered again" {
	fake_sendmail
	export UC3_SENDMAIL="$T/sendmail -t -i"
	init_bare
	printf 'From: rina@example.net\nSubject: bare\nMessage-ID: <bare@example.net>\n\nisi\n' >"$T/bare.eml"
	run --separate-stderr at_time 09:00 uc3 -C "$BARE" new --mail <"$T/bare.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	head="$(git -C "$BARE" rev-parse HEAD)"
	run --separate-stderr at_time 09:01 uc3 new -C "$BARE" --mail <"$T/bare.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	equal "$(git -C "$BARE" rev-parse HEAD)" "$head"
	run uc3 -C "$BARE" verify
	[ "$status" -eq 0 ]
}

@test "mail red team: the office's own mail coming back is never acknowledged, and its acknowledgement loops nothing" {
	given_siti
	[ "$(mail_count)" -eq 1 ]
	snapshot
	deliver "$T/mail/1.eml"
	[ "$status" -eq 0 ]
	equal "$output" UC3-2026-0001
	repo_unchanged
	printf 'From: UC3 <UC3@unej.ac.id>\nSubject: test\nMessage-ID: <own@unej.ac.id>\n\nisi\n' >"$T/mails/own.eml"
	deliver "$T/mails/own.eml"
	equal "$output" UC3-2026-0002
	yis "$(ticket_path UC3-2026-0002)" automatic loop
	printf 'From: rina@example.net\nX-Loop: uc3@unej.ac.id\nSubject: looped\nIn-Reply-To: <siti-1@example.com>\nMessage-ID: <loop@example.net>\n\nisi\n' \
		>"$T/mails/xloop.eml"
	# in Siti's thread: recorded on her ticket, and nobody is mailed
	deliver "$T/mails/xloop.eml"
	equal "$output" UC3-2026-0001
	yis "$SITI" events.2.action followup
	yis "$SITI" events.2.sender rina@example.net
	[ "$(mail_count)" -eq 1 ]
	run uc3 verify
	[ "$status" -eq 0 ]
}
