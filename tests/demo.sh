#!/bin/sh
# make demo: walk a new user through a fresh records repository in ./demo.
# Usage: sh tests/demo.sh BUILD_DIR
set -eu

build=${1:?usage: demo.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
demo=$top/demo
PATH=$build/bin:$PATH
export PATH

# The demo has its own git identity and no signing, whatever yours is.
GIT_CONFIG_GLOBAL=$top/demo.gitconfig
GIT_CONFIG_NOSYSTEM=1
UC3_NO_GC=1
export GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM UC3_NO_GC
unset UC3_DIR 2>/dev/null || true

rm -rf "$demo"
DEMO_OUTBOX=$top/demo.outbox
: >"$DEMO_OUTBOX"
export DEMO_OUTBOX
printf '[user]\n\tname = Staf Satu\n\temail = humas1@unej.ac.id\n[init]\n\tdefaultBranch = main\n' \
	>"$GIT_CONFIG_GLOBAL"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
else
	bold= plain=
fi

# Show a command as it would be typed, quoting what has blanks in it.
step() {
	line=
	for a in "$@"; do
		case $a in
		*[[:space:]\(\)\|\?]*) line="$line '$a'" ;;
		*) line="$line $a" ;;
		esac
	done
	printf '\n%s$%s%s\n' "$bold" "$line" "$plain"
	"$@"
	# The mail it sent, if any (tests/demo-sendmail keeps it there).
	if [ -s "$DEMO_OUTBOX" ]; then
		cat "$DEMO_OUTBOX"
		: >"$DEMO_OUTBOX"
	fi
}

echo "uc3 demo: a records repository in $demo, signed from its first commit"
echo "(the SOP: staf -> wakor -> koordinator -> kabiro; four people, each with a throwaway ssh key)"

# Each person's key; on a real desk it is made once with ssh-keygen (see uc3 setup).
keys=$top/demo.keys
rm -rf "$keys"
mkdir -p "$keys"
for who in kabiro staf wakor koordinator cron mail; do
	ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$keys/$who"
done

# Act as one of them: git's identity and signing key for what follows.
as() {
	case $1 in
	kabiro) name="Kepala Biro" email=kabiro@unej.ac.id ;;
	staf) name="Staf Satu" email=humas1@unej.ac.id ;;
	wakor) name="Wakil Koordinator" email=wakor@unej.ac.id ;;
	koordinator) name="Koordinator PKIH" email=koord@unej.ac.id ;;
	cron) name="uc3 cron" email=cron@unej.ac.id ;;
	mail) name="uc3 mail" email=uc3-mail@unej.ac.id ;;
	esac
	git config --global user.name "$name"
	git config --global user.email "$email"
	git config --global user.signingkey "$keys/$1"
	role="role $1"
	case $1 in cron | mail) role="a service identity" ;; esac
	printf '\n%s(now acting as %s <%s>, %s)%s\n' "$bold" "$name" "$email" "$role" "$plain"
}
git config --global gpg.format ssh
git config --global commit.gpgsign true

# Thursday afternoon: the head of the office starts the records.
UC3_NOW=2026-11-26T14:00:00+07:00
export UC3_NOW
as kabiro
step uc3 init --signed "$demo"
cd "$demo"
step uc3 person add humas1@unej.ac.id --name "Staf Satu" --role staf --key "$keys/staf.pub"
step uc3 person add wakor@unej.ac.id --name "Wakil Koordinator" --role wakor --key "$keys/wakor.pub"
step uc3 person add koord@unej.ac.id --name "Koordinator PKIH" --role koordinator --key "$keys/koordinator.pub"
echo "(cron's account: a service identity, which records the notices of late steps and nothing else)"
step uc3 person add cron@unej.ac.id --service --name "uc3 cron" --key "$keys/cron.pub"
echo "(and the mail system's: uc3 new --mail runs as it, from /etc/aliases)"
step uc3 person add uc3-mail@unej.ac.id --service --name "uc3 mail" --key "$keys/mail.pub"
step uc3 person list

echo
echo "(mail: this demo's sendmail prints each message here instead of sending it;"
echo " an office sets its own in uc3.yaml's mail.sendmail)"
UC3_SENDMAIL="sh $top/tests/demo-sendmail -t -i"
export UC3_SENDMAIL
echo "(the head of the office asks uc3 to acknowledge receipt to requesters, to warn the"
echo " holders of a step at 80% of its time, and to send a daily digest of what is late)"
sed -i -e 's/^  acknowledge: false .*/  acknowledge: true/' -e 's/^  warn: off .*/  warn: 80%/' \
	-e 's/^  digest: off .*/  digest: "07:30"/' uc3.yaml
