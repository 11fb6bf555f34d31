# Shared set-up of the uc3 command-line tests (bats 1.8).
#
# Every test runs in a fresh temporary directory $T with its own HOME and
# git configuration, the freshly built tools first on PATH, "now" fixed by
# UC3_NOW, and no background gc. A test that creates a records repository
# with init_repo (or registers one with track_repo) gets, in teardown, the
# check that git fsck --strict is clean and, when the repository has a work
# tree, that git status --porcelain is empty.

bats_require_minimum_version 1.5.0

UC3_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
UC3_BUILD_DIR="${UC3_BUILD:-$UC3_ROOT/build}"
UC3_BIN="$UC3_BUILD_DIR/bin"

# Friday 2026-11-27 09:00 in Jakarta (a business day, inside office hours).
NOW_FRIDAY=2026-11-27T09:00:00+07:00

# The system's python3 (with Debian's python3-yaml, which make deps
# installs), not a version manager's shim: a shim costs several processes
# a call, and the tests call python often. Every `python3` in the tests
# is this function.
if [ -x /usr/bin/python3 ]; then
	UC3_PY=/usr/bin/python3
else
	UC3_PY="$(command -v python3)"
fi
python3() {
	"$UC3_PY" "$@"
}

setup() {
	# Never let a tool see the terminal of whoever runs the tests: without
	# -m/-F `uc3 new` would start an editor. Tests that want a terminal
	# use with_tty.
	exec </dev/null

	T="${BATS_TEST_TMPDIR:-}"
	if [ -z "$T" ]; then
		T="$(mktemp -d)"
		UC3_OWN_TMP=1
	fi
	T="$(cd "$T" && pwd -P)"
	export T

	export HOME="$T/home"
	mkdir -p "$HOME"
	export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
	export GIT_CONFIG_NOSYSTEM=1
	# What `git config --global user.name/user.email` would write, without
	# two processes a test.
	printf '[user]\n\tname = Staf Satu\n\temail = humas1@unej.ac.id\n' >"$GIT_CONFIG_GLOBAL"

	export PATH="$UC3_BIN:$PATH"
	export UC3_NO_GC=1
	export UC3_NOW="$NOW_FRIDAY"
	export TZ=UTC
	export LC_ALL=C.UTF-8
	unset UC3_DIR UC3_DATADIR UC3_SENDMAIL VISUAL EDITOR GIT_EDITOR
	# English, whatever the language of whoever runs them (i18n.bats sets LANGUAGE).
	unset LANGUAGE LC_MESSAGES LANG
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE
	unset GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GNUPGHOME
	UC3_REPOS=()
	cd "$T"
}

teardown() {
	local r rc=0

	# the SMTP sink of a mail test, whether the test passed or not
	if [ -n "${SMTP_PID:-}" ]; then
		smtp_sink_stop
	fi
	for r in "${UC3_REPOS[@]}"; do
		[ -d "$r" ] || continue
		if ! git -C "$r" fsck --strict --no-dangling --no-progress >"$T/fsck.out" 2>&1; then
			echo "git fsck --strict failed in $r:" >&2
			cat "$T/fsck.out" >&2
			rc=1
		elif [ -s "$T/fsck.out" ]; then
			echo "git fsck --strict is not clean in $r:" >&2
			cat "$T/fsck.out" >&2
			rc=1
		fi
		if [ "$(git -C "$r" rev-parse --is-bare-repository)" = false ]; then
			local st
			st="$(git -C "$r" status --porcelain --untracked-files=all)"
			if [ -n "$st" ]; then
				echo "git status --porcelain is not empty in $r:" >&2
				echo "$st" >&2
				rc=1
			fi
		fi
	done
	# gpg-agent started by a signing test, found by its own home only.
	if [ -n "${GNUPGHOME:-}" ] && [ -d "$GNUPGHOME" ]; then
		gpgconf --kill gpg-agent >/dev/null 2>&1 || true
	fi
	if [ -n "${UC3_OWN_TMP:-}" ]; then
		rm -rf "$T"
	fi
	return $rc
}

# Check the repository at $1 in teardown (fsck, clean work tree).
track_repo() {
	UC3_REPOS+=("$(cd "$1" && pwd -P)")
}

