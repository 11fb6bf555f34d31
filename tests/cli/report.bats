#!/usr/bin/env bats
# uc3 report: the figures of a period (DESIGN 2b, 6, 8): a history built
# with UC3_NOW whose figures are worked out by hand (report-fixture.bash),
# and asserted exactly from one JSON read.

load helper
load report-fixture

@test "uc3 report --format json: every figure of the history, as worked out by hand" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format json
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
def eq(path, want):
    v = r
    for k in path.split("/"):
        v = v[int(k)] if isinstance(v, list) else v[k]
    assert v == want, "%s is %r, expected %r" % (path, v, want)
eq("office", "University Customer Care Center (UC3), Universitas Jember")
eq("period", {"since": "2026-11-01T00:00:00+07:00", "until": "2026-12-01T00:00:00+07:00",
              "end": "2026-12-01T00:00:00+07:00", "timezone": "Asia/Jakarta"})
eq("tickets", 8)
eq("broken", 0)
eq("by_status", {"open": 2, "answered": 1, "delivered": 0, "closed": 5})
eq("closed_as", {"spam": 1, "duplicate": 1})
eq("by_level", {"staf": 1, "wakor": 1, "koordinator": 1, "kabiro": 1})
assert list(r["by_level"]) == ["staf", "wakor", "koordinator", "kabiro"], r["by_level"]
eq("not_answered", 2)
steps = r["steps"]
assert list(steps) == ["staf", "wakor", "koordinator", "kabiro", "deliver", "archive"], list(steps)
def step(name, standard, count, met, late, running, compliance, done, median, p90):
    want = {"standard_minutes": standard, "count": count, "met": met, "late": late,
            "running": running, "compliance": compliance, "done": done,
            "median_minutes": median, "p90_minutes": p90}
    assert steps[name] == want, "%s: %r, expected %r" % (name, steps[name], want)
# staf: 3 2 3 3 10 10 20 (sorted): median the 4th, p90 the 7th
step("staf", 5, 7, 4, 3, 1, 57.1, 7, 3, 20)
step("wakor", 60, 3, 1, 2, 0, 33.3, 2, 30, 69)
step("koordinator", 120, 1, 1, 0, 0, 100.0, 1, 80, 80)
step("kabiro", 30, 1, 0, 1, 0, 0.0, 1, 60, 60)
step("deliver", 5, 4, 2, 2, 0, 50.0, 3, 4, 10)
step("archive", 5, 3, 3, 0, 0, 100.0, 3, 2, 2)
eq("receipt_to_delivery", {"count": 3, "median_minutes": 50, "p90_minutes": 216,
                           "sop_minutes": 220, "within_sop": 3})
eq("receipt_to_archive", {"count": 3, "median_minutes": 52, "p90_minutes": 217,
                          "sop_minutes": 225, "within_sop": 3})
eq("at_end", {"not_closed": 3, "overdue": 2})
eq("top_units", [{"name": "Bagian Keuangan", "tickets": 3}, {"name": "Bagian Akademik", "tickets": 1}])
eq("top_kinds", [{"name": "keluhan", "tickets": 4}, {"name": "pertanyaan", "tickets": 2},
                 {"name": "lainnya", "tickets": 1}, {"name": "saran", "tickets": 1}])
b = [(x["id"][-1], x["step"], x["role"], x["by"], x["due"][11:16], x["done"] and x["done"][11:16],
      x["running"], x["late_minutes"]) for x in r["breaches"]]