GIT_AUTHOR_DATE=$UC3_NOW GIT_COMMITTER_DATE=$UC3_NOW
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
step git commit -q -am "policy: acknowledge receipt, warn at 80% of a step, a daily digest"
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# A Friday at the front desk: every commit is dated after the one before it.
UC3_NOW=2026-11-27T09:00:00+07:00
as staf
step uc3 new -s "Pembayaran UKT belum terverifikasi" -k keluhan -c email \
	--from "Siti Aminah <siti@example.com>" \
	-m "Saya sudah membayar UKT tanggal 20 November, tetapi status di SISTER belum terverifikasi."
step uc3 list

echo
echo "(the front desk has no payment data: up the chain it goes, the SOP's \"tidak\")"
UC3_NOW=2026-11-27T09:04:00+07:00
step uc3 escalate UC3-2026-0001 -m "Data pembayaran tidak ada di Humas."
UC3_NOW=2026-11-27T09:50:00+07:00
as wakor
step uc3 answer UC3-2026-0001 -m "Pembayaran sudah diverifikasi Bagian Keuangan hari ini."
UC3_NOW=2026-11-27T09:53:00+07:00
as staf
echo "(she wrote by email: the desk mails the answer from templates/answer.txt, which records the delivery)"
step uc3 deliver 1 --send
echo
echo "(the student also brought the bank's receipt on paper: the desk scans it and keeps it with the ticket)"
UC3_NOW=2026-11-27T09:54:00+07:00
printf '%%PDF-1.4\n%% bukti setor UKT, Bank Mandiri, 20 November 2026\n%%%%EOF\n' >"$keys/bukti-setor.pdf"
step uc3 attach UC3-2026-0001 "$keys/bukti-setor.pdf" -m "Bukti setor dari loket."
UC3_NOW=2026-11-27T09:56:00+07:00
step uc3 close UC3-2026-0001 --unit "Bagian Keuangan"
step uc3 show UC3-2026-0001

echo
echo "(two more come in; nobody answers them in time)"
UC3_NOW=2026-11-27T10:15:00+07:00
step uc3 new -s "Jadwal wisuda periode Desember" -k pertanyaan -c telepon \
	--from "Budi Santoso" --phone "+62 812 3456 7890" -u Kemahasiswaan \
	-m "Kapan jadwal wisuda periode Desember diumumkan?"
echo "(-u Kemahasiswaan is an alias in the policy's units: the ticket says Bagian Kemahasiswaan)"
UC3_NOW=2026-11-27T15:58:00+07:00
step uc3 new -s "Usul: tambah loket layanan sore" -k saran -c langsung \
	--from "Rina <rina@example.com>" \
	-m "Loket layanan mahasiswa sebaiknya buka sampai pukul 17.00."
echo "(received Friday 15:58 with a 5 minute step: due Monday 07:33, business time)"
step uc3 list --status open --grep '(?i)loket|wisuda'

echo
echo "(a correction: graduation is Bagian Akademik's; the event keeps the old and the new value)"
UC3_NOW=2026-11-27T15:59:00+07:00
step uc3 edit 2 -u Akademik -m "Wisuda diurus Bagian Akademik."
echo
echo "(the koordinator knows the date and answers it at once, without the chain: the answer is"
echo " recorded in the koordinator's role, and the staf step it ended as taken over)"
as koordinator
UC3_NOW=2026-11-27T16:00:00+07:00
step uc3 answer UC3-2026-0002 -m "Jadwal wisuda periode Desember diumumkan tanggal 1 Desember di laman unej.ac.id."
as staf
echo
echo "(the same suggestion again, by email: the wakor closes it as a duplicate, without an answer)"
UC3_NOW=2026-11-27T16:00:30+07:00
step uc3 new -s "Loket sore" -k saran -c email --from "Rina <rina@example.com>" \
	-m "Mohon loket layanan buka sampai sore."
as wakor
UC3_NOW=2026-11-30T07:31:00+07:00
step uc3 close UC3-2026-0004 --as duplicate --of 3 -m "Sama dengan UC3-2026-0003."
step uc3 show UC3-2026-0002
as staf

