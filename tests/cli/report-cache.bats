#!/usr/bin/env bats
# uc3 report's cache of facts ($GIT_DIR/uc3/report-facts, uc3-report(1)
# CACHE): whatever state it is in, the report is byte for byte the one
# made without it.

load helper

# Run the command at the time $1 (RFC 3339), its output dropped.
act() {
	local t="$1"
	shift
	UC3_NOW="$t" "$@" >/dev/null
}

# A new ticket at $1: kind $2, channel $3, subject $4, more options after.
nt() {
	local t="$1" kind="$2" channel="$3" subject="$4"
	shift 4
	act "$t" uc3 new -s "$subject" -k "$kind" -c "$channel" \
		--from "Siti Aminah <siti@example.com>" -m "Isi." "$@"
}

# Four months of 2026 (Asia/Jakarta, 07:30-16:00 Monday to Friday):
# August apart from the rest, then October to December, with closed
# tickets, a takeover, one closed as spam, and open ones still running.
history() {
	init_repo
	nt 2026-08-10T09:00:00+07:00 keluhan email "Agustus"
	act 2026-08-10T09:04:00+07:00 uc3 answer 1 -m "Sudah."
	act 2026-08-10T09:08:00+07:00 uc3 deliver 1 -m "Telepon."
	act 2026-08-10T09:10:00+07:00 uc3 close 1 --unit Keuangan
	nt 2026-10-05T09:00:00+07:00 keluhan email "Pembayaran UKT belum terverifikasi"
	act 2026-10-05T09:03:00+07:00 uc3 answer 2 -m "Sudah terverifikasi."
	act 2026-10-05T09:05:00+07:00 uc3 deliver 2 -m "Telepon."
	act 2026-10-05T09:07:00+07:00 uc3 close 2 --unit Keuangan
	nt 2026-10-30T15:58:00+07:00 pertanyaan web 'Jadwal "wisuda", periode Desember'
	act 2026-11-02T07:40:00+07:00 uc3 escalate 3 -m "Ke wakor."
	act 2026-11-02T09:30:00+07:00 uc3 answer 3 -m "Tanggal 15 Desember."
	nt 2026-11-23T10:00:00+07:00 saran telepon "Loket sore" -u BAK
	act 2026-11-23T10:10:00+07:00 uc3 escalate 4
	act 2026-11-23T10:40:00+07:00 uc3 escalate 4
	act 2026-11-24T11:00:00+07:00 uc3 answer 4 -m "Dibuka."
	act 2026-11-24T11:04:00+07:00 uc3 deliver 4 -m "Telepon."
	act 2026-11-24T11:05:00+07:00 uc3 close 4
	nt 2026-11-25T09:00:00+07:00 lainnya email "Promo"
	act 2026-11-25T09:10:00+07:00 uc3 close 5 --as spam -m "Iklan."
	nt 2026-11-27T15:00:00+07:00 keluhan media-sosial "Parkir penuh" -u Akademik
	act 2026-11-27T15:20:00+07:00 uc3 escalate 6
	nt 2026-12-01T09:00:00+07:00 saran email "Kantin"
}

ALL=(--since 2026-01-01 --until 2027-01-01)
NOV=(--since 2026-11-01 --until 2026-12-01)
EVERY_GROUP=(--by kind,channel,unit,level,month,week,person)
CACHE=.git/uc3/report-facts

# The report of the period $@ as JSON with every group and as CSV, with
# stderr and the exit status, into the variable REPORT.
report() {
	REPORT="$(
		uc3 report "$@" "${EVERY_GROUP[@]}" --format json 2>&1
		echo "exit $?"
		uc3 report "$@" --format csv 2>&1
		echo "exit $?"
	)"
}

# The report of the period $@ with the cache as it is, and then with none:
# byte for byte the same.
agrees() {
	local with
	report "$@"
	with="$REPORT"
	rm -f "$CACHE"
	report "$@"
	equal "$with" "$REPORT"
}

# The inode of the cache file: a new one each time it is written.
inode() {
	stat -c %i "$CACHE"
}