want = [
    ("2", "staf", "staf", "humas1@unej.ac.id", "10:05", "10:10", False, 5),
    ("2", "deliver", "staf", "humas1@unej.ac.id", "10:45", "10:50", False, 5),
    ("3", "wakor", "wakor", "wakor@unej.ac.id", "08:31", "08:40", False, 9),
    ("3", "kabiro", "kabiro", "kabiro@unej.ac.id", "10:30", "11:00", False, 30),
    ("5", "staf", "staf", "wakor@unej.ac.id", "09:05", "09:10", False, 5),
    ("6", "wakor", "wakor", None, "15:03", None, True, 1077),
    ("7", "staf", "staf", "koord@unej.ac.id", "15:05", "15:20", False, 15),
    ("7", "deliver", "staf", None, "15:25", None, True, 545),
]
assert b == want, "breaches:\n%s" % "\n".join(map(repr, b))
eq("by", {})
PY
}

@test "uc3 report: the text for people, with the breaches in office days" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}"
	equal "$stderr" ""
	equal "${lines[0]}" "University Customer Care Center (UC3), Universitas Jember"
	equal "${lines[1]}" "Tickets received from 2026-11-01 00:00 until 2026-12-01 00:00 (Asia/Jakarta)"
	equal "${lines[2]}" "As the records stood at 2026-12-01 00:00"
	matches "$output" $'\nTickets received  8\n  open            2\n  answered        1\n  delivered       0\n  closed          5\n'
	matches "$output" $'\n  koordinator          1\n'
	matches "$output" $'\n  closed as spam       1\n  closed as duplicate  1\n'
	matches "$output" $'\nSTEP +STANDARD +COUNT +MET +LATE +COMPLIANCE +MEDIAN +P90 +RUNNING\n'
	matches "$output" $'\nstaf +5m +7 +4 +3 +57\\.1% +3m +20m +1\n'
	matches "$output" $'\nkoordinator +2h +1 +1 +0 +100\\.0% +1h 20m +1h 20m +0\n'
	matches "$output" $'\nkabiro +30m +1 +0 +1 +0\\.0% +1h +1h +0\n'
	matches "$output" $'\nReceipt to delivery: 3 tickets, median 50m, p90 3h 36m; 3 within the SOP\'s 3h 40m\n'
	matches "$output" $'\nReceipt to archive: 3 tickets, median 52m, p90 3h 37m; 3 within the SOP\'s 3h 45m\n'
	matches "$output" $'\nAt the end of the period: 3 not closed, 2 overdue\n'
	matches "$output" $'\nBagian Keuangan +3\n'
	matches "$output" $'\nUC3-2026-0006 +wakor +wakor +\\(still running\\) +2026-11-26 15:03 +- +2d 57m\n'
	matches "$output" $'\nUC3-2026-0007 +deliver +staf +\\(still running\\) +2026-11-27 15:25 +- +1d 35m$'
	matches "$output" $'\nUC3-2026-0007 +staf +staf +koord@unej.ac.id +2026-11-27 15:05 '
	# no group unless asked for
	! matches "$output" '^By '
}

@test "uc3 report: an event after the end of the period is not counted; the period ends at now" {
	fixture_repo november
	export_now
	# up to 2 December: ticket 6 was answered by the wakor on the 1st, and 9 came in
	run -0 --separate-stderr uc3 report --since 2026-11-01 --until 2026-12-03 --format json
	# open now: 8 and 9; overdue: 6 (to deliver), 7 (to deliver), 8 and 9 (staf)
	equal "$(jvals "$output" tickets by_level.wakor by_status.open at_end.overdue period.end)" \
		"$(printf '%s\n' 9 2 2 4 '2026-12-02T09:00:00+07:00')"
	# ticket 8's staf step fell due on Tuesday 07:33: late now, running, by 1d 1h 27m of office time
	matches "$output" '"id":"UC3-2026-0008","step":"staf","role":"staf","by":null,"due":"2026-12-01T07:33:00\+07:00","done":null,"running":true,"late_minutes":597\}'
}

@test "uc3 report: the default period is the month of now, in the policy's zone" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report --format json
	equal "$(jvals "$output" period.since period.until period.end tickets by_status.open)" \
		"$(printf '%s\n' 2026-12-01T00:00:00+07:00 2027-01-01T00:00:00+07:00 2026-12-02T09:00:00+07:00 1 1)"
	# the dispatcher runs it too, and --since alone has no end but now
	run -0 --separate-stderr uc3 report --since 2026-11-30 --format json
	equal "$(jvals "$output" period.since period.until tickets)" \
		"$(printf '%s\n' 2026-11-30T00:00:00+07:00 null 2)"
}