echo
echo "(Monday 08:00: what cron's uc3 overdue --mail reports and mails; exit 1 means something"
echo " is late: each person is told once of each late step, the head of the office gets the digest)"
UC3_NOW=2026-11-30T08:00:00+07:00
as cron
overdue() {
	uc3 overdue "$@" || echo "(exit $?)"
}
step overdue --mail
echo "(a second run a minute later tells nobody anything again)"
UC3_NOW=2026-11-30T08:01:00+07:00
step overdue --mail

echo
echo "(08:05: a mail to uc3@unej.ac.id; /etc/aliases pipes it to the records:"
echo "   uc3: \"|/usr/local/bin/uc3 new --mail -C /srv/uc3/records\")"
mailfile=$top/demo-mail.eml
cat >"$mailfile" <<'EOF_MAIL'
From: =?UTF-8?Q?Dewi_Lestari?= <dewi@example.com>
To: UC3 Universitas Jember <uc3@unej.ac.id>
Subject: =?UTF-8?Q?KRS_belum_bisa_diisi_=E2=80=93_mohon_bantuan?=
Date: Mon, 30 Nov 2026 08:04:12 +0700
Message-ID: <CAF7x1q2-dewi-0001@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Selamat pagi,

Saya mahasiswa Fakultas Hukum. Sejak Jumat halaman KRS menampilkan
=E2=80=9Ctagihan belum lunas=E2=80=9D, padahal UKT sudah saya bayar.

Terima kasih,
Dewi
EOF_MAIL
as mail
UC3_NOW=2026-11-30T08:05:00+07:00
mail_in() {
	printf '\n%s$ uc3 new --mail < %s%s\n' "$bold" "$(basename "$1")" "$plain"
	uc3 new --mail <"$1"
	if [ -s "$DEMO_OUTBOX" ]; then
		cat "$DEMO_OUTBOX"
		: >"$DEMO_OUTBOX"
	fi
}
mail_in "$mailfile"
echo
echo "(08:20: she replies to the acknowledgement; the reply is added to her ticket)"
cat >"$mailfile" <<'EOF_MAIL'
From: Dewi Lestari <dewi@example.com>
To: UC3 Universitas Jember <uc3@unej.ac.id>
Subject: Re: [UC3-2026-0005] KRS belum bisa diisi
Date: Mon, 30 Nov 2026 08:19:40 +0700
Message-ID: <CAF7x1q2-dewi-0002@mail.example.com>
In-Reply-To: <CAF7x1q2-dewi-0001@mail.example.com>
References: <CAF7x1q2-dewi-0001@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

NIM saya 210710101234. Bukti bayar sudah saya kirim ke Bagian Keuangan.
EOF_MAIL
UC3_NOW=2026-11-30T08:20:00+07:00
mail_in "$mailfile"
rm -f "$mailfile"
as staf
step uc3 show UC3-2026-0005
step uc3 log -n 6
step uc3 verify
step git log --format='%h %G? %an %s%n        %(trailers:key=Action,key=Deadline,separator=%x2C )'
echo
echo "(git checks the same signatures, with the allowed signers uc3 keeps: .git/uc3/allowed_signers)"
step git log --show-signature -1 --grep='^Action: escalate' --format='%h %an %s'

echo
echo "(someone moves a deadline by hand and commits it, signed with their own key: the audit finds it)"
sed -i 's/^deadline: .*/deadline: 2026-12-31T16:00:00+07:00/' tickets/2026/11/UC3-2026-0003.yaml
git commit -q -am "UC3-2026-0003: more time"
verify() {
	uc3 verify || echo "(exit $?)"
}
step verify
git reset -q --hard HEAD~1

echo
echo "(the month's figures, as the records stand on Monday 08:00: every step against its time"
echo " standard, how long requesters waited, what is still open and late, every breach)"
step uc3 report
echo
echo "(the same figures as a page to print for the monthly meeting: one A4 file, charts included)"
page=$top/demo-report.html
step uc3 report --format html -o "$page"
echo "The page is $page: open it in a browser, or make a PDF of it with"
echo "    chromium --headless --no-pdf-header-footer --print-to-pdf=demo-report.pdf file://$page"
mv "$GIT_CONFIG_GLOBAL" "$demo/.git/demo.gitconfig"
rm -f "$DEMO_OUTBOX"

cat <<MSG

Done. The records are in $demo: one YAML file per ticket under tickets/,
one commit per change. Try it yourself:

    export PATH=$build/bin:\$PATH
    cd $demo
    GIT_CONFIG_GLOBAL=$demo/.git/demo.gitconfig uc3 new -s "..." -k pertanyaan -c email --from you@example.com -m "..."
    uc3 help

MSG
