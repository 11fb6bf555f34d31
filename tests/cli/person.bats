#!/usr/bin/env bats
# uc3 person and uc3 init --signed: the people of the policy without
# editing uc3.yaml by hand, and a records repository signed from its first
# commit. People sign with throwaway ssh keys made once for the file.

load helper

KABIRO=kabiro@unej.ac.id
STAF=humas1@unej.ac.id
WAKOR=wakor@unej.ac.id

setup_file() {
	mkdir -p "$BATS_FILE_TMPDIR/keys"
	local k
	for k in kabiro staf wakor other; do
		ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$BATS_FILE_TMPDIR/keys/$k"
	done
}

K="$BATS_FILE_TMPDIR/keys"

# Act as the kabiro, signing with their key, from the global configuration
# (as on their own machine).
as_kabiro_global() {
	git config --global user.name "Kepala Biro"
	git config --global user.email "$KABIRO"
	git config --global gpg.format ssh
	git config --global user.signingkey "$K/kabiro"
	git config --global commit.gpgsign true
}

# A repository made with uc3 init --signed by the kabiro, in $T/r.
signed_start() {
	as_kabiro_global
	uc3 init --signed "$T/r" >/dev/null
	track_repo "$T/r"
	cd "$T/r"
}

@test "uc3 init --signed: the caller is the first person, signatures required, the first commit signed" {
	as_kabiro_global
	run -0 --separate-stderr uc3 init --signed r
	equal "${lines[0]}" "Initialized signed records repository in $T/r/"
	matches "${lines[1]}" "^$KABIRO is its first person, as kabiro"
	track_repo r
	cd r
	equal "$(commit_count)" 1
	# git itself checks the signature, with the allowed signers uc3 keeps
	equal "$(git config gpg.ssh.allowedSignersFile)" "$T/r/.git/uc3/allowed_signers"
	equal "$(git config commit.gpgsign)" true
	equal "$(git config gpg.format)" ssh
	git verify-commit HEAD 2>"$T/vc"
	matches "$(cat "$T/vc")" "Good \"git\" signature for $KABIRO"
	grep -qx "$KABIRO namespaces=\"git\" $(cat "$K/kabiro.pub")" .git/uc3/allowed_signers
	equal "$(yget uc3.yaml require_signed)" true
	equal "$(yget uc3.yaml people.0.email)" "$KABIRO"
	equal "$(yget uc3.yaml people.0.name)" "Kepala Biro"
	equal "$(yget uc3.yaml people.0.roles)" '["kabiro"]'
	equal "$(yget uc3.yaml people.0.keys.0)" "$(cat "$K/kabiro.pub")"
	run -3 yget uc3.yaml people.1
	# everything else of the policy is as installed
	diff <(grep -v '^people:\|^- email\|^  name:\|^  roles:\|^  keys:\|^  - "ssh\|^require_signed:' uc3.yaml) \
		<(grep -v '^people:\|^require_signed:' "$UC3_BUILD_DIR/share/uc3/records/uc3.yaml")
	run -0 uc3 verify
	equal "${lines[0]}" "root of trust: $(git rev-parse HEAD) by $KABIRO (signed)"
	run -0 uc3 log
	matches "$output" 'init +kabiro@unej\.ac\.id +sig:good$'
}

@test "uc3 init --signed --role and --key; refusals change nothing" {
	as_kabiro_global
	run -0 uc3 init --signed --role koordinator --key "$K/kabiro.pub" r
	track_repo r
	equal "$(yget r/uc3.yaml people.0.roles)" '["koordinator"]'
	run -2 --separate-stderr uc3 init --signed --role bogus r2
	one_line_error "uc3 init" "unknown role 'bogus'"
	[ ! -e r2 ]
	run -2 --separate-stderr uc3 init --signed --key "$K/kabiro" r2
	one_line_error "uc3 init" "private key: give the public key"
	[ ! -e r2 ]
	run -2 --separate-stderr uc3 init --unsigned --role staf r2
	matches "${stderr_lines[0]}" "^uc3 init: --role and --key are for --signed"
	[ ! -e r2 ]
	# no signing key at all
	git config --global --unset user.signingkey
	run -2 --separate-stderr uc3 init --signed r2
	one_line_error "uc3 init" "user.signingkey is not set"
	[ ! -e r2 ]
}