# uc3 init in $T/${1:-r}, cd there, and check it in teardown.
init_repo() {
	local d="$T/${1:-r}"

	uc3 init "$d" >/dev/null
	track_repo "$d"
	cd "$d"
	REPO="$d"
}

# A fixture made once per bats file: the first call runs the function $1
# (with the arguments after it), which must make the records repository
# $T/r with init_repo and leave nothing else that the test needs; it is
# then kept in $BATS_FILE_TMPDIR, and later calls copy it to $T/r, with
# its commits, index and work tree as they were. Either way the shell is
# left in $T/r, which teardown checks.
fixture_repo() {
	local key="$*" cache
	cache="$BATS_FILE_TMPDIR/fixture-${key//[^A-Za-z0-9_-]/_}"
	if [ -d "$cache/r" ]; then
		cp -a "$cache/r" "$T/r"
		track_repo "$T/r"
		cd "$T/r"
		REPO="$T/r"
		return 0
	fi
	"$@" || return
	[ "$PWD" = "$T/r" ] || { echo "fixture_repo: $1 did not leave the shell in $T/r" >&2; return 1; }
	mkdir -p "$cache"
	cp -a "$T/r" "$cache/r"
}

# uc3 init --bare in $T/${1:-b.git}; sets BARE; checked in teardown.
init_bare() {
	BARE="$T/${1:-b.git}"
	uc3 init --bare "$BARE" >/dev/null
	track_repo "$BARE"
}

# The hooks of a central repository, in the bare repository $1: uc3
# verify --pre-receive refuses a push it finds fault with, uc3 verify
# --post-receive notes when a commit whose time is not confirmed came.
# Both exec the built uc3. The hook's clock is the system's, or
# UC3_HOOK_NOW in the pusher's environment (test-only); UC3_NOW is not
# read there.
central_hooks() {
	local h
	for h in pre-receive post-receive; do
		printf '#!/bin/sh\nPATH="%s:$PATH"\nexport PATH\nexec "%s/uc3" verify --%s\n' \
			"$UC3_BIN" "$UC3_BIN" "$h" >"$1/hooks/$h"
		chmod +x "$1/hooks/$h"
	done
}

# A ticket with everything given; extra options are passed on. Prints the id.
new_ticket() {
	uc3 new -s "${SUBJECT:-Pembayaran UKT belum terverifikasi}" -k "${KIND:-keluhan}" \
		-c "${CHANNEL:-email}" --from "${FROM:-Siti Aminah <siti@example.com>}" \
		-m "${BODY:-Sudah bayar UKT tanggal 20, status belum berubah.}" "$@"
}

# The path of a ticket in the tree of HEAD (repo: ${2:-.}).
ticket_path() {
	git -C "${2:-.}" ls-tree -r --name-only HEAD -- tickets | grep "/$1\.yaml\$"
}

# Record HEAD, every ref, the index and the work tree of repo ${1:-.} ...
snapshot() {
	local d="${1:-.}"

	SNAP_DIR="$d"
	SNAP_HEAD="$(git -C "$d" rev-parse -q --verify HEAD || echo none)"
	SNAP_REFS="$(git -C "$d" for-each-ref --format='%(refname) %(objectname)')"
	if [ "$(git -C "$d" rev-parse --is-bare-repository)" = false ]; then
		SNAP_STATUS="$(git -C "$d" status --porcelain --untracked-files=all)"
		SNAP_FILES="$(cd "$d" && find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 -r sha1sum)"
	else
		SNAP_STATUS=bare
		SNAP_FILES=bare
	fi
}

# ... and assert that nothing of it changed since.
repo_unchanged() {
	local d="$SNAP_DIR" now

	now="$(git -C "$d" rev-parse -q --verify HEAD || echo none)"
	if [ "$now" != "$SNAP_HEAD" ]; then
		echo "HEAD moved: $SNAP_HEAD -> $now" >&2
		return 1
	fi
	now="$(git -C "$d" for-each-ref --format='%(refname) %(objectname)')"
	if [ "$now" != "$SNAP_REFS" ]; then
		printf 'refs changed:\n%s\n--- now:\n%s\n' "$SNAP_REFS" "$now" >&2
		return 1
	fi
	if [ "$SNAP_STATUS" != bare ]; then
		now="$(git -C "$d" status --porcelain --untracked-files=all)"
		if [ "$now" != "$SNAP_STATUS" ]; then
			printf 'git status changed:\n%s\n--- now:\n%s\n' "$SNAP_STATUS" "$now" >&2
			return 1
		fi
		now="$(cd "$d" && find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 -r sha1sum)"
		if [ "$now" != "$SNAP_FILES" ]; then
			printf 'work tree changed:\n%s\n--- now:\n%s\n' "$SNAP_FILES" "$now" >&2
			return 1
		fi
	fi
}