@test "uc3 report --by: a table per group in text, by.<group> objects in JSON" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}" --by level,person --by week --format json
	python3 - "$output" <<'PY'
import json, sys
by = json.loads(sys.argv[1])["by"]
assert list(by) == ["level", "week", "person"], list(by)
lv = by["level"]
assert list(lv) == ["staf", "wakor", "koordinator", "kabiro", "(duplicate)", "(none)", "(spam)"], list(lv)
assert lv["koordinator"] == {"tickets": 1, "closed": 0, "not_closed": 1, "overdue": 1, "met": 0,
                             "late": 2, "compliance": 0.0, "delivery_median_minutes": None}, lv["koordinator"]
assert lv["kabiro"] == {"tickets": 1, "closed": 1, "not_closed": 0, "overdue": 0, "met": 4,
                        "late": 2, "compliance": 66.7, "delivery_median_minutes": 216}, lv["kabiro"]
assert lv["(none)"]["tickets"] == 2 and lv["(none)"]["overdue"] == 1, lv["(none)"]
# every ISO week of November, those without tickets too
wk = by["week"]
assert list(wk) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"], list(wk)
assert [wk[w]["tickets"] for w in wk] == [0, 0, 0, 0, 7, 1], wk
pe = by["person"]
assert list(pe) == ["(none)", "humas1@unej.ac.id", "kabiro@unej.ac.id", "koord@unej.ac.id",
                    "wakor@unej.ac.id"], list(pe)
assert pe["(none)"]["tickets"] == 4, pe
PY
	run -0 --separate-stderr uc3 report "${NOV[@]}" --by kind,channel,unit,month
	matches "$output" $'\nBy kind\nKIND +TICKETS +CLOSED +NOT CLOSED +OVERDUE +MET +LATE +COMPLIANCE +DELIVERY MEDIAN\nkeluhan +4 +2 +2 +1 '
	matches "$output" $'\nBy channel\nCHANNEL .*\nemail +5 '
	matches "$output" $'\nBy unit\nUNIT .*\nBagian Keuangan +3 +2 +1 +1 '
	matches "$output" $'\nBy month\nMONTH .*\n2026-11 +8 +5 +3 +2 +13 +10 +56\\.5% +50m$'
}

@test "uc3 report --format csv: one row per ticket with every step, RFC 4180, read back by python" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format csv -o "$T/nov.csv"
	equal "$output" ""
	equal "$stderr" ""
	python3 - "$T/nov.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
# every line ends in CRLF, and nothing else does
assert raw.count(b"\r\n") == 9 and raw.count(b"\n") == 9 and raw.endswith(b"\r\n"), raw
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert [r["id"] for r in rows] == ["UC3-2026-%04d" % i for i in range(1, 9)], rows
head = list(rows[0])
assert head[:11] == ["id", "received", "subject", "kind", "channel", "unit", "status", "closed_as",
                     "level", "answered_by", "delivery_minutes"], head
assert head[11:15] == ["staf_due", "staf_done", "staf_late", "staf_minutes"], head
assert len(head) == 11 + 6 * 4 and head[-1] == "archive_minutes", head
r2 = rows[1]
assert r2["subject"] == 'Jadwal "wisuda", periode Desember', r2
assert (r2["received"], r2["status"], r2["level"], r2["answered_by"], r2["delivery_minutes"]) == \
    ("2026-11-23 10:00", "closed", "wakor", "wakor@unej.ac.id", "50"), r2
assert (r2["staf_due"], r2["staf_done"], r2["staf_late"], r2["staf_minutes"]) == \
    ("2026-11-23 10:05", "2026-11-23 10:10", "yes", "10"), r2