@test "uc3 init without --signed and without a terminal: single-user mode, unsigned" {
	as_kabiro_global
	git config --global commit.gpgsign false
	run -0 uc3 init r
	track_repo r
	equal "${lines[0]}" "Initialized records repository in $T/r/"
	equal "$(yget r/uc3.yaml require_signed)" false
	equal "$(yget r/uc3.yaml people)" "[]"
}

@test "uc3 person add, list, remove: each one signed commit of uc3.yaml by the top role" {
	signed_start
	run -0 --separate-stderr uc3 person add "$STAF" --name "Staf Satu" --role staf --key "$K/staf.pub"
	matches "$output" "^added $STAF as staf to the policy \\(commit [0-9a-f]{7}, signed\\)$"
	equal "$(git show --format= --name-only HEAD)" uc3.yaml
	equal "$(git log -1 --format=%s)" "policy: add $STAF as staf"
	equal "$(trailer Action)" person-add
	git verify-commit HEAD 2>/dev/null
	# the key may also be given as text
	run -0 uc3 person add "$WAKOR" --name "Wakil Koordinator" --role wakor --key "$(cat "$K/wakor.pub")"
	run -0 uc3 person list --format json
	python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert [(p["email"], p["roles"]) for p in a] == [("kabiro@unej.ac.id", ["kabiro"]), ("humas1@unej.ac.id", ["staf"]), ("wakor@unej.ac.id", ["wakor"])], a
assert a[1]["keys"] == [open(sys.argv[2]).read().strip()], a
' "$output" "$K/staf.pub"
	run -0 uc3 person list
	equal "${lines[0]}" "EMAIL              ROLES         NAME                    KEYS"
	matches "${lines[2]}" "^$STAF  staf          Staf Satu               ssh-ed25519 \\.\\.\\.[A-Za-z0-9+/]{12} staf$"
	# git's allowed signers follow
	grep -q "^$WAKOR " .git/uc3/allowed_signers
	run -0 uc3 person remove "$WAKOR"
	equal "$output" "removed $WAKOR from the policy (commit $(git rev-parse --short=7 HEAD), signed)"
	equal "$(trailer Action)" person-remove
	! grep -q "^$WAKOR " .git/uc3/allowed_signers
	run -0 uc3 verify
	equal "${lines[-1]}" "4 commits checked, 0 findings"
	# the staf, now listed, can work, signed
	git config user.email "$STAF"
	git config user.signingkey "$K/staf"
	new_ticket >/dev/null
	run -0 uc3 log -n 1
	matches "$output" "new +$STAF +sig:good$"
}

@test "uc3 person add: the first person of an unsigned repository is the root of trust" {
	as_kabiro_global
	init_repo
	run -0 uc3 person add "$KABIRO" --name "Kepala Biro" --role kabiro
	matches "${lines[1]}" "this commit is the root of trust; pin it with uc3 verify --trust $(git rev-parse --short=12 HEAD)$"
	equal "$(yget uc3.yaml people.0.keys.0)" "$(cat "$K/kabiro.pub")"
	equal "$(git config gpg.ssh.allowedSignersFile)" "$T/r/.git/uc3/allowed_signers"
	run -0 uc3 verify --trust "$(git rev-parse --short=12 HEAD)"
}