# After `run --separate-stderr`: exactly one line on stderr, starting with
# the tool's name ($1, e.g. "uc3 new") and matching the ERE $2.
# columns_line_up TABLE NAME...: a text table's columns stand under their
# headings: on every line of TABLE after the first (the headings), a
# field starts where each heading NAME starts, after a blank.
columns_line_up() {
	python3 - "$@" <<'PY'
import sys
lines = sys.argv[1].split("\n")
names = sys.argv[2:]
starts = [lines[0].index(n) for n in names]
for l in lines[1:]:
    for i, s in enumerate(starts):
        if s and l[s - 1] != " ":
            sys.exit("column %s does not start at %d in %r" % (names[i], s, l))
        if l[s] == " ":
            sys.exit("column %s is empty at %d in %r" % (names[i], s, l))
PY
}

one_line_error() {
	if [ "${#stderr_lines[@]}" -ne 1 ]; then
		echo "expected one line on stderr, got ${#stderr_lines[@]}:" >&2
		printf '%s\n' "$stderr" >&2
		return 1
	fi
	case "$stderr" in
	"$1: "*) ;;
	*)
		echo "stderr does not start with '$1: ': $stderr" >&2
		return 1
		;;
	esac
	if [ -n "${2:-}" ] && ! grep -Eq -- "$2" <<<"$stderr"; then
		echo "stderr does not match /$2/: $stderr" >&2
		return 1
	fi
}

# Assert that $1 (a string) matches the ERE $2.
matches() {
	if ! grep -Eq -- "$2" <<<"$1"; then
		printf 'expected to match /%s/:\n%s\n' "$2" "$1" >&2
		return 1
	fi
}

# Assert that two strings are equal, showing both when they differ.
equal() {
	if [ "$1" != "$2" ]; then
		printf 'expected:\n%s\n--- actual:\n%s\n' "$2" "$1" >&2
		return 1
	fi
}

# The number of commits on HEAD of repo ${1:-.}.
commit_count() {
	git -C "${1:-.}" rev-list --count HEAD
}

