#!/usr/bin/env bats
# The interface in Bahasa Indonesia (GNU gettext, po/id.po): the language
# follows LANGUAGE / LC_MESSAGES / LANG; what machines read (JSON) does
# not change with it. The tests run in C.UTF-8 with LANGUAGE=id, as a
# machine without the id_ID locale would.

load helper

# One ticket, made once for the file.
one_ticket() {
	init_repo
	new_ticket >/dev/null
}

@test "i18n: a bad option is refused in Indonesian, the usage after it, exit 2" {
	run -2 --separate-stderr env LANGUAGE=id uc3 list --bogus
	equal "$output" ""
	equal "${stderr_lines[0]}" "uc3 list: opsi tidak dikenal --bogus"
	matches "${stderr_lines[1]}" '^penggunaan: uc3 list '
	run -2 --separate-stderr env LANGUAGE=id uc3 -C
	equal "${stderr_lines[0]}" "uc3: opsi -C memerlukan sebuah direktori"
}

@test "i18n: an error of the error sinks in Indonesian, as one line" {
	fixture_repo one_ticket
	run -2 --separate-stderr env LANGUAGE=id uc3 list --since kemarin
	one_line_error "uc3 list" "^uc3 list: --since 'kemarin' bukan tanggal: gunakan hari seperti 2026-11-01"
	run -2 --separate-stderr env LANGUAGE=id uc3 frobnicate
	one_line_error "uc3" "^uc3: 'frobnicate' bukan perintah uc3; lihat uc3 help$"
}

@test "i18n: uc3 new --help in Indonesian: the usage and the option lines" {
	run -0 --separate-stderr env LANGUAGE=id uc3 new --help
	equal "$stderr" ""
	matches "${lines[0]}" '^penggunaan: uc3 new \[-C dir\]'
	# the lines after the first, under the first's synopsis
	matches "${lines[1]}" '^ {20}\[-u unit\]'
	matches "$output" '^  -C DIR +repositori arsip$'
}

@test "i18n: uc3 help lists the commands in Indonesian" {
	run -0 --separate-stderr env LANGUAGE=id uc3 help
	equal "$stderr" ""
	equal "${lines[0]}" "penggunaan: uc3 [-C dir] command [args ...]"
	equal "${lines[1]}" "            uc3 help [command]"
	matches "$output" '^Perintah \(lihat uc3 help PERINTAH, atau man uc3-PERINTAH\):$'
	matches "$output" '^   new +mendaftarkan pertanyaan, keluhan, atau saran$'
	matches "$output" '^   escalate +meneruskan tiket satu tingkat ke atas$'
	# uc3 --help is the same listing
	run -0 env LANGUAGE=id uc3 --help
	matches "$output" '^   overdue +setiap langkah terbuka yang melewati tenggatnya$'
}

@test "i18n: without LANGUAGE, in C.UTF-8 or with LANG=C, the same commands speak English" {
	fixture_repo one_ticket
	run -0 uc3 help
	matches "$output" '^Commands \(see uc3 help COMMAND, or man uc3-COMMAND\):$'
	matches "$output" '^   new +register a question, complaint or suggestion$'
	run -2 --separate-stderr uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: unknown option --bogus"
	matches "${stderr_lines[1]}" '^usage: uc3 list '
	run -0 env -u LC_ALL LANG=C uc3 new --help
	matches "${lines[0]}" '^usage: uc3 new \[-C dir\]'
	matches "$output" '^  -C DIR +the records repository$'
	run -2 --separate-stderr env -u LC_ALL -u LANG uc3 list --since kemarin
	one_line_error "uc3 list" "^uc3 list: --since 'kemarin' is not a date"
}

@test "i18n: LANGUAGE=id in the plain C locale: English, as GNU gettext has it" {
	# gettext ignores LANGUAGE when the messages locale is C or POSIX (the
	# output POSIX specifies for scripts); uc3 does not override that.
	run -2 --separate-stderr env LC_ALL=C LANGUAGE=id uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: unknown option --bogus"
	run -2 --separate-stderr env LC_ALL=POSIX LANGUAGE=id uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: unknown option --bogus"
	# LC_MESSAGES=C under an Indonesian LANGUAGE: the messages are English too
	run -2 --separate-stderr env -u LC_ALL LC_CTYPE=C.UTF-8 LC_MESSAGES=C LANGUAGE=id uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: unknown option --bogus"
}

@test "i18n: LANG names the Indonesian locale this machine lacks: Indonesian all the same" {
	if locale -a 2>/dev/null | grep -qi '^id_ID'; then
		skip "id_ID is installed here"
	fi
	run -2 --separate-stderr env -u LC_ALL LANG=id_ID.UTF-8 uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: opsi tidak dikenal --bogus"
	# LANGUAGE, when set, still comes first
	run -2 --separate-stderr env -u LC_ALL LANG=id_ID.UTF-8 LANGUAGE=en uc3 list --bogus
	equal "${stderr_lines[0]}" "uc3 list: unknown option --bogus"
}

@test "i18n: the JSON of uc3 show and uc3 list is the same in both languages" {
	fixture_repo one_ticket
	uc3 show UC3-2026-0001 --format json >"$T/show.en"
	LANGUAGE=id uc3 show UC3-2026-0001 --format json >"$T/show.id"
	cmp "$T/show.en" "$T/show.id"
	uc3 list --all --format json >"$T/list.en"
	LANGUAGE=id uc3 list --all --format json >"$T/list.id"
	cmp "$T/list.en" "$T/list.id"
	# and it is JSON of the ticket
	matches "$(cat "$T/list.id")" '"UC3-2026-0001"'
}