assert (r2["koordinator_due"], r2["koordinator_done"], r2["koordinator_late"], r2["koordinator_minutes"]) == \
    ("", "", "", ""), r2
r3 = rows[2]
assert (r3["unit"], r3["wakor_minutes"], r3["wakor_late"], r3["kabiro_minutes"], r3["delivery_minutes"]) == \
    ("Bagian Keuangan", "69", "yes", "60", "216"), r3
r4, r5 = rows[3], rows[4]
assert (r4["status"], r4["closed_as"], r4["level"], r4["staf_late"]) == ("closed", "duplicate", "", "no"), r4
assert (r5["closed_as"], r5["staf_minutes"], r5["staf_late"]) == ("spam", "10", "yes"), r5
r6 = rows[5]
assert (r6["status"], r6["level"], r6["wakor_due"], r6["wakor_done"], r6["wakor_late"], r6["wakor_minutes"]) == \
    ("open", "", "2026-11-26 15:03", "", "yes", ""), r6
r7 = rows[6]
assert (r7["status"], r7["level"], r7["answered_by"], r7["deliver_late"], r7["deliver_done"]) == \
    ("answered", "koordinator", "koord@unej.ac.id", "yes", ""), r7
r8 = rows[7]
assert (r8["staf_due"], r8["staf_done"], r8["staf_late"], r8["staf_minutes"]) == \
    ("2026-12-01 07:33", "", "", ""), r8
PY
}

# The start and end tags of an HTML file, checked to nest, and the text
# of every table cell by table id, as JSON.
html_tables() {
	python3 - "$1" <<'PY'
import json, sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "link", "col", "wbr", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tables, self.table, self.row, self.cell = [], {}, None, None, None
        self.doctype = False
    def handle_decl(self, d):
        self.doctype = d.lower() == "doctype html"
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        a = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(a.get("id"), [])
        elif tag == "tr":
            self.row = []
            self.table.append(self.row)
        elif tag in ("td", "th"):
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        top = self.stack.pop() if self.stack else None
        if top != tag:
            sys.exit("</%s> closes <%s>" % (tag, top))
        if tag in ("td", "th"):
            self.row.append(self.cell)
            self.cell = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
if p.stack:
    sys.exit("not closed: %s" % p.stack)
if not p.doctype:
    sys.exit("no <!DOCTYPE html>")
print(json.dumps(p.tables))
PY
}

@test "uc3 report: an empty period, in every format" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report --since 2026-10-01 --until 2026-11-01 --format json --by month
	equal "$stderr" ""
	python3 - "$output" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["tickets"] == 0 and r["broken"] == 0, r
assert r["by_status"] == {"open": 0, "answered": 0, "delivered": 0, "closed": 0}, r
assert r["by_level"] == {"staf": 0, "wakor": 0, "koordinator": 0, "kabiro": 0}, r
for name, f in r["steps"].items():
    assert f["count"] == f["met"] == f["late"] == f["running"] == f["done"] == 0, (name, f)
    assert f["compliance"] is None and f["median_minutes"] is None and f["p90_minutes"] is None, f
assert r["receipt_to_delivery"] == {"count": 0, "median_minutes": None, "p90_minutes": None,
                                    "sop_minutes": 220, "within_sop": 0}, r
assert r["at_end"] == {"not_closed": 0, "overdue": 0}, r
assert r["top_units"] == [] and r["top_kinds"] == [] and r["breaches"] == [], r
assert r["by"] == {"month": {"2026-10": {"tickets": 0, "closed": 0, "not_closed": 0, "overdue": 0,
    "met": 0, "late": 0, "compliance": None, "delivery_median_minutes": None}}}, r["by"]
