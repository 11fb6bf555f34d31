#!/usr/bin/env bats
# The gate of the central repository: a uc3 write made in a repository
# that a pre-receive hook guards runs the hook first, as a push would, and
# `uc3 verify --accept` closes a finding by a signed acknowledgement of the
# top role, which later audits report as reviewed and check in turn.
#
# The central is a bare records repository whose policy lists a staf and
# the kabiro (the top of the chain), each with an ssh key, guarded by
# `uc3 verify --pre-receive`. The hook reads its own clock from the
# test-only UC3_HOOK_NOW, set to the clients' UC3_NOW.

load helper
# The shared set-up, run first by this file's own.
eval "$(declare -f setup | sed '1s/^setup/helper_setup/')"

STAF=humas1@unej.ac.id
KABIRO=kabiro@unej.ac.id
C=central.git

as_staf() { sign_as "$STAF" "$T/keys/staf" "${1:-$T/$C}"; }
as_kabiro() { sign_as "$KABIRO" "$T/keys/kabiro" "${1:-$T/$C}"; }

quick_new() {
	uc3 -C "${1:-$T/$C}" new -s "${2:-Ruang kelas bocor}" -k keluhan -c langsung \
		--from "Siti Aminah <siti@example.com>" -m "Atap gedung C bocor."
}

# Made once per file, copied for each test: the keys and the central.
make_central() {
	at_time 08:00 init_repo seed
	throwaway_ssh_key staf
	throwaway_ssh_key kabiro
	throwaway_ssh_key stranger
	as_kabiro .
	printf '  - {email: %s, name: Staf, roles: [staf], keys: ["%s"]}\n  - {email: %s, name: Kabiro, roles: [kabiro], keys: ["%s"]}\n' \
		"$STAF" "$(cat "$T/keys/staf.pub")" "$KABIRO" "$(cat "$T/keys/kabiro.pub")" |
		at_time 08:30 set_people
	git clone -q --bare "$T/seed" "$T/$C"
	cat >"$T/$C/hooks/pre-receive" <<EOF
#!/bin/sh
exec "$UC3_BIN/uc3" verify --pre-receive
EOF
	chmod +x "$T/$C/hooks/pre-receive"
	cd "$T"
	rm -rf "$T/seed"
	UC3_REPOS=()
}

setup() {
	local cache="$BATS_FILE_TMPDIR/gate"
	helper_setup
	export UC3_HOOK_NOW="$UC3_NOW"
	if [ ! -d "$cache" ]; then
		make_central
		mkdir -p "$cache"
		cp -a "$T/keys" "$T/$C" "$cache/"
	else
		cp -a "$cache/keys" "$cache/$C" "$T/"
	fi
	track_repo "$T/$C"
	TIP0="$(git -C "$T/$C" rev-parse HEAD)"
}

# A ticket by the staf, signed with a key the policy does not give her,
# landed in the central while its hook was away. BAD: that commit.
bad_commit() {
	mv "$T/$C/hooks/pre-receive" "$T/hook.off"
	sign_as "$STAF" "$T/keys/stranger" "$T/$C"
	quick_new >/dev/null
	mv "$T/hook.off" "$T/$C/hooks/pre-receive"
	BAD="$(git -C "$T/$C" rev-parse HEAD)"
}

@test "a write on the central by a listed email with an unlisted key: the central's own hook refuses it, nothing recorded" {
	sign_as "$STAF" "$T/keys/stranger" "$T/$C"
	run -2 --separate-stderr quick_new
	equal "$output" ""
	one_line_error "uc3 new" "^uc3 new: this repository's pre-receive hook refused the commit \([0-9a-f]{7} UC3-2026-0001: .*\); nothing was recorded$"
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$TIP0"
	run -0 uc3 -C "$T/$C" verify
	# the same person with her own key gets in
	as_staf
	run -0 quick_new
	equal "$output" UC3-2026-0001
	run -0 uc3 -C "$T/$C" verify
	matches "${lines[-1]}" ', 0 findings$'
}