@test "report cache: made 0600 under \$GIT_DIR/uc3 on the first run; cold and warm runs agree byte for byte" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	[ ! -e "$CACHE" ]
	report "${NOV[@]}"
	local cold="$REPORT"
	[ -f "$CACHE" ]
	equal "$(stat -c %a "$CACHE")" 600
	head -c 19 "$CACHE" | grep -q '^uc3 report-facts 1$'
	report "${NOV[@]}"
	equal "$REPORT" "$cold"
	agrees "${ALL[@]}"
	agrees "${NOV[@]}"
	# the figures are what they were before the cache was there
	run -0 uc3 report "${NOV[@]}" --format json
	equal "$(jvals "$output" tickets by_status.closed closed_as.spam by_level.koordinator at_end.overdue)" \
		"$(printf '%s\n' 3 2 1 1 1)"
	# and the text
	run -0 uc3 report "${NOV[@]}"
	local text="$output"
	rm "$CACHE"
	run -0 uc3 report "${NOV[@]}"
	equal "$output" "$text"
}

@test "report cache: a warm run whose months did not change reads no ticket and leaves the file as it is" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	run -0 uc3 report "${ALL[@]}" --format json
	local before
	before="$(inode)"
	run -0 uc3 report "${ALL[@]}" --format json
	equal "$(inode)" "$before"
	# a narrower period is in it already
	run -0 uc3 report "${NOV[@]}" --format json
	equal "$(inode)" "$before"
	# a month kept from an earlier run survives a run that does not need it
	run -0 uc3 report --since 2026-08-01 --until 2026-09-01 --format json
	equal "$(jvals "$output" tickets)" 1
	equal "$(inode)" "$before"
}

@test "report cache: after tickets change, the months that changed are read again; the figures are the records'" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	report "${ALL[@]}"
	local before="$REPORT" ino
	ino="$(inode)"
	act 2026-12-01T10:00:00+07:00 uc3 answer 6 -m "Parkir baru dibuka."
	act 2026-12-01T10:05:00+07:00 uc3 deliver 6 -m "Telepon."
	nt 2026-11-30T09:00:00+07:00 keluhan email "Baru" --received 2026-11-30T09:00:00+07:00
	export UC3_NOW=2026-12-03T09:00:00+07:00
	report "${ALL[@]}"
	[ "$REPORT" != "$before" ]
	[ "$(inode)" != "$ino" ]
	agrees "${ALL[@]}"
	# a ticket file changed by hand and committed with git
	sed -i 's/^subject: Promo$/subject: Promo diskon/' "$(ticket_path UC3-2026-0005)"
	git commit -q -am "subject by hand"
	run -0 uc3 report "${NOV[@]}" --format csv
	matches "$output" 'UC3-2026-0005,[^,]*,Promo diskon,'
	agrees "${NOV[@]}"
	# and a ticket file removed
	git rm -q "$(ticket_path UC3-2026-0005)"
	git commit -q -m "removed by hand"
	run -0 uc3 report "${NOV[@]}" --format json
	equal "$(jvals "$output" tickets closed_as.spam)" $'3\n0'
	agrees "${NOV[@]}"
}

@test "report cache: after the policy's steps, calendar, units or zone change, nothing is taken from the old one" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	report "${NOV[@]}"
	local first="$REPORT"
	edit_policy 's/^  staf: 5m$/  staf: 10m/' "policy: staf 10m"
	report "${NOV[@]}"
	[ "$REPORT" != "$first" ]
	agrees "${NOV[@]}"
	# office hours: every step's business time moves
	run -0 uc3 report "${NOV[@]}" --format json
	edit_policy 's/^    mon: 07:30-16:00$/    mon: 08:00-16:00/' "policy: Monday from 08:00"
	run -0 uc3 report "${NOV[@]}" --format json
	local after="$output"
	agrees "${NOV[@]}"
	# a holiday on Tuesday 24 November
	edit_policy 's/^  holidays:$/  holidays:\n    - {date: 2026-11-24, name: Libur kantor}/' "policy: a holiday"
	run -0 uc3 report "${NOV[@]}" --format json
	[ "$output" != "$after" ]
	agrees "${NOV[@]}"
	# a unit renamed: its old name read as an alias of the new one
	edit_policy 's/^  - {name: Bagian Keuangan, aliases: \[Keuangan, BAK\]}$/  - {name: Biro Keuangan, aliases: [Bagian Keuangan, Keuangan, BAK]}/' "policy: unit renamed"
	run -0 uc3 report "${NOV[@]}" --format json --by unit
	matches "$output" '"Biro Keuangan":\{"tickets":1,'
	agrees "${NOV[@]}"
	# the zone
	edit_policy 's/^timezone: Asia\/Jakarta/timezone: Asia\/Makassar/' "policy: WITA"
	agrees "${NOV[@]}"
}

