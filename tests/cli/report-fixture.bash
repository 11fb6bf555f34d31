# The history of November 2026 that uc3 report's tests share (report.bats,
# report-html.bats): its figures are worked out by hand below. Loaded by
# each file after helper.bash.

PEOPLE='  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}
  - {email: wakor@unej.ac.id, name: Wakil Koordinator, roles: [wakor]}
  - {email: koord@unej.ac.id, name: Koordinator, roles: [koordinator]}
  - {email: kabiro@unej.ac.id, name: Kepala Biro, roles: [kabiro]}'

# Run the command at the time $1 (RFC 3339) as the person $2 (the
# author, as git takes it), its output dropped.
act() {
	local t="$1" who="$2"
	shift 2
	UC3_NOW="$t" GIT_AUTHOR_EMAIL="$who" GIT_AUTHOR_NAME="Petugas ${who%@*}" "$@" >/dev/null
}

# A new ticket at $1 by the staf: kind $2, channel $3, subject $4, and
# more options after them.
nt() {
	local t="$1" kind="$2" channel="$3" subject="$4"
	shift 4
	act "$t" humas1@unej.ac.id uc3 new -s "$subject" -k "$kind" -c "$channel" \
		--from "Siti Aminah <siti@example.com>" -m "Isi." "$@"
}

S=humas1@unej.ac.id
W=wakor@unej.ac.id
K=koord@unej.ac.id
B=kabiro@unej.ac.id

# November 2026, Asia/Jakarta, office hours 07:30-16:00 Monday to Friday.
# Each ticket's steps (business minutes, met or late against the
# standard: staf 5m, wakor 1h, koordinator 2h, kabiro 30m, deliver 5m,
# archive 5m):
#
#  1 keluhan email, Mon 23 09:00, answered by the staf: staf 3 met,
#    deliver 2 met, archive 2 met (unit Keuangan). Delivery 5, archive 7.
#  2 pertanyaan web, Mon 23 10:00: staf 10 late (by 5), wakor 30 met,
#    deliver 10 late (by 5), archive 2 met (unit Akademik). Delivery 50,
#    archive 52.
#  3 keluhan email, Mon 23 15:58 (due Tue 07:33): staf 3 met (2 + 1),
#    wakor 69 late (by 9), koordinator 80 met, kabiro 60 late (by 30),
#    deliver 4 met, archive 1 met (unit keuangan). Delivery 216,
#    archive 217.
#  4 saran telepon, Tue 24 09:00: closed as a duplicate of 1 at 09:02:
#    staf 2 met.
#  5 lainnya email, Wed 25 09:00: closed as spam at 09:10: staf 10 late
#    (by 5).
#  6 keluhan media-sosial (unit BAK: Bagian Keuangan), Thu 26 14:00:
#    staf 3 met; wakor due Thu 15:03, still running at the end of
#    November: late by 57 + 510 + 510 = 1077 (2d 57m). Answered on
#    Tue 1 December, after the end.
#  7 pertanyaan email, Fri 27 15:00: answered by the koordinator at 15:20,
#    a takeover: staf 20 late (by 15); deliver due 15:25, still running
#    at the end: late by 35 + 510 = 545 (1d 35m).
#  8 keluhan email, Mon 30 15:58: staf due Tue 07:33, running at the end,
#    not yet due.
#  9 saran email, Tue 1 December 09:00: not in November.
november() {
	init_repo
	set_people <<<"$PEOPLE"
	nt 2026-11-23T09:00:00+07:00 keluhan email "Pembayaran UKT belum terverifikasi"
	act 2026-11-23T09:03:00+07:00 $S uc3 answer 1 -m "Sudah terverifikasi."
	act 2026-11-23T09:05:00+07:00 $S uc3 deliver 1 -m "Telepon."
	act 2026-11-23T09:07:00+07:00 $S uc3 close 1 --unit Keuangan
	nt 2026-11-23T10:00:00+07:00 pertanyaan web 'Jadwal "wisuda", periode Desember'
	act 2026-11-23T10:10:00+07:00 $S uc3 escalate 2 -m "Ke wakor."
	act 2026-11-23T10:40:00+07:00 $W uc3 answer 2 -m "Tanggal 15 Desember."
	act 2026-11-23T10:50:00+07:00 $S uc3 deliver 2 -m "Email."
	act 2026-11-23T10:52:00+07:00 $S uc3 close 2 --unit Akademik
	nt 2026-11-23T15:58:00+07:00 keluhan email "Nilai belum keluar"
	act 2026-11-24T07:31:00+07:00 $S uc3 escalate 3
	act 2026-11-24T08:40:00+07:00 $W uc3 escalate 3
	nt 2026-11-24T09:00:00+07:00 saran telepon "Loket sore"
	act 2026-11-24T09:02:00+07:00 $W uc3 close 4 --as duplicate --of 1 -m "Sama."
	act 2026-11-24T10:00:00+07:00 $K uc3 escalate 3
	act 2026-11-24T11:00:00+07:00 $B uc3 answer 3 -m "Nilai keluar besok."
	act 2026-11-24T11:04:00+07:00 $S uc3 deliver 3 -m "Telepon."
	act 2026-11-24T11:05:00+07:00 $S uc3 close 3 --unit keuangan
	nt 2026-11-25T09:00:00+07:00 lainnya email "Promo"
	act 2026-11-25T09:10:00+07:00 $W uc3 close 5 --as spam -m "Iklan."
	nt 2026-11-26T14:00:00+07:00 keluhan media-sosial "Parkir penuh" -u BAK
	act 2026-11-26T14:03:00+07:00 $S uc3 escalate 6
	nt 2026-11-27T15:00:00+07:00 pertanyaan email "Jadwal KRS"
	act 2026-11-27T15:20:00+07:00 $K uc3 answer 7 -m "KRS mulai 1 Desember."
	nt 2026-11-30T15:58:00+07:00 keluhan email "Wifi mati"
	act 2026-12-01T08:00:00+07:00 $W uc3 answer 6 -m "Parkir baru dibuka."
	nt 2026-12-01T09:00:00+07:00 saran email "Kantin"
}

# The report of November, read on Wednesday 2 December.
NOV=(--since 2026-11-01 --until 2026-12-01)
export_now() {
	export UC3_NOW=2026-12-02T09:00:00+07:00
}
