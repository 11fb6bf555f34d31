#!/usr/bin/env bats
# The write path at its edges: a clock outside the years uc3 can write.

load helper

ID=UC3-2026-0001
P=tickets/2026/11/UC3-2026-0001.yaml

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

