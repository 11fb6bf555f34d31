#!/usr/bin/env bats
# The tools' own text output in Indonesian (issue 17): with LANGUAGE=id
# (and C.UTF-8 as the locale, as helper.bash sets it) the tables'
# headings, durations in office days and a step's summary line read in
# Indonesian; JSON is byte for byte the same in both languages; without
# LANGUAGE everything stays English.

load helper

ID_MO="$UC3_BUILD_DIR/share/locale/id/LC_MESSAGES/uc3.mo"

# Every test here needs the Indonesian catalogue the Makefile builds.
need_id() {
	[ -f "$ID_MO" ] || skip "no Indonesian catalogue at $ID_MO (make builds it from po/id.po)"
	unset LANGUAGE LANG LC_MESSAGES
}

# Two tickets received Friday 2026-11-27 09:00 (staf's step due 09:05),
# the second escalated to wakor at once; the clock is then Wednesday
# 2026-12-02 10:30, three office days and 1h 25m after the first's
# deadline.
two_tickets() {
	init_repo
	new_ticket >/dev/null
	SUBJECT="Jadwal wisuda" KIND=pertanyaan new_ticket >/dev/null
	uc3 escalate UC3-2026-0002 >/dev/null
}

setup_tickets() {
	fixture_repo two_tickets
	export UC3_NOW=2026-12-02T10:30:00+07:00
}

@test "i18n: uc3 list in Indonesian: the headings, the columns under them, a late step in hari kerja" {
	need_id
	setup_tickets
	LANGUAGE=id run -0 --separate-stderr uc3 list
	equal "$stderr" ""
	matches "${lines[0]}" '^ID +DITERIMA +JENIS +STATUS +TINGKAT +PEMEGANG +TENGGAT +SISA +PERIHAL$'
	matches "${lines[1]}" '^UC3-2026-0001  .*  terlambat 3 hari kerja 1 jam 25 menit  Pembayaran UKT'
	# every column starts where its heading starts, on every line
	columns_line_up "$output" ID DITERIMA JENIS STATUS TINGKAT PEMEGANG TENGGAT SISA PERIHAL
	# and in English without LANGUAGE
	run -0 uc3 list
	matches "${lines[0]}" '^ID +RECEIVED +KIND +STATUS +LEVEL +HOLDER +DEADLINE +LEFT +SUBJECT$'
	matches "${lines[1]}" '  late 3d 1h 25m  Pembayaran UKT'
}

@test "i18n: uc3 list --all streams its table with the Indonesian headings, lined up" {
	need_id
	setup_tickets
	LANGUAGE=id run -0 uc3 list --all
	matches "${lines[0]}" '^ID +DITERIMA +JENIS +STATUS +TINGKAT +PEMEGANG +TENGGAT +SISA +PERIHAL$'
	local col
	col="$(awk 'NR == 1 { print index($0, "PERIHAL") }' <<<"$output")"
	equal "$(awk -v c="$col" 'NR > 1 { print substr($0, c, 7) }' <<<"$output")" "$(printf 'Pembaya\nJadwal ')"
}

@test "i18n: uc3 overdue in Indonesian: the headings and how late in hari kerja" {
	need_id
	setup_tickets
	LANGUAGE=id run -1 --separate-stderr uc3 overdue
	equal "$stderr" ""
	matches "${lines[0]}" '^ID +LANGKAH +TENGGAT +TERLAMBAT +SIAPA +PERIHAL$'
	matches "$output" 'UC3-2026-0001  staf +2026-11-27 09:05  3 hari kerja 1 jam 25 menit  staf'
	run -1 uc3 overdue
	matches "${lines[0]}" '^ID +STEP +DUE +LATE +WHO +SUBJECT$'
	matches "$output" '  3d 1h 25m  staf'
}

@test "i18n: a step's line in Indonesian: uc3 escalate, then uc3 show's labels" {
	need_id
	setup_tickets
	LANGUAGE=id run -0 --separate-stderr uc3 escalate UC3-2026-0001
	matches "$output" '^UC3-2026-0001: dieskalasi staf -> wakor \(Wakil Koordinator[^)]*\), tenggat 2026-12-02 1[0-9]:[0-9][0-9]; langkah staf terlambat 3 hari kerja 1 jam 25 menit$'
	LANGUAGE=id run -0 uc3 show UC3-2026-0001
	matches "$output" '^  jenis     keluhan$'
	matches "$output" '^  tenggat   2026-12-02 1[0-9]:[0-9][0-9], sisa [0-9a-z ]+$'
	matches "$output" '^Riwayat:$'
}

@test "i18n: list, overdue and show --format json are the same in both languages" {
	need_id
	setup_tickets
	local en id
	for cmd in "list --format json" "list --all --format json" "overdue --format json" \
		"show --format json UC3-2026-0001"; do
		# shellcheck disable=SC2086
		en="$(uc3 $cmd)" || [ $? -eq 1 ]
		# shellcheck disable=SC2086
		id="$(LANGUAGE=id uc3 $cmd)" || [ $? -eq 1 ]
		[ -n "$en" ]
		equal "$id" "$en"
	done
}

@test "i18n: an error in Indonesian keeps the one-line form 'uc3 list: ...' and exit 2" {
	need_id
	setup_tickets
	LANGUAGE=id run -2 --separate-stderr uc3 list --format yaml
	equal "$output" ""
	matches "$stderr" '^uc3 list: '
	equal "${#stderr_lines[@]}" 1
}