@test "uc3 person: refusals, each one line, exit 2, nothing changed" {
	signed_start
	uc3 person add "$STAF" --name "Staf Satu" --role staf --key "$K/staf.pub" >/dev/null
	snapshot
	run -2 --separate-stderr uc3 person add "$WAKOR" --role bos --key "$K/wakor.pub"
	one_line_error "uc3 person" "unknown role 'bos': the chain is staf, wakor, koordinator, kabiro$"
	run -2 --separate-stderr uc3 person add "$STAF" --role wakor --key "$K/wakor.pub"
	one_line_error "uc3 person" "$STAF is already one of the people of the policy"
	run -2 --separate-stderr uc3 person add "$WAKOR" --role wakor --key "$K/wakor"
	one_line_error "uc3 person" "private key: give the public key"
	echo "bukan kunci" >"$T/junk.pub"
	run -2 --separate-stderr uc3 person add "$WAKOR" --role wakor --key "$T/junk.pub"
	one_line_error "uc3 person" "is not a public key"
	run -2 --separate-stderr uc3 person add "$WAKOR" --role wakor --key "ssh-ed25519 AAAAtidakvalid wakor"
	one_line_error "uc3 person" "not an ssh public key that ssh-keygen can read"
	run -2 --separate-stderr uc3 person add "$WAKOR" --role wakor
	one_line_error "uc3 person" "give $WAKOR's public key with --key"
	run -2 --separate-stderr uc3 person add "$WAKOR" --name $'Wakil\e]52;c;eA==\a' --role wakor --key "$K/wakor.pub"
	one_line_error "uc3 person" "--name"
	matches "$stderr" 'contains a control character \(U\+001B\)'
	run -2 --separate-stderr uc3 person add "bukan-email" --role wakor --key "$K/wakor.pub"
	one_line_error "uc3 person" "'bukan-email' is not an email address"
	run -2 --separate-stderr uc3 person remove "$KABIRO"
	one_line_error "uc3 person" "$KABIRO is the last person with the kabiro role"
	run -2 --separate-stderr uc3 person remove nobody@unej.ac.id
	one_line_error "uc3 person" "nobody@unej.ac.id is not one of the people of the policy"
	# a staf may not change the people
	git config user.email "$STAF"
	git config user.signingkey "$K/staf"
	run -2 --separate-stderr uc3 person add "$WAKOR" --role wakor --key "$K/wakor.pub"
	one_line_error "uc3 person" "only a holder of the kabiro role may change the people of the policy, and $STAF does not hold it"
	git config user.email other@unej.ac.id
	run -2 --separate-stderr uc3 person remove "$STAF"
	one_line_error "uc3 person" "and other@unej.ac.id is not one of them"
	repo_unchanged
	# usage
	run -2 --separate-stderr uc3 person
	matches "${stderr_lines[0]}" "^uc3 person: add, remove or list\\?"
	run -2 --separate-stderr uc3 person frob
	matches "${stderr_lines[0]}" "^uc3 person: unknown subcommand 'frob'"
	run -2 --separate-stderr uc3 person add "$WAKOR"
	matches "${stderr_lines[0]}" "^uc3 person: which role\\? give --role"
	run -2 --separate-stderr uc3 person remove "$WAKOR" --role wakor
	matches "${stderr_lines[0]}" "^uc3 person: uc3 person remove takes only an email"
	run -2 --separate-stderr uc3 person add --format json "$WAKOR" --role wakor
	matches "${stderr_lines[0]}" "^uc3 person: --format is for uc3 person list"
	run -0 uc3 person --help
	matches "${lines[0]}" "^usage: uc3 person add "
	repo_unchanged
}

@test "uc3 person add: the first person must hold the top role" {
	as_kabiro_global
	init_repo
	snapshot
	run -2 --separate-stderr uc3 person add "$STAF" --role staf --key "$K/staf.pub"
	one_line_error "uc3 person" "the first person must hold the kabiro role"
	repo_unchanged
}

@test "a person change by plain git from a staf is a finding of uc3 verify" {
	signed_start
	uc3 person add "$STAF" --name "Staf Satu" --role staf --key "$K/staf.pub" >/dev/null
	git config user.email "$STAF"
	git config user.signingkey "$K/staf"
	sed -i 's/roles: \[staf\]/roles: [kabiro]/' uc3.yaml
	git commit -q -am "policy: I am the kabiro now"
	run -1 uc3 verify
	matches "$output" "changes uc3.yaml, but is not signed by a holder of the kabiro role"
}

