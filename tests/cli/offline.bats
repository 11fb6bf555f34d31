#!/usr/bin/env bats
# Writes made while the central repository cannot be reached: recorded
# here with "Offline: yes", waiting; only what the central lacks may be
# written; list and show say what waits.

load helper

setup_central() {
	init_bare central.git
	central_hooks "$BARE"
	export UC3_HOOK_NOW="$UC3_NOW"
	git clone -q "$BARE" "$T/b"
	git -C "$T/b" config uc3.remote origin
	track_repo "$T/b"
}

quick_new() {
	uc3 -C "$1" new -s "$2" -k saran -c web --from x@example.com -m isi
}

@test "offline: a new ticket is recorded here, marked Offline: yes, and list and show say it waits" {
	setup_central
	quick_new "$T/b" satu >/dev/null
	mv "$BARE" "$T/away.git"
	export UC3_NOW=2026-11-27T09:24:00+07:00
	run -0 --separate-stderr quick_new "$T/b" dua
	local id="$output"
	one_line_error "uc3 new" "^uc3 new: warning: origin cannot be reached \('.*' does not appear to be a git repository\); recorded here, waiting to be sent \(uc3 sync sends it\)$"
	equal "$(git -C "$T/b" log -1 --format='%(trailers:key=Offline,valueonly)%(trailers:key=Ticket,valueonly)' | tr -d '\n')" "yes$id"
	# uc3 init, the first ticket and the block it set aside: not the one made offline
	equal "$(git -C "$T/away.git" rev-list --count HEAD)" 3
	run -0 --separate-stderr uc3 -C "$T/b" list
	matches "$output" "^$id .* open, waiting "
	run ! grep -q "^UC3-2026-0001 .*waiting" <<<"$output"
	matches "$stderr" '^uc3 list: 1 change made offline waits to be sent to origin \(uc3 sync\)$'
	run -0 --separate-stderr uc3 -C "$T/b" list --format json
	equal "$(grep -c '"waiting":true' <<<"$output")" 1
	run -0 --separate-stderr uc3 -C "$T/b" show "$id"
	matches "$output" 'waiting +made offline 2026-11-27 09:24, not yet on origin'
	run -0 --separate-stderr uc3 -C "$T/b" show --format json "$id"
	equal "$(jvals "$output" waiting)" true
	run -0 --separate-stderr uc3 -C "$T/b" show UC3-2026-0001
	run ! grep -q waiting <<<"$output"
	mv "$T/away.git" "$BARE"
}

@test "offline: a step on a ticket the central holds, or a change of people, is refused; a step on a ticket made offline is recorded" {
	setup_central
	quick_new "$T/b" satu >/dev/null
	mv "$BARE" "$T/away.git"
	export UC3_NOW=2026-11-27T09:02:00+07:00
	snapshot "$T/b"
	run -2 --separate-stderr uc3 -C "$T/b" escalate 1
	one_line_error "uc3 escalate" "^uc3 escalate: UC3-2026-0001 is on origin, which cannot be reached \(.*\); offline only new tickets and those made offline can be written: wait for it, or try again with uc3 sync; nothing was recorded$"
	run -2 --separate-stderr uc3 -C "$T/b" person add kabiro@unej.ac.id --name K --role kabiro --key "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl k"
	matches "$stderr" 'uc3.yaml is on origin, which cannot be reached'
	# overdue --mail would mail notices it cannot record: it sends none
	use_outbox
	UC3_NOW=2026-11-27T10:00:00+07:00 run -2 --separate-stderr uc3 -C "$T/b" overdue --mail
	one_line_error "uc3 overdue" "^uc3 overdue: origin cannot be reached; --mail sends and records notices only while it can, and no mail was sent"
	[ ! -e "$T/outbox" ] || equal "$(ls "$T/outbox" | wc -l)" 0
	repo_unchanged
	local id
	id="$(quick_new "$T/b" dua 2>/dev/null)"
	run -0 --separate-stderr uc3 -C "$T/b" escalate "$id"
	matches "$stderr" 'recorded here, waiting to be sent'
	equal "$(git -C "$T/b" log --format='%(trailers:key=Offline,valueonly)' -2 | grep -c yes)" 2
	mv "$T/away.git" "$BARE"
	export UC3_HOOK_NOW=2026-11-27T09:30:00+07:00 UC3_NOW=2026-11-27T09:30:00+07:00
	run -0 uc3 -C "$T/b" sync
	equal "${#lines[@]}" 3
	run -0 uc3 -C "$BARE" verify
}
