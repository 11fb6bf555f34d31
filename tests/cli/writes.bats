#!/usr/bin/env bats
# The write path at its edges: ids at the top of the number range, and a
# clock outside the years uc3 can write.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml

# --- Helpers ------------------------------------------------------------

# Commit by hand, with git, a copy of ticket file $1 under the id $2 (same
# month folder).
hand_ticket() {
	local dst
	dst="$(dirname "$1")/$2.yaml"
	sed "s/^id: .*/id: $2/" "$1" >"$dst"
	git add "$dst"
	git commit -q -m "$2: entered by hand"
}

# --- 9: ids at the top of the range ---------------------------------------

@test "new: ids next to the top of the number range are each given once, then the year is refused" {
	init_repo
	new_ticket >/dev/null
	hand_ticket "$P" UC3-2026-18446744073709551609
	local first
	first="$(git show HEAD:tickets/2026/11/UC3-2026-18446744073709551609.yaml)"
	run -0 new_ticket -s satu
	equal "$output" UC3-2026-18446744073709551610
	run -0 new_ticket -s dua
	equal "$output" UC3-2026-18446744073709551611
	# three tickets at the top, each its own, the one entered by hand as it was
	equal "$(git ls-tree -r --name-only HEAD tickets | grep -c 184467440737095516)" 3
	equal "$(git show HEAD:tickets/2026/11/UC3-2026-18446744073709551609.yaml)" "$first"
	equal "$(yget tickets/2026/11/UC3-2026-18446744073709551610.yaml subject)" satu
	equal "$(yget tickets/2026/11/UC3-2026-18446744073709551611.yaml subject)" dua
	run -0 uc3 show UC3-2026-18446744073709551611
	# the highest number an id can carry: the next is refused, and nothing is written
	hand_ticket "$P" UC3-2026-18446744073709551615
	snapshot
	run -2 --separate-stderr new_ticket -s tiga
	equal "$output" ""
	one_line_error "uc3 new" \
		"^uc3 new: the ticket numbers of 2026 have run out: UC3-2026-18446744073709551615 is the highest an id can carry; nothing was written$"
	repo_unchanged
	# another year has numbers left
	run -0 new_ticket --received 2025-06-02T09:00:00+07:00
	equal "$output" UC3-2025-0001
}

@test "new: never replaces a ticket on the branch, whatever the cache of numbers says" {
	init_repo
	new_ticket >/dev/null
	local before
	before="$(git show "HEAD:$P")"
	# a cache that says the year has no ticket yet
	echo "2026 $(git rev-parse HEAD:tickets/2026) 0" >.git/uc3/ids
	snapshot
	run -2 --separate-stderr new_ticket -s "Bukan pengganti"
	equal "$output" ""
	one_line_error "uc3 new" \
		"^uc3 new: $P is already on the branch, and a new file never replaces one; nothing was written$"
	repo_unchanged
	equal "$(git show "HEAD:$P")" "$before"
	# the numbers are read from the tree again: the next run goes on
	run -0 new_ticket -s "Bukan pengganti"
	equal "$output" UC3-2026-0002
	equal "$(git show "HEAD:$P")" "$before"
}

# --- 10: a clock outside the years uc3 writes -------------------------------

@test "UC3_NOW before 1970 is refused by every tool, in one line naming it" {
	init_repo
	new_ticket >/dev/null
	snapshot
	local t
	# (no ERE characters in these but the "+", which the patterns escape)
	for t in 1969-06-02T09:00:00+07:00 1969-12-31T23:59:59Z; do
		UC3_NOW=$t run -2 --separate-stderr new_ticket
		one_line_error "uc3 new" "^uc3 new: UC3_NOW '${t/+/\\+}' is before 1970; uc3 works with times from 1970 to 9999$"
		UC3_NOW=$t run -2 --separate-stderr uc3 escalate "$ID"
		one_line_error "uc3 escalate" "^uc3 escalate: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 answer -m Jawaban "$ID"
		one_line_error "uc3 answer" "^uc3 answer: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 show "$ID"
		one_line_error "uc3 show" "^uc3 show: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 list
		one_line_error "uc3 list" "^uc3 list: UC3_NOW '${t/+/\\+}' is before 1970"
		UC3_NOW=$t run -2 --separate-stderr uc3 overdue
		one_line_error "uc3 overdue" "^uc3 overdue: UC3_NOW '${t/+/\\+}' is before 1970"
	done
	repo_unchanged
	# and past the years RFC 3339 can write
	UC3_NOW=9999-12-31T12:00:00Z run -2 --separate-stderr new_ticket
	one_line_error "uc3 new" "^uc3 new: UC3_NOW '9999-12-31T12:00:00Z' is after 9999-12-30"
	repo_unchanged
	# the first second of 1970 is a time like any other
	UC3_NOW=1970-01-01T00:00:00Z run -0 new_ticket
	equal "$output" UC3-1970-0001
	UC3_NOW=1970-01-01T00:00:00Z run -0 uc3 show UC3-1970-0001
}

