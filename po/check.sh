#!/bin/sh
# po/check.sh CATALOGUE SOURCE...: fail when a message of the source has
# no translation in CATALOGUE (po/id.po), or a fuzzy one, naming each
# with where it is used; fail when msgfmt --check refuses the catalogue.
# A message with no letter in it ("%s", "%s: %s") needs none. Entries of
# the catalogue that the source no longer has (#~) only warn.
#
# The template is made afresh from the source, by $XGETTEXT (the
# Makefile's xgettext command with its keywords), into a temporary
# directory: the committed po/uc3.pot may be behind.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: XGETTEXT='xgettext ...' sh po/check.sh CATALOGUE SOURCE..." >&2
	exit 2
fi
po=$1
shift
: "${XGETTEXT:?XGETTEXT must hold the xgettext command (see the Makefile)}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/uc3-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

msgfmt --check -o /dev/null "$po" || {
	echo "po/check.sh: msgfmt --check refuses $po" >&2
	exit 1
}
# shellcheck disable=SC2086 # XGETTEXT is a command and its options
# (Its warnings, of the empty --msgid-bugs-address, only when it fails.)
$XGETTEXT -o "$tmp/uc3.pot" "$@" 2>"$tmp/xgettext.err" || {
	cat "$tmp/xgettext.err" >&2
	exit 1
}
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$po" "$tmp/uc3.pot"

# The messages lacking: untranslated or fuzzy, each as "file:line: "msgid"".
{
	msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po"
	msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po"
} | awk '
	function flush(t) {
		if (have && id != "") {
			t = id
			gsub(/\\[0-7][0-7]?[0-7]?|\\./, "", t)
			gsub(/%[0-9]*\$?[-+ #0'\''*.0-9]*(hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcspn%]/, "", t)
			if (t ~ /[A-Za-z]/)
				printf "  %s: \"%s\"\n", (ref == "" ? "?" : ref), id
		}
		have = 0; id = ""; ref = ""; inid = 0
	}
	/^#: / { if (ref == "") ref = $2; next }
	/^msgid / { have = 1; inid = 1; s = $0; sub(/^msgid "/, "", s); sub(/"$/, "", s); id = s; next }
	/^"/ && inid { s = $0; sub(/^"/, "", s); sub(/"$/, "", s); id = id s; next }
	/^msgstr/ || /^msgid_plural/ { inid = 0; next }
	/^$/ { flush(); next }
	END { flush() }
' | sort -t: -k1,1 -k2,2n | uniq >"$tmp/missing"

obsolete=$(grep -c '^#~ msgid' "$po" || true)
if [ "$obsolete" -gt 0 ]; then
	echo "po/check.sh: warning: $po has $obsolete entries the source no longer uses (#~); msgmerge drops them" >&2
fi
if [ -s "$tmp/missing" ]; then
	n=$(wc -l <"$tmp/missing")
	echo "po/check.sh: $po lacks the translation of $n message(s) (untranslated or fuzzy):" >&2
	cat "$tmp/missing" >&2
	exit 1
fi
echo "po/check.sh: $po translates every message of the source"