@test "another clone's allowed signers catch up with the policy at its next uc3 command" {
	signed_start
	git clone -q "$T/r" "$T/c"
	track_repo "$T/c"
	# the clone keeps its own file, as of the policy it was cloned with
	mkdir -p "$T/c/.git/uc3"
	cp .git/uc3/allowed_signers "$T/c/.git/uc3/"
	git -C "$T/c" config gpg.ssh.allowedSignersFile "$T/c/.git/uc3/allowed_signers"
	uc3 person add "$STAF" --name "Staf Satu" --role staf --key "$K/staf.pub" >/dev/null
	git -C "$T/c" pull -q --ff-only
	! grep -q "^$STAF " "$T/c/.git/uc3/allowed_signers"
	uc3 -C "$T/c" list >/dev/null
	grep -qx "$STAF namespaces=\"git\" $(cat "$K/staf.pub")" "$T/c/.git/uc3/allowed_signers"
	git -C "$T/c" verify-commit HEAD 2>/dev/null
}

# --- uc3 setup: a person joining, on a new machine ---

@test "uc3 setup: clone, identity, a new key, git signing; the printed line adds them" {
	signed_start
	# the staf's account: nothing configured, a home of their own
	local home="$T/staf-home"
	mkdir -p "$home"
	run -0 --separate-stderr env HOME="$home" GIT_CONFIG_GLOBAL="$home/.gitconfig" \
		uc3 setup --name "Staf Satu" --email "$STAF" --new-key "$T/r" "$T/desk"
	equal "$stderr" ""
	equal "${lines[0]}" "made the signing key $home/.ssh/id_ed25519"
	equal "${lines[1]}" "cloned the records into $T/desk"
	equal "${lines[2]}" "Staf Satu <$STAF> signs every commit with $home/.ssh/id_ed25519"
	local add="${lines[4]}"
	equal "$add" "    uc3 person add $STAF --name 'Staf Satu' --role staf --key '$(cat "$home/.ssh/id_ed25519.pub")'"
	equal "$(GIT_CONFIG_GLOBAL="$home/.gitconfig" git config --global user.email)" "$STAF"
	equal "$(GIT_CONFIG_GLOBAL="$home/.gitconfig" git config --global gpg.format)" ssh
	equal "$(GIT_CONFIG_GLOBAL="$home/.gitconfig" git config --global user.signingkey)" "$home/.ssh/id_ed25519"
	equal "$(GIT_CONFIG_GLOBAL="$home/.gitconfig" git config --global commit.gpgsign)" true
	[ -d "$T/desk/.git" ]
	# the head runs the line as printed
	eval "$add" >/dev/null
	equal "$(yget uc3.yaml people.1.keys.0)" "$(cat "$home/.ssh/id_ed25519.pub")"
	run -0 uc3 verify
}