@test "the hook is run as git runs it for a push: in the git directory, GIT_DIR=., OLD NEW REF on its input; through core.hooksPath too" {
	as_staf
	mkdir "$T/$C/guard"
	printf '#!/bin/sh\n{ pwd; echo "GIT_DIR=$GIT_DIR"; cat; } >"%s/hook.log"\necho "ditolak: uji"\nexit 1\n' "$T" >"$T/$C/guard/pre-receive"
	chmod +x "$T/$C/guard/pre-receive"
	git -C "$T/$C" config core.hooksPath guard
	run -2 --separate-stderr quick_new
	one_line_error "uc3 new" "refused the commit \(ditolak: uji\); nothing was recorded$"
	equal "$(sed -n 1p "$T/hook.log")" "$T/$C"
	equal "$(sed -n 2p "$T/hook.log")" "GIT_DIR=."
	matches "$(sed -n 3p "$T/hook.log")" "^$TIP0 [0-9a-f]{40} refs/heads/[a-z]+$"
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$TIP0"
	# the new commit was written before the hook ran, and stays unreferenced
	git -C "$T/$C" cat-file -e "$(sed -n 3p "$T/hook.log" | cut -d' ' -f2)"
	# a hook that is not executable is no hook, as for git
	chmod -x "$T/$C/guard/pre-receive"
	run -0 quick_new
	equal "$output" UC3-2026-0001
}

@test "without a hook a bad write lands; verify --accept by the kabiro closes it: reviewed, who, when, why, exit 0" {
	bad_commit
	run -1 uc3 -C "$T/$C" verify
	matches "$output" "^${BAD:0:7} UC3-2026-0001: "
	as_kabiro
	run -0 --separate-stderr uc3 -C "$T/$C" verify --accept "${BAD:0:7}" -m "Kunci lama staf, diganti hari ini.
Dicek langsung dengan yang bersangkutan."
	matches "$output" "^accepted 1 finding of ${BAD:0:7} in [0-9a-f]{7} \(signed\)$"
	local acc
	acc="$(git -C "$T/$C" rev-parse HEAD)"
	equal "$(git -C "$T/$C" rev-parse HEAD^)" "$BAD"
	equal "$(git -C "$T/$C" log -1 --format=%s)" "verify: accept ${BAD:0:7}: Kunci lama staf, diganti hari ini."
	equal "$(trailer Action HEAD "$T/$C")" accept
	equal "$(trailer Accepted HEAD "$T/$C")" "$BAD"
	equal "$(git -C "$T/$C" diff --name-only HEAD^ HEAD)" ""
	# audited, twice (the second with the cache of clean commits), and a range
	local rr
	for rr in "" "" "$TIP0..$BAD"; do
		run -0 uc3 -C "$T/$C" verify $rr
		matches "$output" "^reviewed: ${BAD:0:7} UC3-2026-0001: .*; accepted by $KABIRO on 2026-11-27 09:00: Kunci lama staf, diganti hari ini\.$"
		matches "${lines[-1]}" ', 0 findings, 1 reviewed$'
		run ! grep -q "^${BAD:0:7} " <<<"$output"
	done
	run -0 uc3 -C "$T/$C" verify --format json
	run -0 jvals "$output" findings reviewed.0.commit reviewed.0.accepted_in \
		reviewed.0.accepted_by reviewed.0.accepted_at reviewed.0.reason
	equal "$output" "[]
$BAD
$acc
$KABIRO
2026-11-27T09:00:00+07:00
Kunci lama staf, diganti hari ini.\\nDicek langsung dengan yang bersangkutan."
}