PY
	run -0 --separate-stderr uc3 report --since 2026-10-01 --until 2026-11-01
	equal "${lines[-1]}" "No ticket was received in the period."
	matches "$output" $'\nTickets received  0\n'
	run -0 uc3 report --since 2026-10-01 --until 2026-11-01 --format csv
	equal "$output" "$(printf 'id,received,subject,kind,channel,unit,status,closed_as,level,answered_by,delivery_minutes')$(printf ',%s_due,%s_done,%s_late,%s_minutes' staf staf staf staf wakor wakor wakor wakor koordinator koordinator koordinator koordinator kabiro kabiro kabiro kabiro deliver deliver deliver deliver archive archive archive archive)"$'\r'
	run -0 uc3 report --since 2026-10-01 --until 2026-11-01 --format html -o "$T/empty.html"
	run -0 html_tables "$T/empty.html"
}

# Two tickets either side of midnight, 1 December in Jakarta (30 November
# 17:00 in UTC, the zone the tests run in).
midnight() {
	init_repo
	export UC3_NOW=2026-12-01T00:30:00+07:00
	new_ticket --received "2026-11-30 23:59:59" >/dev/null
	new_ticket --received "2026-12-01 00:00" >/dev/null
}

@test "uc3 report: the period's bounds are midnights in the policy's zone, until excluded" {
	fixture_repo midnight
	export UC3_NOW=2026-11-30T17:30:00Z
	run -0 --separate-stderr uc3 report --since 2026-11-01 --until 2026-12-01 --format csv
	equal "$(cut -d, -f1,2 <<<"$output" | tr -d '\r')" $'id,received\nUC3-2026-0001,2026-11-30 23:59'
	run -0 --separate-stderr uc3 report --since 2026-12-01 --format csv
	equal "$(cut -d, -f1,2 <<<"$output" | tr -d '\r')" $'id,received\nUC3-2026-0002,2026-12-01 00:00'
	# now is 1 December 00:30 in Jakarta: the default month is December there
	run -0 --separate-stderr uc3 report --format json
	equal "$(jvals "$output" period.since tickets)" $'2026-12-01T00:00:00+07:00\n1'
	# an RFC 3339 time as a bound, in another zone: the same instant
	run -0 --separate-stderr uc3 report --since 2026-11-30T17:00:00Z --until 2026-12-02 --format json
	equal "$(jvals "$output" tickets)" 1
	run -0 --separate-stderr uc3 report --since '2026-11-30 23:59:59' --until '2026-12-01 00:00' --format json
	equal "$(jvals "$output" tickets)" 1
}

@test "uc3 report: a broken ticket file is named, counted and left out; exit 2 after the report" {
	fixture_repo november
	export_now
	run -0 uc3 report "${NOV[@]}" --format json
	local before="$output"
	printf 'id: [unclosed\n' >tickets/2026/11/UC3-2026-0099.yaml
	git add tickets && git commit -q -m "broken by hand"
	run -2 --separate-stderr uc3 report "${NOV[@]}" --format json
	equal "${#stderr_lines[@]}" 2
	matches "${stderr_lines[0]}" '^uc3 report: tickets/2026/11/UC3-2026-0099\.yaml:[0-9]+:[0-9]+: '
	equal "${stderr_lines[1]}" "uc3 report: 1 ticket file could not be read (named above), and is left out of the figures"
	python3 - "$before" "$output" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert b["broken"] == 1, b["broken"]
b["broken"] = 0
assert a == b, "the figures changed"
PY
	run -2 --separate-stderr uc3 report "${NOV[@]}"
	matches "$output" $'\nTicket files unread  1\n  \\(named on stderr, and left out of every figure\\)\n'
	# a period the broken file's folder cannot hold does not read it
	run -0 --separate-stderr uc3 report --since 2026-10-01 --until 2026-10-28 --format json
	equal "$stderr" ""
	git rm -q tickets/2026/11/UC3-2026-0099.yaml && git commit -q -m "remove it"
}

