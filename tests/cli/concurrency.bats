#!/usr/bin/env bats
# Concurrent writers (DESIGN 3): compare-and-swap of the branch, unique ids,
# one commit per ticket, nothing half-recorded.

load helper

WRITERS=4
EACH=50

# $1: where (-C argument); writes $WRITERS x $EACH tickets at once and
# leaves the printed ids in $T/ids.* and the exit statuses in $T/rc.*.
writers() {
	local dir="$1" w
	for w in $(seq 1 $WRITERS); do
		(
			rc=0
			for i in $(seq 1 $EACH); do
				timeout 60 uc3 new -C "$dir" -s "Penulis $w nomor $i" -k keluhan -c web \
					--from "Penulis $w <w$w@example.com>" -m "Isi $w/$i" \
					>>"$T/ids.$w" 2>>"$T/err.$w" || rc=$?
			done
			echo $rc >"$T/rc.$w"
		) &
	done
	wait
}

check_writers() {
	local dir="$1" total=$((WRITERS * EACH)) w
	for w in $(seq 1 $WRITERS); do
		if [ "$(cat "$T/rc.$w")" != 0 ] || [ -s "$T/err.$w" ]; then
			echo "writer $w failed:" >&2
			cat "$T/err.$w" >&2
			return 1
		fi
	done
	# every command printed one id, and no id twice
	equal "$(cat "$T"/ids.* | wc -l)" "$total"
	equal "$(cat "$T"/ids.* | sort -u | wc -l)" "$total"
	# the ids are 0001..0200, with no gap
	equal "$(cat "$T"/ids.* | sort)" "$(seq -f 'UC3-2026-%04g' 1 $total)"
	# every ticket is in the tree, once
	equal "$(git -C "$dir" ls-tree -r HEAD | grep -c tickets/)" "$total"
	equal "$(git -C "$dir" ls-tree -r --name-only HEAD tickets | sed 's|.*/||; s|\.yaml$||' | sort)" \
		"$(cat "$T"/ids.* | sort)"
	# one commit per ticket after init, each touching its one file, no merges
	equal "$(commit_count "$dir")" $((total + 1))
	equal "$(git -C "$dir" rev-list --merges --count HEAD)" 0
	equal "$(git -C "$dir" log --format= --name-only HEAD | grep -c '^tickets/')" "$total"
	equal "$(git -C "$dir" log --format='%(trailers:key=Action,valueonly)' | grep -c '^new$')" "$total"
	# the id printed is the id committed: each commit's subject names its file
	git -C "$dir" log --format='%H %s' "HEAD~$total..HEAD" |
		while read -r c id rest; do
			id="${id%:}"
			equal "$(git -C "$dir" show --format= --name-only "$c")" "tickets/2026/11/$id.yaml"
		done
	# each ticket's own content names its id
	run -0 uc3 -C "$dir" list --format json
	python3 - "$output" "$total" <<'PY'
import json, sys
a = json.loads(sys.argv[1])
assert len(a) == int(sys.argv[2]), len(a)
ids = [t["id"] for t in a]
assert len(set(ids)) == len(ids)
for t in a:
    w, i = t["subject"].split()[1], t["subject"].split()[3]
    assert t["body"] == "Isi %s/%s\n" % (w, i), t
PY
	git -C "$dir" fsck --strict --no-dangling
}

@test "4 writers x 50 uc3 new at once in a repository with a work tree" {
	init_repo
	cd "$T"
	writers "$T/r"
	check_writers "$T/r"
	# the work tree and the index hold every ticket, as committed
	equal "$(git -C "$T/r" status --porcelain --untracked-files=all)" ""
	equal "$(find "$T/r/tickets" -type f | wc -l)" $((WRITERS * EACH))
	git -C "$T/r" diff --quiet HEAD
	git -C "$T/r" diff --cached --quiet HEAD
	# no temporary files or locks left behind
	equal "$(find "$T/r" -name '*.lock' -o -name '*.uc3-*' | grep -v '/\.git/uc3/write\.lock$' || true)" ""
}

@test "4 writers x 50 uc3 new at once in a bare repository" {
	init_bare
	cd "$T"
	writers "$BARE"
	check_writers "$BARE"
	equal "$(find "$BARE" -name '*.lock' || true)" ""
}

@test "writers through UC3_DIR and -C on the same bare repository" {
	init_bare
	cd "$T"
	(
		for i in $(seq 1 25); do
			UC3_DIR="$BARE" uc3 new -s "env $i" -k saran -c web --from a@example.com -m x >>"$T/ids.a" 2>>"$T/err.a"
		done
	) &
	(
		for i in $(seq 1 25); do
			uc3 -C "$BARE" new -s "opt $i" -k saran -c web --from a@example.com -m x >>"$T/ids.b" 2>>"$T/err.b"
		done
	) &
	wait
	equal "$(cat "$T/err.a" "$T/err.b")" ""
	equal "$(cat "$T"/ids.* | sort -u | wc -l)" 50
	equal "$(commit_count "$BARE")" 51
}

@test "two people writing in the editor at once each keep their own text" {
	init_repo
	# A writes its text, then waits until B has finished before closing.
	cat >"$T/editor-a" <<EOF
#!/bin/sh
printf 'Teks dari A.\n' >"\$1"
touch "$T/a-ready"
n=0
while [ ! -e "$T/b-done" ] && [ \$n -lt 400 ]; do sleep 0.05; n=\$((n + 1)); done
EOF
	cat >"$T/editor-b" <<'EOF'
#!/bin/sh
printf 'Teks dari B.\n' >"$1"
EOF
	chmod +x "$T/editor-a" "$T/editor-b"
	EDITOR="$T/editor-a" with_tty uc3 new -s "Dari A" -k keluhan -c langsung --from A >"$T/id-a" 2>"$T/err-a" &
	local pid=$! n=0
	while [ ! -e "$T/a-ready" ] && [ $n -lt 200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	[ -e "$T/a-ready" ]
	EDITOR="$T/editor-b" run --separate-stderr with_tty uc3 new -s "Dari B" -k keluhan -c langsung --from B
	touch "$T/b-done"
	[ "$status" -eq 0 ]
	local id_b="$output"
	wait $pid || {
		cat "$T/err-a" >&2
		return 1
	}
	local id_a
	id_a="$(cat "$T/id-a")"
	run -0 uc3 show --format json "$id_a"
	python3 -c 'import json,sys; t=json.load(sys.stdin); assert (t["subject"], t["body"])==("Dari A","Teks dari A.\n"), t' <<<"$output"
	run -0 uc3 show --format json "$id_b"
	python3 -c 'import json,sys; t=json.load(sys.stdin); assert (t["subject"], t["body"])==("Dari B","Teks dari B.\n"), t' <<<"$output"
}
