#!/bin/sh
# mail.sh [BUILD_DIR]: how long `uc3 new --mail` takes on the 100,000-ticket
# bare repository of run.sh (1,000 of them open), beside `uc3 new` typed.
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build), copied to
# a scratch directory, and a copy of $UC3_BENCH_DIR/tickets-N.git (made by
# overdue.sh or run.sh with gen.sh; this script makes none: run one of
# them first). Times, each the median of UC3_BENCH_MAIL_RUNS runs (10)
# with lib.sh's timer (an untimed prepare step writes each run's mail),
# every run a mail of its own (its own Message-ID):
#
#   1. `uc3 new` typed: subject, kind, channel, --from, -m (the baseline);
#   2. `uc3 new --mail`, a new question (quoted-printable, a Message-ID):
#      parse, look for an open ticket that has that Message-ID (in the
#      open-ticket index, which keeps each ticket's ids), one commit;
#   3. the same with a 60 KiB PDF attached: a second commit for the file;
#   4. a reply whose subject carries the [ID] of an open ticket, from its
#      requester: a follow-up, the ticket read by its id;
#   5. a reply whose In-Reply-To names a mail no ticket has: the index's
#      ids of 1,000 open tickets searched, then a new ticket.
#
# Environment: UC3_BENCH_DIR (/tmp/uc3-bench), UC3_BENCH_N (100000),
# UC3_BENCH_MAIL_RUNS (10). Exit status: 0, or 2 on an error.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$HERE/lib.sh"
bench_init mail.sh "${1:-/work/main/build}" uc3-new uc3-list uc3-overdue
RUNS=${UC3_BENCH_MAIL_RUNS:-10}
SRC=$CACHE/tickets-$N.git
[ -d "$SRC" ] || bench_die "no $SRC: run tests/bench/overdue.sh (or run.sh) first"
REPO=$SCRATCH/r.git
cp -pR "$SRC" "$REPO"
UC3_SENDMAIL=true
export UC3_SENDMAIL

# An open ticket of the generated ones, and its requester.
OPEN=$("$UC3" -C "$REPO" list --status open --format json |
	python3 -c 'import json,sys; t=json.load(sys.stdin)[0]; print(t["id"], t["requester"].get("email") or "")')
OPEN_ID=${OPEN% *}
OPEN_FROM=${OPEN#* }
[ -n "$OPEN_FROM" ] || OPEN_FROM=siti@example.com

# mkmail.sh KIND OPEN_ID OPEN_FROM DIR: the next mail of KIND in DIR/m.eml
# (a counter per kind in DIR/n.KIND).
cat >"$SCRATCH/mkmail.sh" <<'EOF'
set -eu
kind=$1 open_id=$2 open_from=$3 dir=$4
i=$(($(cat "$dir/n.$kind" 2>/dev/null || echo 0) + 1))
echo "$i" >"$dir/n.$kind"
case $kind in
reply) subject="Re: [$open_id] tindak lanjut" from=$open_from irt= ;;
thread) subject="Re: pertanyaan" from=rina$i@example.net irt="In-Reply-To: <nobody-$i@example.org>" ;;
*) subject="Pertanyaan jadwal wisuda $i" from=rina$i@example.net irt= ;;
esac
{
	printf 'From: Rina Wulandari <%s>\nTo: uc3@unej.ac.id\nSubject: %s\n' "$from" "$subject"
	printf 'Date: Wed, 30 Dec 2026 09:59:00 +0700\nMessage-ID: <bench-%s-%s@example.net>\n' "$kind" "$i"
	[ -z "$irt" ] || printf '%s\n' "$irt"
	if [ "$kind" = pdf ]; then
		printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\n'
		printf 'Content-Type: text/plain; charset=UTF-8\n\nBukti terlampir.\n--b\n'
		printf 'Content-Type: application/pdf; name="bukti.pdf"\n'
		printf 'Content-Disposition: attachment; filename="bukti.pdf"\nContent-Transfer-Encoding: base64\n\n'
		head -c 61440 /dev/urandom | base64
		printf -- '--b--\n'
	else
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n'
		printf 'Content-Transfer-Encoding: quoted-printable\n\n'
		printf 'Kapan jadwal wisuda periode Desember =E2=80=93 dan di mana?\n'
	fi
} >"$dir/m.eml"
EOF
mk() { echo "sh $(q "$SCRATCH/mkmail.sh") $1 $(q "$OPEN_ID") $(q "$OPEN_FROM") $(q "$SCRATCH")"; }
TYPED="$(q "$UC3") -C $(q "$REPO") new -s 'Pertanyaan jadwal wisuda' -k pertanyaan -c email --from 'Rina <rina@example.net>' -m 'Kapan jadwal wisuda periode Desember - dan di mana?' >/dev/null"
MAIL="$(q "$UC3") -C $(q "$REPO") new --mail <$(q "$SCRATCH/m.eml") >/dev/null 2>&1"

bench_header "uc3 new --mail benchmark"
echo "  tickets:  $N, bare, a copy of $SRC; open ticket for the replies: $OPEN_ID"
echo
# a first run to warm the caches (the open-ticket index among them)
"$UC3" -C "$REPO" overdue >/dev/null 2>&1 || true
echo "timing ($TIMER)"
measure mail-typed "$RUNS" "" "$TYPED"
measure mail-new "$RUNS" "$(mk new)" "$MAIL"
measure mail-pdf "$RUNS" "$(mk pdf)" "$MAIL"
measure mail-reply "$RUNS" "$(mk reply)" "$MAIL"
measure mail-thread "$RUNS" "$(mk thread)" "$MAIL"
echo

row() { bench_row "$1" "$(bench_ms "$2")" "$(bench_range "$2")" ""; }
echo "results (medians)"
bench_row "operation" "median ms" "min-max ms" ""
bench_row "----------------------------------------" "---------" "----------------------" ""
row "uc3 new, typed" mail-typed
row "uc3 new --mail, a new question" mail-new
row "uc3 new --mail, 60 KiB PDF (two commits)" mail-pdf
row "uc3 new --mail, a reply with [ID]" mail-reply
row "uc3 new --mail, a reply in no thread" mail-thread
n=$(git -C "$REPO" rev-list --count HEAD)
echo "$n commits now; git fsck: $(git -C "$REPO" fsck --strict --no-dangling 2>&1 | wc -l) lines"
