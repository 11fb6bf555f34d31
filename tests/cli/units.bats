#!/usr/bin/env bats
# The policy's units (uc3-policy(5), units): --unit of uc3 new and uc3 close
# names one of them or an alias, and the ticket records the unit's name.

load helper

# The default policy and three tickets, answered and delivered, ready to
# close: 0001 with no unit, 0002 with Bagian Keuangan.
delivered_tickets() {
	init_repo
	new_ticket >/dev/null
	new_ticket -u "Bagian Keuangan" >/dev/null
	new_ticket >/dev/null
	local id
	for id in UC3-2026-0001 UC3-2026-0002 UC3-2026-0003; do
		uc3 answer -m "Jawaban." "$id" >/dev/null
		uc3 deliver "$id" >/dev/null
	done
}

# The unit of ticket $1 as uc3 show --format json gives it.
unit_of() {
	uc3 show --format json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("unit", "-"))'
}

@test "uc3 init: a starting list of units with aliases, and a comment to edit it" {
	init_repo
	python3 - <<'PY'
import yaml
units = yaml.safe_load(open("uc3.yaml", encoding="utf-8"))["units"]
names = [u["name"] for u in units]
for n in ("Bagian Akademik", "Bagian Keuangan", "Bagian Kemahasiswaan", "Bagian Kepegawaian",
          "UPT TIK", "UPT Perpustakaan", "Fakultas Teknik", "Fakultas Hukum"):
    assert n in names, n
keu = [u for u in units if u["name"] == "Bagian Keuangan"][0]
assert keu["aliases"] == ["Keuangan", "BAK"], keu
PY
	grep -q "^# .*a start for\$" uc3.yaml
	grep -q "^# Universitas Jember: edit it to the units this office forwards to" uc3.yaml
}

@test "new --unit: a name or an alias, in any case and with blanks, records the unit's name" {
	init_repo
	new_ticket -u "Bagian Keuangan" >/dev/null
	new_ticket -u "  bak " >/dev/null
	new_ticket --unit KEUANGAN >/dev/null
	new_ticket -u fkip >/dev/null
	run -0 --separate-stderr uc3 list --format json
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
got = [t.get("unit") for t in json.loads(sys.argv[1])]
want = ["Bagian Keuangan"] * 3 + ["Fakultas Keguruan dan Ilmu Pendidikan"]
assert sorted(got) == sorted(want), got
PY
	equal "$(git log -1 --format=%B | grep -c BAK)" 0
	run -0 uc3 verify
	matches "$output" "5 commits checked, 0 findings"
}

@test "new --unit: a unit not listed is refused with the list; nothing is written" {
	init_repo
	snapshot
	run -2 --separate-stderr new_ticket -u "Biro III"
	one_line_error "uc3 new" '^uc3 new: unit "Biro III" is not a unit of uc3\.yaml; the units are Bagian Akademik, Bagian Keuangan, .*, Fakultas Ilmu Komputer$'
	equal "$output" ""
	repo_unchanged
}

@test "new --unit: a typo, a part or more of a unit's name: did you mean" {
	init_repo
	snapshot
	run -2 --separate-stderr new_ticket -u "Bagian Keuangn"
	one_line_error "uc3 new" '^uc3 new: unit "Bagian Keuangn" is not a unit of uc3\.yaml; did you mean "Bagian Keuangan"\?$'
	run -2 --separate-stderr new_ticket -u "pustaka"
	one_line_error "uc3 new" 'did you mean "UPT Perpustakaan"\?$'
	run -2 --separate-stderr new_ticket -u "Perpustakaan Pusat"
	one_line_error "uc3 new" 'did you mean "UPT Perpustakaan"\?$'
	# several close ones are all named
	run -2 --separate-stderr new_ticket -u "FTT"
	one_line_error "uc3 new" 'did you mean "Fakultas Teknologi Pertanian" or "Fakultas Teknik"\?$'
	repo_unchanged
}