@test "report cache: a corrupted, truncated, empty or foreign cache file is passed over and made again" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	report "${ALL[@]}"
	local good="$REPORT" size i
	cp "$CACHE" "$T/good"
	size="$(stat -c %s "$CACHE")"
	# a byte changed at many places: the header, the records, the index, the footer
	for i in 0 10 25 $((size / 3)) $((size / 2)) $((size * 2 / 3)) $((size - 60)) $((size - 20)) $((size - 1)); do
		cp "$T/good" "$CACHE"
		printf '\377' | dd of="$CACHE" bs=1 seek="$i" conv=notrunc status=none
		cmp -s "$CACHE" "$T/good" || {
			report "${ALL[@]}"
			equal "$REPORT" "$good"
		}
	done
	# cut short, at several lengths
	for i in 1 19 40 $((size / 2)) $((size - 32)) $((size - 1)); do
		cp "$T/good" "$CACHE"
		truncate -s "$i" "$CACHE"
		report "${ALL[@]}"
		equal "$REPORT" "$good"
	done
	# empty, random bytes, a file with the right ends and nothing right between
	: >"$CACHE"
	report "${ALL[@]}"
	equal "$REPORT" "$good"
	head -c 100000 /dev/urandom >"$CACHE"
	report "${ALL[@]}"
	equal "$REPORT" "$good"
	{ printf 'uc3 report-facts 1\n'; head -c 5000 /dev/urandom; printf 'uc3rfend'; } >"$CACHE"
	report "${ALL[@]}"
	equal "$REPORT" "$good"
	# longer than it should be
	cp "$T/good" "$CACHE"
	printf 'x' >>"$CACHE"
	report "${ALL[@]}"
	equal "$REPORT" "$good"
	# after each, it is made again: a good file, left alone by the next run
	local ino
	ino="$(inode)"
	report "${ALL[@]}"
	equal "$(inode)" "$ino"
	cmp "$CACHE" "$T/good"
	# the cache of another repository is of other trees: nothing of it is taken
	cd "$T" && mkdir other && cd other && uc3 init . >/dev/null
	act 2026-11-10T09:00:00+07:00 new_ticket
	cp "$T/good" .git/uc3/report-facts
	run -0 uc3 report "${NOV[@]}" --format json
	equal "$(jvals "$output" tickets)" 1
	cd "$T/r"
}

@test "report cache: a broken ticket file is named and counted from the cache as from the records" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	printf 'id: [unclosed\n' >tickets/2026/11/UC3-2026-0099.yaml
	git add tickets && git commit -q -m "broken by hand"
	rm -f "$CACHE"
	run -2 --separate-stderr uc3 report "${NOV[@]}" --format json
	local out="$output" err="$stderr"
	matches "${stderr_lines[0]}" '^uc3 report: tickets/2026/11/UC3-2026-0099\.yaml:[0-9]+:[0-9]+: '
	run -2 --separate-stderr uc3 report "${NOV[@]}" --format json
	equal "$output" "$out"
	equal "$stderr" "$err"
	agrees "${NOV[@]}"
	git rm -q tickets/2026/11/UC3-2026-0099.yaml && git commit -q -m "remove it"
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format json
	equal "$stderr" ""
	equal "$(jvals "$output" broken)" 0
}

@test "report cache: a repository the report cannot write to still reports, with no cache and no error" {
	fixture_repo history
	export UC3_NOW=2026-12-02T09:00:00+07:00
	report "${ALL[@]}"
	local good="$REPORT"
	rm -rf .git/uc3
	# $GIT_DIR/uc3 cannot be made (a file is in its way): nothing written, nothing said
	: >.git/uc3
	run -0 --separate-stderr uc3 report "${ALL[@]}" --format json
	equal "$stderr" ""
	report "${ALL[@]}"
	equal "$REPORT" "$good"
	[ -f .git/uc3 ] && [ ! -s .git/uc3 ]
	rm .git/uc3
	# a git directory without write permission (not for root, who writes anyway)
	if [ "$(id -u)" != 0 ]; then
		chmod a-w .git
		report "${ALL[@]}"
		chmod u+w .git
		equal "$REPORT" "$good"
		[ ! -e .git/uc3 ]
	fi
	# a bare clone keeps its own, in its git directory
	git clone -q --bare . "$T/b.git"
	track_repo "$T/b.git"
	run -0 uc3 -C "$T/b.git" report "${ALL[@]}" "${EVERY_GROUP[@]}" --format json
	[ -f "$T/b.git/uc3/report-facts" ]
	run -0 uc3 -C "$T/b.git" report "${ALL[@]}" "${EVERY_GROUP[@]}" --format json
	equal "$output" "$(uc3 report "${ALL[@]}" "${EVERY_GROUP[@]}" --format json)"
}
