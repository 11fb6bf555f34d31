#!/usr/bin/env bats
# uc3, the dispatcher, and the conventions every tool shares (DESIGN 2, 2b, 8).

load helper

TOOLS=(init new show list)

@test "the tests run the tools of this build" {
	[ -x "$UC3_BIN/uc3" ]
	for t in "${TOOLS[@]}"; do
		[ -x "$UC3_BIN/uc3-$t" ]
	done
	equal "$(command -v uc3)" "$UC3_BIN/uc3"
}

@test "uc3 --help lists the commands on stdout, exit 0" {
	run -0 --separate-stderr uc3 --help
	equal "$stderr" ""
	matches "${lines[0]}" '^usage: uc3 \[-C dir\] command'
	for t in "${TOOLS[@]}"; do
		matches "$output" "^   $t +[a-z]"
	done
	# what each command does, not only its name
	matches "$output" '^   new +register a question, complaint or suggestion$'
}

@test "uc3 help is uc3 --help" {
	run -0 --separate-stderr uc3 help
	local help="$output"
	equal "$stderr" ""
	run -0 uc3 --help
	equal "$output" "$help"
	run -0 uc3 -h
	equal "$output" "$help"
}

@test "uc3 --version prints the version of the build" {
	local v
	v="$(sed -n 's/^VERSION *:= *//p' "$UC3_ROOT/Makefile")"
	run -0 --separate-stderr uc3 --version
	equal "$output" "uc3 $v"
	equal "$stderr" ""
}

@test "uc3 with no command: usage on stderr, exit 2" {
	run -2 --separate-stderr uc3
	equal "$output" ""
	matches "$stderr" '^usage: uc3 '
}

@test "an unknown command: exit 2 and one line on stderr" {
	run -2 --separate-stderr uc3 frobnicate
	equal "$output" ""
	one_line_error "uc3" "'frobnicate' is not a uc3 command"
}

@test "a command name that is a path is not run" {
	run -2 --separate-stderr uc3 ../../bin/sh
	equal "$output" ""
	one_line_error "uc3" "is not a uc3 command"
}

@test "an unknown option of uc3: the error and usage on stderr, exit 2" {
	run -2 --separate-stderr uc3 --frobnicate list
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3: unknown option --frobnicate$'
	matches "$stderr" 'usage: uc3 '
}

@test "uc3 -C DIR list passes the directory to the command" {
	init_repo
	local id
	id="$(new_ticket)"
	cd "$T"
	run -0 --separate-stderr uc3 -C r list
	equal "$stderr" ""
	matches "${lines[1]}" "^$id "
	# glued, and after the command name
	run -0 uc3 -Cr list
	matches "${lines[1]}" "^$id "
	run -0 uc3 list -C r
	matches "${lines[1]}" "^$id "
	run -0 uc3 -C "$T/r" show "$id"
	matches "${lines[0]}" "^$id  "
}

@test "uc3 -C with no directory: exit 2" {
	run -2 --separate-stderr uc3 -C
	equal "$output" ""
	matches "${stderr_lines[0]}" '^uc3: option -C needs a directory$'
}

@test "uc3 help new shows new's usage" {
	run -0 --separate-stderr uc3 help new
	equal "$stderr" ""
	matches "${lines[0]}" '^usage: uc3 new '
	local via_help="$output"
	run -0 uc3-new --help
	equal "$output" "$via_help"
}

@test "uc3 help of an unknown command: exit 2, one line" {
	run -2 --separate-stderr uc3 help frobnicate
	equal "$output" ""
	one_line_error "uc3" "'frobnicate' is not a uc3 command"
}

@test "every tool: -h and --help print its usage on stdout, exit 0" {
	for t in "${TOOLS[@]}"; do
		for h in -h --help; do
			run -0 --separate-stderr "uc3-$t" "$h"
			equal "$stderr" ""
			matches "${lines[0]}" "^usage: uc3 $t "
			# the same through the dispatcher
			local direct="$output"
			run -0 --separate-stderr uc3 "$t" "$h"
			equal "$output" "$direct"
		done
	done
}

@test "every tool: an unknown option gives usage on stderr, exit 2, and nothing on stdout" {
	for t in "${TOOLS[@]}"; do
		run -2 --separate-stderr "uc3-$t" --frobnicate
		equal "$output" ""
		matches "$stderr" "usage: uc3 $t "
		run -2 --separate-stderr uc3 "$t" --frobnicate
		equal "$output" ""
		matches "$stderr" "usage: uc3 $t "
		run -2 --separate-stderr "uc3-$t" -Z
		equal "$output" ""
		matches "$stderr" "usage: uc3 $t "
	done
}

@test "every tool: --version prints the version (DESIGN 8)" {
	local v
	v="$(sed -n 's/^VERSION *:= *//p' "$UC3_ROOT/Makefile")"
	for t in "${TOOLS[@]}"; do
		run --separate-stderr "uc3-$t" --version
		if [ "$status" -ne 0 ]; then
			echo "uc3-$t --version: exit $status: $stderr" >&2
			return 1
		fi
		matches "$output" "$v"
	done
}

@test "an office's own uc3-foo on PATH is run with its arguments and -C" {
	mkdir -p "$T/bin"
	cat >"$T/bin/uc3-foo" <<'EOF'
#!/bin/sh
printf '[%s]' "$@"
echo
EOF
	chmod +x "$T/bin/uc3-foo"
	PATH="$T/bin:$PATH"
	run -0 --separate-stderr uc3 foo a 'b c'
	equal "$output" "[a][b c]"
	run -0 uc3 -C somewhere foo x
	equal "$output" "[-C][somewhere][x]"
	run -0 uc3 help
	matches "$output" '^   foo( |$)'
}

@test "a uc3-foo that is not executable is not a command" {
	mkdir -p "$T/bin"
	printf '#!/bin/sh\necho ran\n' >"$T/bin/uc3-foo"
	PATH="$T/bin:$PATH"
	run -2 --separate-stderr uc3 foo
	equal "$output" ""
	one_line_error "uc3" "'foo' is not a uc3 command"
}

@test "a uc3-* whose name uc3 would not run is not listed by uc3 help nor uc3 --list-cmds" {
	mkdir -p "$T/bin"
	local n
	for n in "uc3-two words" "uc3-Caps" "uc3-$(printf 'x\033[31m')" uc3-fine; do
		printf '#!/bin/sh\necho ran\n' >"$T/bin/$n"
		chmod +x "$T/bin/$n"
	done
	PATH="$T/bin:$PATH"
	run -0 uc3 --list-cmds
	[[ "$output" == *fine* ]]
	[[ "$output" != *"two words"* && "$output" != *Caps* && "$output" != *$'\033'* ]]
	run -0 uc3 help
	[[ "$output" == *fine* ]]
	[[ "$output" != *"two words"* && "$output" != *Caps* && "$output" != *$'\033'* ]]
	run -2 uc3 Caps
}
