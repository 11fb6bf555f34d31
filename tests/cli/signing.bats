#!/usr/bin/env bats
# Signed commits, as git's configuration says (DESIGN 7).

load helper

# A throwaway OpenPGP key for Staf Satu; sets FPR.
gpg_key() {
	throwaway_gpg_key 'Staf Satu <humas1@unej.ac.id>'
}

# Enable require_signed in the committed policy (a plain git commit).
require_signed() {
	sed -i 's/^require_signed: false$/require_signed: true/' uc3.yaml
	grep -q '^require_signed: true$' uc3.yaml
	git -c commit.gpgsign=false commit -q -am "policy: require signed commits"
}

@test "ssh signing: uc3 new makes a commit that git verify-commit accepts" {
	init_repo
	ssh_signing
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 git verify-commit HEAD
	run -0 git log --show-signature -1
	matches "$output" 'Good "git" signature for humas1@unej\.ac\.id with ED25519 key'
	equal "$(git log -1 --format=%G?)" "G"
	# the init commit, made before signing was set up, is not signed
	equal "$(git log -1 --format=%G? HEAD^)" "N"
	# signing changes nothing else
	equal "$(git show --format= --name-only HEAD)" "tickets/2026/11/UC3-2026-0001.yaml"
	equal "$(git log -1 --format='%(trailers:key=Action,valueonly)')" "new"
}

@test "ssh signing: several writes, each signed" {
	init_repo
	ssh_signing
	for i in 1 2 3; do new_ticket >/dev/null; done
	equal "$(git log -3 --format=%G? | tr -d '\n')" "GGG"
	for c in $(git rev-list -3 HEAD); do
		git verify-commit "$c" 2>/dev/null
	done
}

@test "ssh signing configured in GIT_CONFIG_GLOBAL is followed" {
	init_repo
	ssh_signing --global
	run -0 new_ticket
	run -0 git verify-commit HEAD
	equal "$(git log -1 --format=%G?)" "G"
}

@test "ssh signing on a bare repository" {
	init_bare
	ssh_signing "$BARE"
	UC3_DIR="$BARE" run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 git -C "$BARE" verify-commit HEAD
	equal "$(git -C "$BARE" log -1 --format=%G?)" "G"
}

@test "openpgp signing with a throwaway gpg key: git verify-commit accepts it" {
	init_repo
	gpg_key
	git config gpg.format openpgp
	git config user.signingkey "$FPR"
	git config commit.gpgsign true
	run -0 --separate-stderr new_ticket
	equal "$output" "UC3-2026-0001"
	equal "$stderr" ""
	run -0 git verify-commit HEAD
	run -0 git log --show-signature -1
	matches "$output" 'Good signature from "Staf Satu <humas1@unej\.ac\.id>"'
	equal "$(git log -1 --format=%G?)" "G"
	equal "$(git log -1 --format=%GF)" "$FPR"
}

@test "openpgp signing with no user.signingkey uses the committer's identity, as git does" {
	init_repo
	gpg_key
	git config commit.gpgsign true
	run -0 new_ticket
	run -0 git verify-commit HEAD
	equal "$(git log -1 --format=%GF)" "$FPR"
}

failing_signer() {
	cat >"$T/fail-gpg" <<'EOF'
#!/bin/sh
cat >/dev/null
echo "gpg: signing failed: No secret key" >&2
exit 1
EOF
	chmod +x "$T/fail-gpg"
}

signing_refused() {
	# $1: the ERE the error must match
	snapshot
	run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "$1"
	repo_unchanged
	[ ! -e tickets ]
}

@test "a failing gpg.program: exit 2, the error mentions signing, nothing written" {
	init_repo
	failing_signer
	git config commit.gpgsign true
	git config user.signingkey 0123456789ABCDEF
	git config gpg.program "$T/fail-gpg"
	signing_refused "sign.*No secret key"
	git config gpg.program /bin/false
	signing_refused "sign"
	git config gpg.program "$T/no-such-gpg"
	signing_refused "sign"
}

@test "a failing gpg.ssh.program: exit 2, nothing written" {
	init_repo
	ssh_signing
	git config gpg.ssh.program /bin/false
	signing_refused "sign"
}

@test "an ssh signing key that does not exist: exit 2, nothing written" {
	init_repo
	ssh_signing
	git config user.signingkey "$T/no-such-key"
	signing_refused "sign"
}

@test "a signer that says it signed but gives no signature is refused" {
	init_repo
	cat >"$T/silent-gpg" <<'EOF'
#!/bin/sh
cat >/dev/null
exit 0
EOF
	chmod +x "$T/silent-gpg"
	git config commit.gpgsign true
	git config user.signingkey 0123456789ABCDEF
	git config gpg.program "$T/silent-gpg"
	signing_refused "sign"
}

@test "a failing signer on a bare repository moves no branch" {
	init_bare
	failing_signer
	git -C "$BARE" config commit.gpgsign true
	git -C "$BARE" config user.signingkey 0123456789ABCDEF
	git -C "$BARE" config gpg.program "$T/fail-gpg"
	snapshot "$BARE"
	UC3_DIR="$BARE" run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "sign"
	repo_unchanged
}

@test "require_signed: true and no signing configured: exit 2, branch unchanged" {
	init_repo
	require_signed
	snapshot
	run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "sign"
	repo_unchanged
	[ ! -e tickets ]
	# commit.gpgsign explicitly false is no better
	git config commit.gpgsign false
	run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "sign"
	repo_unchanged
}

@test "require_signed: true with ssh signing configured: the write is signed" {
	init_repo
	require_signed
	ssh_signing
	run -0 new_ticket
	equal "$output" "UC3-2026-0001"
	run -0 git verify-commit HEAD
}

@test "require_signed on a bare repository without signing: exit 2" {
	init_repo src
	require_signed
	git clone -q --bare "$T/src" "$T/central.git"
	track_repo "$T/central.git"
	snapshot "$T/central.git"
	UC3_DIR="$T/central.git" run -2 --separate-stderr new_ticket
	equal "$output" ""
	one_line_error "uc3 new" "sign"
	repo_unchanged
}
