#!/bin/sh
# mail.sh [BUILD_DIR]: how long `uc3 new --mail` takes on the 100,000-ticket
# bare repository of run.sh (1,000 of them open), beside `uc3 new` typed.
#
# Takes the tools from BUILD_DIR/bin (default /work/main/build), copied to
# a scratch directory, and a copy of $UC3_BENCH_DIR/tickets-N.git (made by
# overdue.sh or run.sh with gen.sh; this script makes none: run one of
# them first). Times, each the median of UC3_BENCH_MAIL_RUNS runs (10)
# with the shell's clock, every run a mail of its own (its own
# Message-ID):
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

BUILD=${1:-/work/main/build}
BIN=$(cd "$BUILD/bin" 2>/dev/null && pwd) || {
	echo "mail.sh: no $BUILD/bin (run make first)" >&2
	exit 2
}
N=${UC3_BENCH_N:-100000}
RUNS=${UC3_BENCH_MAIL_RUNS:-10}
CACHE=${UC3_BENCH_DIR:-/tmp/uc3-bench}
SRC=$CACHE/tickets-$N.git
[ -d "$SRC" ] || {
	echo "mail.sh: no $SRC: run tests/bench/overdue.sh (or run.sh) first" >&2
	exit 2
}

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/uc3-bench-mail.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
mkdir "$SCRATCH/bin"
cp -p "$BIN"/uc3* "$SCRATCH/bin/"
[ ! -d "$BIN/../share" ] || cp -pR "$BIN/../share" "$SCRATCH/share"
UC3=$SCRATCH/bin/uc3
REPO=$SCRATCH/r.git
cp -pR "$SRC" "$REPO"

UC3_NOW=2026-12-30T10:00:00+07:00
UC3_NO_GC=1
UC3_SENDMAIL=true
export UC3_NOW UC3_NO_GC UC3_SENDMAIL
unset UC3_DIR GIT_DIR GIT_WORK_TREE

# An open ticket of the generated ones, and its requester.
OPEN=$("$UC3" -C "$REPO" list --status open --format json |
	python3 -c 'import json,sys; t=json.load(sys.stdin)[0]; print(t["id"], t["requester"].get("email") or "")')
OPEN_ID=${OPEN% *}
OPEN_FROM=${OPEN#* }
[ -n "$OPEN_FROM" ] || OPEN_FROM=siti@example.com

now_ns() { date +%s%N; }

# mail KIND I: the mail of run I on standard output.
mail() {
	case $1 in
	reply) subject="Re: [$OPEN_ID] tindak lanjut" from=$OPEN_FROM irt= ;;
	thread) subject="Re: pertanyaan" from=rina$2@example.net irt="In-Reply-To: <nobody-$2@example.org>" ;;
	*) subject="Pertanyaan jadwal wisuda $2" from=rina$2@example.net irt= ;;
	esac
	printf 'From: Rina Wulandari <%s>\nTo: uc3@unej.ac.id\nSubject: %s\n' "$from" "$subject"
	printf 'Date: Wed, 30 Dec 2026 09:59:00 +0700\nMessage-ID: <bench-%s-%s@example.net>\n' "$1" "$2"
	[ -z "$irt" ] || printf '%s\n' "$irt"
	if [ "$1" = pdf ]; then
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
}

# time_it NAME KIND: the median of RUNS runs, in ms.
time_it() {
	i=0
	: >"$SCRATCH/times"
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		if [ "$2" = typed ]; then
			t0=$(now_ns)
			"$UC3" -C "$REPO" new -s "Pertanyaan jadwal wisuda $i" -k pertanyaan -c email \
				--from "Rina <rina$i@example.net>" \
				-m "Kapan jadwal wisuda periode Desember - dan di mana?" >/dev/null
		else
			mail "$2" "$i" >"$SCRATCH/m.eml"
			t0=$(now_ns)
			"$UC3" -C "$REPO" new --mail <"$SCRATCH/m.eml" >/dev/null 2>&1
		fi
		echo $((($(now_ns) - t0) / 1000000)) >>"$SCRATCH/times"
	done
	printf '  %-52s %5s ms (median of %s; min %s, max %s)\n' "$1" \
		"$(sort -n "$SCRATCH/times" | sed -n "$(((RUNS + 1) / 2))p")" "$RUNS" \
		"$(sort -n "$SCRATCH/times" | head -n 1)" "$(sort -n "$SCRATCH/times" | tail -n 1)"
}

echo "uc3 new --mail benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ)), $N tickets, bare, a copy of $SRC"
echo "  machine: $(nproc) cpus, $(uname -sr); open ticket for the replies: $OPEN_ID"
# a first run to warm the caches (the open-ticket index among them)
"$UC3" -C "$REPO" overdue >/dev/null 2>&1 || true
time_it "uc3 new, typed" typed
time_it "uc3 new --mail, a new question" new
time_it "uc3 new --mail, with a 60 KiB PDF (two commits)" pdf
time_it "uc3 new --mail, a reply with [ID]: a follow-up" reply
time_it "uc3 new --mail, a reply in no ticket's thread" thread
n=$(git -C "$REPO" rev-list --count HEAD)
echo "  $n commits now; git fsck: $(git -C "$REPO" fsck --strict --no-dangling 2>&1 | wc -l) lines"
