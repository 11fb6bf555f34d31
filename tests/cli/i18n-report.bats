#!/usr/bin/env bats
# The office's language in what uc3 writes for people (issue 17): the
# policy's language: (uc3-policy(5)) makes the mail of uc3 overdue --mail
# Indonesian whatever the locale it runs in (cron's is C), with its dates
# as a letter writes them; without it the mail is as before. uc3 report's
# JSON is the same in every language; a language uc3 has no messages in
# is refused.

load helper
load report-fixture

MO="$UC3_BUILD_DIR/share/locale/id/LC_MESSAGES/uc3.mo"

# Skip unless the build has the Indonesian catalogue (make builds it from po/id.po).
need_catalogue() {
	[ -f "$MO" ] || skip "no Indonesian catalogue at $MO (make builds it from po/id.po)"
}

# A repository with one person, humas1 (staf), mail to the sendmail
# stand-in, and ticket 0001 received on Friday at 09:00 (due 09:05):
# late at 10:30, when one notice goes to humas1. With $1 (id or en),
# the policy's language: is $1.
late_repo() {
	init_repo
	fake_sendmail
	at_time 09:00 new_ticket >/dev/null
	at_time 10:29 use_sendmail
	if [ -n "${1:-}" ]; then
		at_time 10:29 edit_policy "s/^timezone: .*/&\nlanguage: $1/" "policy: language $1"
	fi
	at_time 10:29 set_people <<<"  - {email: humas1@unej.ac.id, name: Staf Satu, roles: [staf]}"
}

# The decoded body of the one message the stand-in saved.
the_body() {
	python3 - "$T/mail/1.eml" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.strict)
assert not m.defects, m.defects
sys.stdout.write(m.get_content())
PY
}

@test "language: id: cron's overdue mail has its due date in Indonesian, whatever the locale" {
	late_repo id
	run -1 --separate-stderr at_time 10:30 env LC_ALL=C LANGUAGE= LANG= uc3 overdue --mail
	equal "$(mail_count)" 1
	run -0 the_body
	matches "$output" $'\n- UC3-2026-0001: Pembayaran UKT belum terverifikasi\n  langkah staf \\(Staf Humas\\), batas Jumat, 27 November 2026 09\\.05 WIB, terlambat '
}

@test "language: id: the late time in the mail is in Indonesian too" {
	need_catalogue
	# the spans are uc3_calendar_format_span's: "1h 25m" ("%lum" and the like)
	grep -qa '%lum' "$MO" || skip "the catalogue does not translate durations"
	late_repo id
	run -1 --separate-stderr at_time 10:30 env LC_ALL=C LANGUAGE= LANG= uc3 overdue --mail
	run -0 the_body
	matches "$output" 'batas Jumat, 27 November 2026 09\.05 WIB, terlambat '
	# the same span the English mail writes "1h 25m", in Indonesian words
	if [[ "$output" == *"terlambat 1h 25m"* ]]; then
		echo "the late time is not translated: $output" >&2
		return 1
	fi
}

@test "language: en: the due date written out in English" {
	late_repo en
	run -1 --separate-stderr at_time 10:30 env LC_ALL=C uc3 overdue --mail
	run -0 the_body
	matches "$output" 'batas Friday, 27 November 2026 09:05 WIB, terlambat 1h 25m'
}

@test "no language: the mail is as it was, short dates" {
	late_repo
	run -1 --separate-stderr at_time 10:30 env LC_ALL=C uc3 overdue --mail
	run -0 the_body
	matches "$output" $'\n  langkah staf \\(Staf Humas\\), batas 2026-11-27 09:05, terlambat 1h 25m\n'
}

@test "no language: the mail of a run in Indonesian follows the locale" {
	need_catalogue
	late_repo
	run -1 --separate-stderr at_time 10:30 env LANGUAGE=id LC_ALL=C.UTF-8 uc3 overdue --mail
	run -0 the_body
	matches "$output" 'batas Jumat, 27 November 2026 09\.05 WIB, terlambat '
}

@test "language: id: the acknowledgement promises the answer by a date in Indonesian" {
	init_repo
	fake_sendmail
	at_time 08:59 use_sendmail
	at_time 08:59 edit_policy 's/^  acknowledge: false .*/  acknowledge: true/' "policy: acknowledge"
	at_time 08:59 edit_policy "s/^timezone: .*/&\nlanguage: id/" "policy: language id"
	LC_ALL=C run -0 --separate-stderr at_time 09:00 new_ticket
	equal "$(mail_count)" 1
	run -0 the_body
	matches "$output" 'pada Jumat, 27 November 2026 09\.00 WIB\.'
	matches "$output" 'paling lambat Jumat, 27 November 2026 12\.40 WIB\.'
}

@test "uc3 report --format json is the same in Indonesian and in English" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format json
	local en="$output"
	run -0 --separate-stderr env LANGUAGE=id LC_ALL=C.UTF-8 uc3 report "${NOV[@]}" --format json
	equal "$output" "$en"
	run -0 --separate-stderr env LANGUAGE=id LC_ALL=C.UTF-8 uc3 report "${NOV[@]}" --format csv
	local id_csv="$output"
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format csv
	equal "$output" "$id_csv"
}

@test "uc3 report: the text in Indonesian, its headings and dates" {
	need_catalogue
	fixture_repo november
	export_now
	run -0 --separate-stderr env LANGUAGE=id LC_ALL=C.UTF-8 uc3 report "${NOV[@]}" --by kind
	equal "$stderr" ""
	equal "${lines[1]}" "Tiket yang diterima dari Minggu, 1 November 2026 00.00 WIB sampai sebelum Selasa, 1 Desember 2026 00.00 WIB (Asia/Jakarta)"
	equal "${lines[2]}" "Menurut keadaan arsip per Selasa, 1 Desember 2026 00.00 WIB"
	matches "$output" $'\nLangkah, dibandingkan dengan Mutu Baku waktu \\(jam kerja\\)\nLANGKAH +MUTU BAKU +JUMLAH +TEPAT +TERLAMBAT +KEPATUHAN +MEDIAN +P90 +BERJALAN\n'
	matches "$output" $'\nMenurut jenis\nJENIS +TIKET +'
}

@test "language: xx is refused with its place, exit 2" {
	init_repo
	edit_policy "s/^timezone: .*/&\nlanguage: xx/" "policy: language xx"
	run -2 --separate-stderr uc3 list
	matches "$stderr" 'uc3\.yaml:15:11: language "xx" must be id \(Indonesian\) or en \(English\)'
}