@test "uc3 report -o FILE: the report in FILE, replaced whole; stdout empty; no progress off a terminal" {
	fixture_repo november
	export_now
	echo "old contents" >"$T/out.txt"
	run -0 --separate-stderr uc3 report "${NOV[@]}" -o "$T/out.txt"
	equal "$output" ""
	equal "$stderr" ""
	run -0 uc3 report "${NOV[@]}"
	equal "$(cat "$T/out.txt")" "$output"
	# nothing left beside it
	equal "$(ls -A "$T" | grep -c '^\.out\.txt\.')" 0
	# a file of its own name in the current directory
	run -0 uc3 report "${NOV[@]}" --format json -o nov.json
	jvals "$(cat nov.json)" tickets >"$T/n"
	equal "$(cat "$T/n")" 8
	rm nov.json
}

@test "uc3 report: bad usage and bad values, one line on stderr, exit 2, nothing written" {
	fixture_repo november
	export_now
	echo "kept" >"$T/keep.txt"
	mkdir "$T/adir"
	snapshot
	run -2 --separate-stderr uc3 report --format pdf -o "$T/keep.txt"
	one_line_error "uc3 report" "unknown format 'pdf': use text, csv, json or html"
	run -2 --separate-stderr uc3 report --by kind,year -o "$T/keep.txt"
	one_line_error "uc3 report" "unknown group 'year': use kind, channel, unit, level, month, week or person"
	run -2 --separate-stderr uc3 report --since 2026-13-01 -o "$T/keep.txt"
	one_line_error "uc3 report" "^uc3 report: --since '2026-13-01' is not a date: use a day such as 2026-11-01"
	run -2 --separate-stderr uc3 report --until yesterday -o "$T/keep.txt"
	one_line_error "uc3 report" "--until 'yesterday' is not a date"
	run -2 --separate-stderr uc3 report --since 2026-12-01 --until 2026-11-01 -o "$T/keep.txt"
	one_line_error "uc3 report" "the period is empty: --until is not after --since"
	run -2 --separate-stderr uc3 report --since 2026-12-01 --until 2026-12-01 -o "$T/keep.txt"
	one_line_error "uc3 report" "the period is empty"
	run -2 --separate-stderr uc3 report -o "$T/adir"
	one_line_error "uc3 report" "'$T/adir' is a directory: give a file to write"
	run -2 --separate-stderr uc3 report -o "$T/no/such/dir/r.txt"
	one_line_error "uc3 report" "^uc3 report: cannot write '$T/no/such/dir/r.txt': No such file or directory$"
	run -2 --separate-stderr uc3 report -o ''
	one_line_error "uc3 report" "no file name to write to"
	run -2 --separate-stderr uc3 report extra
	equal "$output" ""
	matches "${stderr_lines[0]}" "^uc3 report: "
	run -2 --separate-stderr uc3 report --frobnicate
	equal "$output" ""
	equal "$(cat "$T/keep.txt")" "kept"
	equal "$(ls -A "$T/adir")" ""
	repo_unchanged
}

@test "uc3 report --help: the usage is the man page's SYNOPSIS, exit 0; uc3 help lists it" {
	run -0 --separate-stderr uc3 report --help
	equal "$stderr" ""
	matches "${lines[0]}" '^usage: uc3 report '
	local usage synopsis
	usage="$(uc3 report --help | sed -n '1,/^$/p' | sed 's/^usage: //; s/^ *uc3 /uc3 /' |
		tr -s ' \n' '  ' | sed 's/ *$//')"
	synopsis="$(mandoc -Tascii -O width=200 "$UC3_ROOT/man/uc3-report.1" | sed "s/.\x08//g" |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' |
		sed 's/^ *//; s/ *$//')"
	equal "$synopsis" "$usage"
	run -0 uc3 help
	matches "$output" '^   report +the figures of a period'
}

@test "uc3 report: outside a records repository, one line, exit 2" {
	cd "$T"
	run -2 --separate-stderr uc3 report
	equal "$output" ""
	one_line_error "uc3 report"
}
