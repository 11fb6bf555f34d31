#!/usr/bin/env bats
# uc3 init: a records repository in one first commit (DESIGN 2b, 3, 5).

load helper

seed_files() {
	local share="$UC3_BUILD_DIR/share/uc3"
	{
		echo README.md
		(cd "$share" && ls templates/* | sort)
		echo uc3.yaml
	} | sort
}

@test "uc3 init DIR: uc3.yaml, README.md and templates/ in exactly one commit" {
	run -0 --separate-stderr uc3 init r
	equal "$output" "Initialized records repository in $T/r/"
	equal "$stderr" ""
	track_repo r
	cd r
	equal "$(commit_count)" 1
	equal "$(git ls-tree -r --name-only HEAD)" "$(seed_files)"
	# the files are the installed defaults, byte for byte
	local share="$UC3_BUILD_DIR/share/uc3"
	cmp uc3.yaml "$share/records/uc3.yaml"
	cmp README.md "$share/records/README.md"
	for f in "$share"/templates/*; do
		cmp "templates/${f##*/}" "$f"
	done
	# the work tree and the index agree with the commit
	equal "$(git status --porcelain --untracked-files=all)" ""
	git diff --cached --quiet HEAD
}

@test "the README of a new repository names only uc3 commands that exist" {
	init_repo
	local cmds c
	cmds="$(grep -Eo '`uc3 [a-z][a-z-]*' README.md | sed 's/^`uc3 //' | sort -u)"
	[ -n "$cmds" ]
	for c in $cmds; do
		if [ ! -x "$UC3_BIN/uc3-$c" ]; then
			echo "README.md names uc3 $c, which is not a uc3 command" >&2
			return 1
		fi
	done
}

@test "uc3 init: the commit's message, trailer and author" {
	init_repo
	equal "$(git log -1 --format='%(trailers:key=Action,valueonly)')" "init"
	matches "$(git log -1 --format=%s)" '^Start the records of University Customer Care Center \(UC3\), Universitas Jember$'
	equal "$(git log -1 --format='%an <%ae>')" "Staf Satu <humas1@unej.ac.id>"
	equal "$(git log -1 --format='%cn <%ce>')" "Staf Satu <humas1@unej.ac.id>"
	# "now" is UC3_NOW
	equal "$(git log -1 --format=%at)" "$(date -d "$NOW_FRIDAY" +%s)"
	equal "$(git log -1 --format=%ct)" "$(date -d "$NOW_FRIDAY" +%s)"
	# the branch HEAD names exists and HEAD is not detached
	git symbolic-ref -q HEAD >/dev/null
	equal "$(git cat-file -p HEAD | grep -c '^parent ')" 0
}

@test "uc3 init with no directory initialises the current one" {
	mkdir r
	cd r
	run -0 --separate-stderr uc3 init
	equal "$output" "Initialized records repository in $T/r/"
	track_repo .
	equal "$(commit_count)" 1
	[ -f uc3.yaml ]
	[ -f README.md ]
	[ -d templates ]
}

@test "uc3 -C DIR init and uc3 init -C BASE SUB" {
	mkdir a base
	run -0 uc3 -C a init
	equal "$output" "Initialized records repository in $T/a/"
	track_repo a
	equal "$(commit_count a)" 1
	run -0 uc3 init -C base sub
	equal "$output" "Initialized records repository in $T/base/sub/"
	track_repo base/sub
	equal "$(commit_count base/sub)" 1
	[ ! -e base/.git ]
}

@test "uc3 init in a git repository with no commits yet" {
	git init -q r
	run -0 uc3 init r
	track_repo r
	equal "$(commit_count r)" 1
	[ -f r/uc3.yaml ]
}

@test "uc3 init --bare: a bare repository with the same first commit" {
	run -0 --separate-stderr uc3 init --bare b.git
	equal "$output" "Initialized bare records repository in $T/b.git/"
	equal "$stderr" ""
	track_repo b.git
	equal "$(git -C b.git rev-parse --is-bare-repository)" true
	equal "$(commit_count b.git)" 1
	equal "$(git -C b.git ls-tree -r --name-only HEAD)" "$(seed_files)"
	equal "$(git -C b.git log -1 --format='%(trailers:key=Action,valueonly)')" "init"
	# no work tree was written
	[ ! -e b.git/uc3.yaml ]
	[ ! -e b.git/templates ]
	# and the tools read it
	run -0 uc3 -C b.git list
	equal "$output" ""
}

@test "a second uc3 init in the same repository fails and changes nothing" {
	init_repo
	snapshot
	run -2 --separate-stderr uc3 init
	equal "$output" ""
	one_line_error "uc3 init" "already a records repository"
	repo_unchanged
	cd "$T"
	run -2 --separate-stderr uc3 init r
	one_line_error "uc3 init" "already a records repository"
	run -2 --separate-stderr uc3 init --bare r
	one_line_error "uc3 init" "already a records repository"
	cd r
	repo_unchanged
}

@test "a second uc3 init --bare on a bare records repository fails and changes nothing" {
	init_bare
	snapshot "$BARE"
	run -2 --separate-stderr uc3 init --bare "$BARE"
	one_line_error "uc3 init" "already a records repository"
	run -2 --separate-stderr uc3 init "$BARE"
	one_line_error "uc3 init" "already a records repository"
	repo_unchanged
}

@test "uc3 init with too many arguments: exit 2" {
	run -2 --separate-stderr uc3 init a b
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3 init: too many arguments'
	[ ! -e a ]
	[ ! -e b ]
}

@test "uc3 init with no identity fails with one line and leaves nothing behind" {
	rm -f "$GIT_CONFIG_GLOBAL"
	run -2 --separate-stderr uc3 init r
	equal "$output" ""
	one_line_error "uc3 init" "user\.email"
	# "An error changes nothing" (DESIGN 8): no half-made repository
	[ ! -e r/.git ]
}

@test "not a records repository: uc3 list in an empty directory" {
	mkdir empty
	cd empty
	run -2 --separate-stderr uc3 list
	equal "$output" ""
	one_line_error "uc3 list" "not a records repository"
	run -2 --separate-stderr uc3 new -s x -k keluhan -c email --from siti@example.com -m x
	equal "$output" ""
	one_line_error "uc3 new" "not a records repository"
	run -2 --separate-stderr uc3 show UC3-2026-0001
	one_line_error "uc3 show" "not a records repository"
	# nothing was created
	equal "$(ls -A)" ""
}

@test "not a records repository: uc3 list in a plain git repository" {
	git init -q plain
	cd plain
	git commit -q --allow-empty -m "a plain repository"
	snapshot
	run -2 --separate-stderr uc3 list
	equal "$output" ""
	one_line_error "uc3 list" "not a records repository"
	run -2 --separate-stderr uc3 new -s x -k keluhan -c email --from siti@example.com -m x
	one_line_error "uc3 new" "not a records repository"
	repo_unchanged
}

@test "not a records repository: -C and UC3_DIR naming a missing directory" {
	run -2 --separate-stderr uc3 -C nowhere list
	one_line_error "uc3 list" "not a records repository"
	UC3_DIR="$T/nowhere" run -2 --separate-stderr uc3 list
	one_line_error "uc3 list" "not a records repository"
}

@test "the repository is found from a subdirectory, and through UC3_DIR" {
	init_repo
	local id
	id="$(new_ticket)"
	cd templates
	run -0 uc3 list
	matches "${lines[1]}" "^$id "
	cd "$T"
	UC3_DIR="$T/r" run -0 uc3 list
	matches "${lines[1]}" "^$id "
	# -C wins over UC3_DIR
	mkdir empty
	UC3_DIR="$T/empty" run -0 uc3 -C r list
	matches "${lines[1]}" "^$id "
}