# Every value of the YAML file $1, read with every scalar as a string, as
# "dotted.path NUL value NUL" pairs, into the file named by $2: a map or a
# list as JSON with sorted keys, a scalar as it is. One python run per
# content of the file: the result is kept in $T/.yaml-cache beside a copy
# of the text it was made from, and reused while the file has that text.
_yaml_flat() {
	local f="$1" abs key text cached
	case "$f" in
	/*) abs="$f" ;;
	*) abs="$PWD/$f" ;;
	esac
	key="$T/.yaml-cache/${abs//\//%}"
	IFS= read -r -d '' text <"$f" || true
	if [ -f "$key.flat" ]; then
		IFS= read -r -d '' cached <"$key.text" || true
		if [ "$cached" = "$text" ]; then
			printf -v "$2" '%s' "$key.flat"
			return 0
		fi
	fi
	mkdir -p "$T/.yaml-cache"
	python3 - "$f" "$key.flat.tmp" <<'PY' || return
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    d = yaml.load(f, Loader=yaml.BaseLoader)
out = []
def walk(node, path):
    if path:
        v = node if isinstance(node, str) else json.dumps(node, sort_keys=True)
        out.append(path + "\0" + v + "\0")
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        walk(v, (path + "." if path else "") + str(k))
walk(d, "")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("".join(out))
PY
	printf '%s' "$text" >"$key.text"
	mv "$key.flat.tmp" "$key.flat"
	printf -v "$2" '%s' "$key.flat"
}

# The value at dotted path $2 of YAML file $1 into variable $3; returns 3
# when the path is absent.
_yaml_value() {
	local flat k v
	_yaml_flat "$1" flat || return
	while IFS= read -r -d '' k && IFS= read -r -d '' v; do
		if [ "$k" = "$2" ]; then
			printf -v "$3" '%s' "$v"
			return 0
		fi
	done <"$flat"
	return 3
}

# Read a YAML file with every scalar as a string and print the value at a
# dotted path (events.0.action); exits 3 when the path is absent.
yget() {
	local val
	_yaml_value "$1" "$2" val || return
	printf '%s' "$val"
}

# Run a command with standard input on a pseudo-terminal (stdout and
# stderr stay as they are), as a person typing `uc3 new` would.
with_tty() {
	timeout 30 "$UC3_PY" -c '
import os, pty, sys
m, s = pty.openpty()
os.set_inheritable(m, True)
os.dup2(s, 0)
os.close(s)
os.execvp(sys.argv[1], sys.argv[1:])
' "$@"
}

# An editor that writes $2 as the text, says so in $T/$1-ready, and waits
# (up to 20 s) for $T/$1-go before it returns.
slow_editor() {
	cat >"$T/editor-$1" <<SH
#!/bin/sh
printf '%s\n' '$2' >"\$1"
touch "$T/$1-ready"
n=0
while [ ! -e "$T/$1-go" ] && [ \$n -lt 400 ]; do sleep 0.05; n=\$((n + 1)); done
SH
	chmod +x "$T/editor-$1"
	echo "$T/editor-$1"
}

# Wait (up to 20 s) for the file $1 to appear; fails if it does not.
wait_for() {
	local n=0
	while [ ! -e "$1" ] && [ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	[ -e "$1" ]
}

# Assert that the value at a dotted path of a YAML file is exactly $3
# (trailing newlines included, which $(yget ...) would drop).
yis() {
	local val rc=0
	_yaml_value "$1" "$2" val || rc=$?
	if [ $rc -ne 0 ]; then
		echo "$1: no $2" >&2
		return 1
	fi
	if [ "$val" != "$3" ]; then
		printf '%s: %s is %q, expected %q\n' "$1" "$2" "$val" "$3" >&2
		return 1
	fi
}

# The values at the dotted paths $2... of the JSON document $1, one a line:
# a string as it is (line breaks as \n), anything else as JSON, a path that
# is not there as "-".
jvals() {
	python3 - "$@" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for p in sys.argv[2:]:
    v = d
    try:
        for k in p.split("."):
            v = v[int(k)] if isinstance(v, list) else v[k]
    except (KeyError, IndexError, ValueError):
        print("-")
        continue
    print(v.replace("\n", "\\n") if isinstance(v, str) else json.dumps(v))
PY
}

# --- Helpers of the step tests (workflow, roles, steps-bad-input) ---

# Change the policy of the work-tree repository in the current directory:
# apply the sed script $1 to uc3.yaml and commit it with plain git (message
# ${2:-policy change}); fails when the script changed nothing.
edit_policy() {
	local before
	before="$(sha1sum <uc3.yaml)"
	sed -i -e "$1" uc3.yaml
	if [ "$(sha1sum <uc3.yaml)" = "$before" ]; then
		echo "edit_policy: '$1' changed nothing in uc3.yaml" >&2
		return 1
	fi
	git add uc3.yaml
	git commit -q -m "${2:-policy change}"
}

# List people in the policy of the work-tree repository in the current
# directory: the YAML sequence items on stdin replace "people: []"; the
# change is committed with plain git.
set_people() {
	python3 -c '
import re, sys
s = open("uc3.yaml", encoding="utf-8").read()
n = re.subn(r"^people:[^\n]*$", lambda m: "people:\n" + sys.stdin.read().rstrip("\n"), s, count=1, flags=re.M)
if n[1] != 1:
    sys.exit("set_people: no people: line in uc3.yaml")
open("uc3.yaml", "w", encoding="utf-8").write(n[0])
'
	git add uc3.yaml
	git commit -q -m "policy: people"
}

# The value of trailer $1 of commit ${2:-HEAD} in repo ${3:-.}, all
# occurrences joined by ",", nothing when absent.
trailer() {
	git -C "${3:-.}" log -1 --format="%(trailers:key=$1,valueonly,separator=%x2C)" "${2:-HEAD}"
}

# The committed file of ticket $1 in repo ${2:-.} (bare or not), copied to
# $T/$1.yaml; prints that path, to read with yget and yis.
committed_ticket() {
	local d="${2:-.}" p
	p="$(git -C "$d" ls-tree -r --name-only HEAD -- tickets | grep "/$1\.yaml\$")" || return 1
	git -C "$d" show "HEAD:$p" >"$T/$1.yaml"
	echo "$T/$1.yaml"
}

# One line per event of the ticket file $1:
# "action from>to step=NAME DUE LATE", absent fields as "-".
events_table() {
	python3 - "$1" <<'PY'
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    d = yaml.load(f, Loader=yaml.BaseLoader)
for e in d.get("events", []):
    s = e.get("step") or {}
    print("%s %s>%s step=%s %s %s" % (e["action"], e.get("from", "-"), e.get("to", "-"),
          s.get("name", "-"), s.get("due", "-"), s.get("late", "-")))
PY
}

# --- Helpers of the signing and audit tests (verify) ---

# A throwaway ed25519 ssh key without passphrase: $T/keys/$1 and
# $T/keys/$1.pub (comment $1). Made once; later calls reuse it.
throwaway_ssh_key() {
	mkdir -p "$T/keys"
	[ -e "$T/keys/$1" ] || ssh-keygen -t ed25519 -N '' -C "$1" -f "$T/keys/$1" -q
}

# Signing set-ups the test files share.

# A throwaway ssh key $T/key for humas1, and git set to sign with it and
# to check it ($T/allowed_signers): in the configuration of repository
# ${1:-.}, or with --global in GIT_CONFIG_GLOBAL.
ssh_signing() {
	local -a cfg=(git -C "${1:-.}" config)
	[ "${1:-}" = --global ] && cfg=(git config --global)
	ssh-keygen -t ed25519 -N '' -C humas1 -f "$T/key" -q
	echo "humas1@unej.ac.id namespaces=\"git\" $(cat "$T/key.pub")" >"$T/allowed_signers"
	"${cfg[@]}" gpg.format ssh
	"${cfg[@]}" user.signingkey "$T/key"
	"${cfg[@]}" commit.gpgsign true
	"${cfg[@]}" gpg.ssh.allowedSignersFile "$T/allowed_signers"
}

# $T/allowed_signers for git's own checks (git log --show-signature, %G?),
# as an auditor has it, from arguments "EMAIL NAME" (the key
# $T/keys/NAME.pub, see throwaway_ssh_key); set in this repository.
allowed_signers() {
	local k
	for k in "$@"; do
		set -- $k
		echo "$1 namespaces=\"git\" $(cat "$T/keys/$2.pub")"
	done >"$T/allowed_signers"
	git config gpg.ssh.allowedSignersFile "$T/allowed_signers"
}

# A throwaway OpenPGP signing key for the user id $1 in GNUPGHOME=$T/gnupg
# (made on first use; teardown stops its agent); sets FPR to its
# fingerprint.
throwaway_gpg_key() {
	export GNUPGHOME="$T/gnupg"
	mkdir -p "$GNUPGHOME"
	chmod 700 "$GNUPGHOME"
	gpg --batch --passphrase '' --quick-gen-key "$1" ed25519 sign never >/dev/null 2>&1
	FPR="$(gpg --list-secret-keys --with-colons | awk -F: -v uid="$1" '
		/^sec/ { fpr = "" } /^fpr/ && fpr == "" { fpr = $10 } /^uid/ && $10 == uid { last = fpr }
		END { print last }')"
	[ -n "$FPR" ]
}

# Make the repository ${3:-.} act and sign as the person with email $1
# and the private ssh key file $2: user.email, user.name, gpg.format ssh,
# user.signingkey and commit.gpgsign true in its own configuration, so
# that uc3 and plain git commits alike are by that person, signed.
sign_as() {
	local d="${3:-.}"
	git -C "$d" config user.email "$1"
	git -C "$d" config user.name "Petugas ${1%@*}"
	git -C "$d" config gpg.format ssh
	git -C "$d" config user.signingkey "$2"
	git -C "$d" config commit.gpgsign true
}

# The number of processes waiting (blocked) for the flock of file $1.
flock_waiters() {
	local ino
	ino="$(stat -c %i "$1")"
	grep -c -- "-> FLOCK .*:$ino " /proc/locks || true
}

# Run a command at the wall-clock time HH:MM of $NOW_FRIDAY's day: UC3_NOW
# for uc3, GIT_AUTHOR_DATE and GIT_COMMITTER_DATE for plain git.
at_time() {
	local t="2026-11-27T$1:00+07:00"
	shift
	UC3_NOW="$t" GIT_AUTHOR_DATE="$t" GIT_COMMITTER_DATE="$t" "$@"
}

# --- Helpers of the mail tests (overdue) ---

# Sendmail stand-ins in $T, named in the policy by use_sendmail:
# $T/sendmail saves each message given on its standard input to
# $T/mail/N.eml (N = 1, 2, ... in the order sent) and its arguments to
# $T/mail/N.args; $T/sendmail-fail reads the message, says why on stderr
# and exits 75 (EX_TEMPFAIL), as sendmail does when it cannot queue.
fake_sendmail() {
	mkdir -p "$T/mail"
	cat >"$T/sendmail" <<'SH'
#!/bin/sh
d="$(dirname "$0")/mail"
n=$(( $(find "$d" -name '*.eml' | wc -l) + 1 ))
printf '%s\n' "$*" >"$d/$n.args"
cat >"$d/$n.eml"
SH
	cat >"$T/sendmail-fail" <<'SH'
#!/bin/sh
cat >/dev/null
echo "sendmail-fail: cannot queue the message" >&2
exit 75
SH
	chmod +x "$T/sendmail" "$T/sendmail-fail"
}

# Send mail to $T/outbox/N.eml through $UC3_SENDMAIL, whatever the
# policy's sendmail (tests/cli/outbox-sendmail).
use_outbox() {
	export UC3_SENDMAIL="$UC3_ROOT/tests/cli/outbox-sendmail -t -i"
}

# Set mail.sendmail of the work-tree repository in the current directory
# to the command $1 (default "$T/sendmail -t -i") and commit it with git.
use_sendmail() {
	edit_policy "s|^  sendmail: .*|  sendmail: ${1:-$T/sendmail -t -i}|" "policy: sendmail"
}

# The number of messages the stand-in has saved.
mail_count() {
	find "$T/mail" -name '*.eml' | wc -l
}

# One line per saved message, sorted: "TO: ID ID ..." with the address of
# its To header and the ticket ids its body names, each once, sorted.
# Every message is parsed with python's email package (policy default).
mail_summary() {
	python3 - "$T/mail" <<'PY'
import email, email.policy, os, re, sys
d = sys.argv[1]
out = []
for f in os.listdir(d):
    if not f.endswith(".eml"):
        continue
    with open(os.path.join(d, f), "rb") as fh:
        m = email.message_from_bytes(fh.read(), policy=email.policy.default)
    ids = sorted(set(re.findall(r"\b[A-Z0-9]+-[0-9]{4}-[0-9]{4,}\b", m.get_content())))
    out.append("%s: %s" % (m["To"], " ".join(ids)))
print("\n".join(sorted(out)))
PY
}

# A real MTA and a real reader for the mail tests (mail.bats):
# tests/cli/smtpsink.py (an SMTP server on 127.0.0.1, aiosmtpd) and
# tests/cli/mailcheck.py (each message parsed by Python's email package
# with policy.strict, printed as JSON); their own comments say more.

# Skip the test unless msmtp and Python's aiosmtpd are installed.
need_msmtp() {
	command -v msmtp >/dev/null ||
		skip "msmtp is not installed (Debian: apt-get install msmtp, or make deps)"
	"$UC3_PY" -c 'import aiosmtpd' 2>/dev/null ||
		skip "aiosmtpd is not installed (Debian: apt-get install python3-aiosmtpd, or make deps)"
}

# Start the SMTP sink in the background, saving to $T/smtp/N.eml (and,
# with $1, delivering each message to the command $1 as an alias pipe
# does); wait (up to 20 s) until it listens, and export its port as
# SMTP_PORT. It stops by itself after 300 s; teardown stops it before that.
smtp_sink_start() {
	local n=0
	local -a pipe=()
	[ -z "${1:-}" ] || pipe=(--pipe "$1")
	mkdir -p "$T/smtp"
	# its own output to files and fd 3 closed: bats waits for whatever holds them
	"$UC3_PY" "$BATS_TEST_DIRNAME/smtpsink.py" "${pipe[@]}" "$T/smtp" 0 >"$T/smtp.port" 2>"$T/smtp.err" 3>&- &
	SMTP_PID=$!
	while ! [ -s "$T/smtp.port" ] && kill -0 "$SMTP_PID" 2>/dev/null && [ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	SMTP_PORT="$(head -n 1 "$T/smtp.port")"
	if ! [[ "$SMTP_PORT" =~ ^[0-9]+$ ]]; then
		echo "smtp_sink_start: the sink did not start:" >&2
		cat "$T/smtp.err" >&2
		return 1
	fi
	export SMTP_PORT
}

# Stop the SMTP sink that smtp_sink_start started, and wait for it.
smtp_sink_stop() {
	[ -n "${SMTP_PID:-}" ] || return 0
	kill "$SMTP_PID" 2>/dev/null || true
	wait "$SMTP_PID" 2>/dev/null || true
	SMTP_PID=
}

# Write $T/msmtprc for the sink (127.0.0.1, $SMTP_PORT; no auth, no TLS;
# envelope sender uc3@example.org, the message's headers as they are) and
# print the sendmail command line that uses it, for use_sendmail.
msmtp_sendmail() {
	cat >"$T/msmtprc" <<EOF
defaults
auth off
tls off
syslog off
account default
host 127.0.0.1
port $SMTP_PORT
from uc3@example.org
auto_from off
EOF
	chmod 600 "$T/msmtprc"
	echo "msmtp -C $T/msmtprc -t -i"
}

# mailcheck.py on every ${1:-$T/mail}/N.eml in number order: one JSON
# object a line; fails when a message does not parse under policy.strict.
mail_json() {
	local d="${1:-$T/mail}"
	local -a files
	mapfile -t files < <(find "$d" -name '*.eml' | sort -V)
	[ "${#files[@]}" -gt 0 ] || { echo "mail_json: no message in $d" >&2; return 1; }
	"$UC3_PY" "$BATS_TEST_DIRNAME/mailcheck.py" "${files[@]}"
}

# --- Helpers of the printable pages (paper, report-html) ---

# Skip the test when headless Chromium is not installed.
need_chromium() {
	command -v chromium >/dev/null ||
		skip "chromium is not installed (Debian: apt-get install chromium, or make deps)"
}

# Print the HTML file $1 to the PDF $2 with headless Chromium, without
# the browser's header and footer: the page as the office prints it.
chromium_pdf() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--user-data-dir="$T/chromium" --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
	[ -s "$2" ]
}

# A screenshot of the HTML file $1 as a PNG $2, in a window of an A4
# page at 96 dpi (794 x 1123).
chromium_png() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chromium" --screenshot="$2" --window-size=794,1123 \
		"file://$1" >/dev/null 2>&1
	[ -s "$2" ]
}

# The number of pages of the PDF $1; fails when a page is not A4.
pdf_a4_pages() {
	python3 - "$1" <<'PY'
import re, sys
pdf = open(sys.argv[1], "rb").read()
pages = re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf)
for box in re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf):
    if abs(float(box.group(1)) - 595.3) > 1 or abs(float(box.group(2)) - 841.9) > 1:
        sys.exit("a page is not A4: %r" % box.group(0))
print(len(pages))
PY
}

# The PNG $1 decoded by hand (no PIL), as JSON: "width", "height", "ink"
# (the share of dark pixels), "first" and "last" (the first and last
# rows with ink), and "colour", the pixels within 40 of each channel of
# the colour $2 (RRGGBB, optional).
png_ink() {
	python3 - "$1" "${2:-000000}" <<'PY'
import json, struct, sys, zlib
png = open(sys.argv[1], "rb").read()
want = bytes.fromhex(sys.argv[2])
if png[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat = 8, b""
while pos < len(png):
    n, kind = struct.unpack(">I4s", png[pos:pos + 8])
    chunk = png[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + n
if depth != 8 or ctype not in (2, 6):
    sys.exit("unexpected PNG depth %d type %d" % (depth, ctype))
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, ink, rows, colour = bytearray(stride), 0, [], 0
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    dark = 0
    for x in range(0, stride, bpp):
        r, g, b = line[x], line[x + 1], line[x + 2]
        if r + g + b < 384:
            dark += 1
        if abs(r - want[0]) <= 40 and abs(g - want[1]) <= 40 and abs(b - want[2]) <= 40:
            colour += 1
    ink += dark
    if dark:
        rows.append(y)
    prev = line
print(json.dumps({"width": w, "height": h, "ink": ink / (w * h),
                  "first": rows[0] if rows else -1, "last": rows[-1] if rows else -1,
                  "colour": colour}))
PY
}