@test "verify --accept refused, exit 2, nothing recorded: not the top role, unsigned, no or empty or long reason, unknown or clean commit, accepted already" {
	bad_commit
	local tip long
	as_staf
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m "Saya sendiri."
	one_line_error "uc3 verify" "$STAF does not hold the kabiro role"
	as_kabiro
	git -C "$T/$C" config commit.gpgsign false
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m "Tanpa tanda tangan."
	one_line_error "uc3 verify" "must be signed, and git is not set to sign"
	as_kabiro
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD"
	matches "${stderr_lines[0]}" "^uc3 verify: --accept needs -m REASON"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m "
  "
	one_line_error "uc3 verify" "the reason \(-m\) is empty"
	long="$(printf 'a%.0s' $(seq 1001))"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m "$long"
	one_line_error "uc3 verify" "1001 bytes, over the limit of 1000"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m $'ada \e[31m warna'
	one_line_error "uc3 verify" "control character"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept deadbeef -m "Tidak ada."
	one_line_error "uc3 verify" "deadbeef names no commit here"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$TIP0" -m "Bersih."
	one_line_error "uc3 verify" "${TIP0:0:7} has no findings, so there is nothing to accept"
	run -2 --separate-stderr uc3 -C "$T/$C" verify -m "Tanpa --accept."
	matches "${stderr_lines[0]}" "^uc3 verify: -m gives the reason of --accept"
	# --post-receive with --accept records nothing, so it is refused, not ignored
	run -2 --separate-stderr uc3 -C "$T/$C" verify --post-receive --accept "$BAD" -m "Salah."
	matches "${stderr_lines[0]}" "^uc3 verify: --post-receive takes no other option"
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$BAD"
	run -0 uc3 -C "$T/$C" verify --accept "$BAD" -m "Sekali."
	tip="$(git -C "$T/$C" rev-parse HEAD)"
	run -2 --separate-stderr uc3 -C "$T/$C" verify --accept "$BAD" -m "Dua kali."
	one_line_error "uc3 verify" "the findings of ${BAD:0:7} were accepted already, in ${tip:0:7}"
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$tip"
}

@test "a forged acceptance made with git plumbing, unsigned or by the staf, is a finding itself and reviews nothing" {
	bad_commit
	mv "$T/$C/hooks/pre-receive" "$T/hook.off"
	local msg forged
	msg="verify: accept ${BAD:0:7}: Palsu.

Palsu.

Action: accept
Accepted: $BAD"
	# unsigned, in the kabiro's name
	forged="$(GIT_AUTHOR_NAME=K GIT_AUTHOR_EMAIL="$KABIRO" GIT_COMMITTER_NAME=K GIT_COMMITTER_EMAIL="$KABIRO" \
		git -C "$T/$C" commit-tree "$BAD^{tree}" -p "$BAD" -m "$msg")"
	git -C "$T/$C" update-ref HEAD "$forged"
	run -1 uc3 -C "$T/$C" verify
	matches "$output" "^${forged:0:7} -: accepts findings, but is not signed"
	matches "$output" "^${BAD:0:7} UC3-2026-0001: "
	run ! grep -q '^reviewed:' <<<"$output"
	# signed by the staf, with her own good key
	as_staf
	git -C "$T/$C" update-ref HEAD "$BAD"
	forged="$(git -C "$T/$C" commit-tree -S "$BAD^{tree}" -p "$BAD" -m "$msg")"
	git -C "$T/$C" update-ref HEAD "$forged"
	run -1 uc3 -C "$T/$C" verify
	matches "$output" "^${forged:0:7} -: accepts findings, but $STAF does not hold the kabiro role"
	matches "$output" "^${BAD:0:7} UC3-2026-0001: "
	matches "${lines[-1]}" ', 2 findings$'
	mv "$T/hook.off" "$T/$C/hooks/pre-receive"
}

@test "verify --accept from a clone with uc3.remote passes the central's hook; a bad commit pushed with its own acceptance does not" {
	bad_commit
	git clone -q "$T/$C" "$T/desk"
	track_repo "$T/desk"
	git -C "$T/desk" config uc3.remote origin
	as_kabiro "$T/desk"
	run -0 uc3 -C "$T/desk" verify --accept "$BAD" -m "Diterima dari meja."
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$(git -C "$T/desk" rev-parse HEAD)"
	equal "$(trailer Accepted HEAD "$T/$C")" "$BAD"
	run -0 uc3 -C "$T/$C" verify
	matches "${lines[-1]}" ', 0 findings, 1 reviewed$'
	# a second bad commit and its acceptance, made in the clone, pushed together
	local tip
	tip="$(git -C "$T/$C" rev-parse HEAD)"
	git -C "$T/desk" config --unset uc3.remote
	sign_as "$STAF" "$T/keys/stranger" "$T/desk"
	quick_new "$T/desk" "Kedua" >/dev/null
	as_kabiro "$T/desk"
	run -0 uc3 -C "$T/desk" verify --accept HEAD -m "Ikut sekalian."
	run git -C "$T/desk" push origin HEAD
	[ "$status" -ne 0 ]
	matches "$output" "remote: [0-9a-f]{7} UC3-2026-0002: "
	equal "$(git -C "$T/$C" rev-parse HEAD)" "$tip"
	git -C "$T/desk" reset -q --hard "$tip"
}