@test "uc3 setup: an existing key is used; refusals, exit 2" {
	local home="$T/h"
	mkdir -p "$home/.ssh"
	cp "$K/staf" "$K/staf.pub" "$home/.ssh/"
	run -0 env HOME="$home" GIT_CONFIG_GLOBAL="$home/.gitconfig" \
		uc3 setup --name "Staf Satu" --email "$STAF" --key "$home/.ssh/staf" --role wakor
	equal "${lines[0]}" "Staf Satu <$STAF> signs every commit with $home/.ssh/staf"
	matches "${lines[2]}" "--role wakor --key 'ssh-ed25519 "
	# no identity, no terminal
	run -2 --separate-stderr env HOME="$T/h2" GIT_CONFIG_GLOBAL="$T/h2.gitconfig" uc3 setup
	one_line_error "uc3 setup" "who are you\\? give --name and --email"
	# no key, and neither --key nor --new-key nor a terminal to ask
	mkdir -p "$T/h3"
	run -2 --separate-stderr env HOME="$T/h3" GIT_CONFIG_GLOBAL="$T/h3.gitconfig" \
		uc3 setup --name X --email x@unej.ac.id
	one_line_error "uc3 setup" "you have no signing key: give --key FILE, or --new-key"
	[ ! -e "$T/h3/.ssh/id_ed25519" ]
	[ ! -e "$T/h3.gitconfig" ]
	run -2 --separate-stderr env HOME="$T/h3" GIT_CONFIG_GLOBAL="$T/h3.gitconfig" \
		uc3 setup --name X --email x@unej.ac.id --key "$T/nothing"
	one_line_error "uc3 setup" "no signing key at $T/nothing"
	run -2 --separate-stderr env HOME="$T/h3" GIT_CONFIG_GLOBAL="$T/h3.gitconfig" \
		uc3 setup --name X --email bukan-email --new-key
	one_line_error "uc3 setup" "'bukan-email' is not an email address"
	run -2 --separate-stderr uc3 setup --key a --new-key
	matches "${stderr_lines[0]}" "^uc3 setup: --key or --new-key, not both"
	run -0 uc3 setup --help
	matches "${lines[0]}" "^usage: uc3 setup "
}

@test "uc3 person add --service: cron's account registers and records notices, never a step" {
	signed_start
	run -2 --separate-stderr uc3 person add cron@unej.ac.id --service --role staf --key "$K/other.pub"
	matches "${stderr_lines[0]}" "^uc3 person: a service identity holds no role"
	uc3 person add "$STAF" --name "Staf Satu" --role staf --key "$K/staf.pub" >/dev/null
	run -0 uc3 person add cron@unej.ac.id --service --name "uc3 cron" --key "$K/other.pub"
	equal "$(git log -1 --format=%s)" "policy: add cron@unej.ac.id as a service identity"
	equal "$(yget uc3.yaml people.2.service)" true
	run -3 yget uc3.yaml people.2.roles
	run -0 uc3 person list
	matches "${lines[3]}" "^cron@unej.ac.id +\\(service\\) +uc3 cron "
	run -0 uc3 person list --format json
	equal "$(jvals "$output" 2.service 2.roles)" $'true\n[]'
	# the staf registers a ticket; so may cron, as the mail account of an MTA would
	sign_as "$STAF" "$K/staf"
	new_ticket >/dev/null
	sign_as cron@unej.ac.id "$K/other"
	equal "$(new_ticket)" UC3-2026-0002
	snapshot
	run -2 --separate-stderr uc3 escalate UC3-2026-0001
	one_line_error "uc3 escalate" "cron@unej.ac.id is a service identity \\(service: true in uc3.yaml\\): it registers tickets, attaches files and records follow-ups and notices, nothing else"
	run -2 --separate-stderr uc3 answer -m x UC3-2026-0001
	one_line_error "uc3 answer" "cron@unej.ac.id is a service identity"
	repo_unchanged
	# it never holds the ticket
	run -0 uc3 show UC3-2026-0001
	! grep -q cron <<<"$output"
	# its overdue run tells the staf, never itself, and records the notices
	fake_sendmail
	sed -i "s|^  sendmail: .*|  sendmail: $T/sendmail -t -i|" uc3.yaml
	sign_as "$KABIRO" "$K/kabiro"
	at_time 09:00 git commit -q -am "policy: sendmail"
	sign_as cron@unej.ac.id "$K/other"
	UC3_NOW=2026-11-27T10:00:00+07:00 run -1 --separate-stderr uc3 overdue --mail
	equal "$(mail_summary)" "$STAF: UC3-2026-0001 UC3-2026-0002"
	equal "$(git log -1 --format=%an)" "Petugas cron"
	equal "$(trailer Action)" notice
	git verify-commit HEAD 2>/dev/null
	run -0 uc3 verify
	equal "${lines[-1]}" "7 commits checked, 0 findings"
}