@test "close --unit: an alias records the unit's name, in the file, the trailer and the line" {
	fixture_repo delivered_tickets
	run -0 --separate-stderr uc3 close -u " keuangan" UC3-2026-0001
	equal "$output" "UC3-2026-0001: closed and archived (unit: Bagian Keuangan)"
	equal "$stderr" ""
	equal "$(trailer Unit)" "Bagian Keuangan"
	equal "$(unit_of UC3-2026-0001)" "Bagian Keuangan"
	# an alias replaces the unit given at new by another unit's name
	run -0 uc3 close --unit " upt tik " UC3-2026-0002
	equal "$(unit_of UC3-2026-0002)" "UPT TIK"
	run -0 uc3 verify
	matches "$output" ", 0 findings$"
}

@test "close --unit: a unit not listed is refused, with did you mean or the list; nothing is written" {
	fixture_repo delivered_tickets
	snapshot
	run -2 --separate-stderr uc3 close --unit "Fakultas Teknik Sipil" UC3-2026-0001
	one_line_error "uc3 close" '^uc3 close: --unit "Fakultas Teknik Sipil" is not a unit of uc3\.yaml; did you mean "Fakultas Teknik"\?$'
	run -2 --separate-stderr uc3 close -u "Biro III" UC3-2026-0002
	one_line_error "uc3 close" '^uc3 close: --unit "Biro III" is not a unit of uc3\.yaml; the units are Bagian Akademik, .*$'
	repo_unchanged
}

@test "a unit recorded before the list: close keeps it without --unit, --unit must be listed, verify accepts both" {
	# plain git commits at uc3's time, so that none looks backdated
	export GIT_AUTHOR_DATE="$UC3_NOW" GIT_COMMITTER_DATE="$UC3_NOW"
	init_repo
	cp uc3.yaml "$T/uc3.yaml"
	edit_policy '/^  - {name: /d; s/^units:$/units: []/' "policy: units as free text"
	new_ticket -u "Biro III" >/dev/null
	new_ticket -u "Biro III" >/dev/null
	equal "$(unit_of UC3-2026-0001)" "Biro III"
	for id in UC3-2026-0001 UC3-2026-0002; do
		uc3 answer -m "Jawaban." "$id" >/dev/null
		uc3 deliver "$id" >/dev/null
	done
	# the office lists its units: Biro III is not one of them
	cp "$T/uc3.yaml" uc3.yaml
	git commit -q -m "policy: the units again" uc3.yaml
	run -0 uc3 close UC3-2026-0001
	equal "$output" "UC3-2026-0001: closed and archived (unit: Biro III)"
	run -2 --separate-stderr uc3 close -u "Biro III" UC3-2026-0002
	one_line_error "uc3 close" 'is not a unit of uc3\.yaml'
	run -0 uc3 close -u BAK UC3-2026-0002
	equal "$(unit_of UC3-2026-0002)" "Bagian Keuangan"
	run -0 uc3 verify
	matches "$output" ", 0 findings$"
}

@test "units: [] makes a unit free text again" {
	init_repo
	edit_policy '/^  - {name: /d; s/^units:$/units: []/' "policy: units as free text"
	run -0 new_ticket -u "  Biro III  "
	equal "$(unit_of UC3-2026-0001)" "Biro III"
}

@test "verify: a new ticket written with an alias, or a unit not listed, is not what uc3 new writes" {
	export GIT_AUTHOR_DATE="$UC3_NOW" GIT_COMMITTER_DATE="$UC3_NOW"
	init_repo
	new_ticket -u BAK >/dev/null
	local p
	p="$(ticket_path UC3-2026-0001)"
	sed -i 's/^unit: Bagian Keuangan$/unit: BAK/' "$p"
	git commit -q --amend --no-edit -a
	run -1 uc3 verify
	matches "$output" "UC3-2026-0001: .*unit"
	sed -i 's/^unit: BAK$/unit: Biro III/' "$p"
	git commit -q --amend --no-edit -a
	run -1 uc3 verify
	matches "$output" 'UC3-2026-0001: uc3 new refuses it: unit "Biro III" is not a unit of uc3\.yaml'
}

@test "a unit name or alias given twice is a policy error with its line and column" {
	init_repo
	edit_policy 's/^  - {name: UPT TIK, aliases: \[TIK, /  - {name: UPT TIK, aliases: [TIK, bak, /' "policy: bak twice"
	local line
	line="$(grep -n '^  - {name: UPT TIK' uc3.yaml | cut -d: -f1)"
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "^uc3 list: uc3\.yaml:$line:36: units: \"bak\" is given twice, as a name or an alias \(first at [0-9]+:49\)\$"
}