@test "i18n: uc3 verify's findings, and so its JSON, are the same in both languages" {
	fixture_repo one_ticket
	cp -a "$T/r" "$T/r3"
	track_repo "$T/r3"
	cd "$T/r3"
	# A policy with a bad value committed by hand, then put back: a finding that
	# quotes the policy's error (a message the catalogue translates).
	cp uc3.yaml "$T/good.yaml"
	sed -i 's/^timezone: .*/timezone: Mars\/Olympus/' uc3.yaml
	git commit -qm "hand edit" uc3.yaml
	cp "$T/good.yaml" uc3.yaml
	git commit -qm "hand edit back" uc3.yaml
	run -1 uc3 verify --no-cache --format json
	printf '%s\n' "$output" >"$T/v.en"
	run -1 env LANGUAGE=id uc3 verify --no-cache --format json
	printf '%s\n' "$output" >"$T/v.id"
	cmp "$T/v.en" "$T/v.id"
	matches "$(cat "$T/v.en")" 'Mars/Olympus'
}

@test "i18n: the reason a mail is kept in quarantine is written into the commit in English" {
	fixture_repo one_ticket
	cp -a "$T/r" "$T/r2"
	track_repo "$T/r2"
	printf 'this is not a mail\n\000\001 at all\n' >"$T/garbage"
	run -0 --separate-stderr env LANGUAGE=id uc3 new --mail <"$T/garbage"
	matches "$output" '^quarantine/.*\.eml$'
	run -0 --separate-stderr uc3 -C "$T/r2" new --mail <"$T/garbage"
	equal "$(git log -1 --format=%B)" "$(git -C "$T/r2" log -1 --format=%B)"
	equal "$(trailer Action)" quarantine
}

@test "i18n: po/check.sh fails, naming it, on a message without a translation or a fuzzy one" {
	local xg="xgettext --language=C --from-code=UTF-8 --no-wrap -k_ -kuc3_tool_error:1"
	mkdir "$T/po"
	cat >"$T/po/a.c" <<'C'
void f(void) { uc3_tool_error("no such ticket %s", id); puts(_("the deadline")); puts(_("%s: %s")); }
C
	cat >"$T/po/head.po" <<'PO'
msgid ""
msgstr ""
"Language: id\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=1; plural=0;\n"
PO
	{ cat "$T/po/head.po"; printf '\nmsgid "no such ticket %%s"\nmsgstr "tidak ada tiket %%s"\n'
	  printf '\nmsgid "the deadline"\nmsgstr "tenggat"\n'; } >"$T/po/full.po"
	{ cat "$T/po/head.po"; printf '\nmsgid "no such ticket %%s"\nmsgstr "tidak ada tiket %%s"\n'; } >"$T/po/short.po"
	{ cat "$T/po/head.po"; printf '\nmsgid "no such ticket %%s"\nmsgstr "tidak ada tiket %%s"\n'
	  printf '\n#, fuzzy\nmsgid "the deadline"\nmsgstr "tenggat"\n'; } >"$T/po/fuzzy.po"
	cd "$T/po"
	# "%s: %s" has no letter: it needs no translation
	run -0 env XGETTEXT="$xg" sh "$UC3_ROOT/po/check.sh" full.po a.c
	run -1 --separate-stderr env XGETTEXT="$xg" sh "$UC3_ROOT/po/check.sh" short.po a.c
	matches "$stderr" 'lacks the translation of 1 message'
	matches "$stderr" 'a\.c:1: "the deadline"'
	run -1 --separate-stderr env XGETTEXT="$xg" sh "$UC3_ROOT/po/check.sh" fuzzy.po a.c
	matches "$stderr" 'a\.c:1: "the deadline"'
	# a format msgfmt --check refuses
	sed 's/tidak ada tiket %s/tidak ada tiket %d/' full.po >bad.po
	run -1 env XGETTEXT="$xg" sh "$UC3_ROOT/po/check.sh" bad.po a.c
}

@test "i18n: po/id.po translates every message of the source (make check-po)" {
	run -0 --separate-stderr make -s -C "$UC3_ROOT" check-po
}

@test "i18n: a type error of uc3.yaml reads wholly in Indonesian, the kind of value too" {
	init_repo
	python3 -c '
import re
s = open("uc3.yaml").read()
s = re.sub(r"roles:.*?\n((  - .*\n)+)", "roles: staf\n", s, count=1)
open("uc3.yaml", "w").write(s)'
	git commit -q -am "roles as a string"
	run -2 --separate-stderr env LANGUAGE=id uc3 list
	one_line_error "uc3 list" '^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: roles harus berupa urutan \(daftar\)$'
	run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" '^uc3 list: uc3\.yaml:[0-9]+:[0-9]+: roles must be a sequence \(a list\)$'
}

@test "i18n: both branches of a conditional message are translated" {
	# the first branch, which xgettext always found, and the second
	run -2 --separate-stderr env LANGUAGE=id uc3 attach UC3-2026-0001
	equal "${stderr_lines[0]}" "uc3 attach: berkas yang mana? berikan satu atau lebih"
	run -2 --separate-stderr env LANGUAGE=id uc3 attach
	equal "${stderr_lines[0]}" "uc3 attach: tiket yang mana? berikan id-nya dan berkas-berkasnya"
	run -2 --separate-stderr env LANGUAGE=id uc3 answer
	equal "${stderr_lines[0]}" "uc3 answer: tiket yang mana? berikan id-nya"
	run -2 --separate-stderr env LANGUAGE=id uc3 answer UC3-2026-0001 UC3-2026-0002
	equal "${stderr_lines[0]}" "uc3 answer: hanya satu id tiket setiap kali"
}
