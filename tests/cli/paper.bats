#!/usr/bin/env bats
# uc3 show --format html: the paper record, one ticket as a printable A4
# form (issue 12, point 5; uc3-show(1)).

load helper

# A subject a page must show as text, never run.
HOSTILE='Tes <script>alert("x")</script> & <b>tebal</b> '"'"'kutip'"'"

# One ticket through every step, by the clock: received Friday 09:00,
# escalated late (09:10, due 09:05), escalated again, answered, delivered
# late (11:45, due 11:35), closed; a requester with every field, a body
# with markup and a word too long for a line.
paper_history() {
	init_repo
	at_time 09:00 uc3 new -s "$HOSTILE" -k keluhan -c email \
		--from "Siti Aminah <siti@example.com>" --phone 0812-3456-7890 --social @siti_a \
		--address $'Jl. Jawa No. 7\nJember 68121' -u "Bagian Keuangan" \
		-m $'Saya sudah membayar UKT <b>20 November</b> & status belum berubah.\n\nNIM 201910101234\nhttps://sister.unej.ac.id/'"$(printf 'a%.0s' {1..200})" >/dev/null
	at_time 09:10 uc3 escalate 1 -m "Data pembayaran tidak ada di Humas." >/dev/null
	at_time 10:00 uc3 escalate 1 -m "Perlu konfirmasi <Bagian Keuangan>." >/dev/null
	at_time 11:30 uc3 answer 1 -m $'Pembayaran sudah terverifikasi.\nStatus berubah dalam 1x24 jam.' >/dev/null
	at_time 11:45 uc3 deliver 1 -m "Dikirim lewat email" >/dev/null
	at_time 11:48 uc3 close 1 >/dev/null
}

# The form in $1 read as a browser would, once it is found well-formed
# (every element closed, in order; void elements aside) and
# self-contained. Printed as JSON: "text" the text of each element with
# an id, "datetime" that of the <time> in it, "steps", "commits" and
# "requester" the cells of those tables' body rows, "commit_ids" the
# data-commit of the commit rows, "fetches" anything the page would load
# or run, "charset" and "doctype".
read_form() {
	python3 - "$1" <<'PY'
import html.parser, json, sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
TABLES = ("steps", "commits", "requester")

class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids = [], []
        self.out = {"text": {}, "datetime": {}, "commit_ids": [], "fetches": [],
                    "charset": None, "doctype": None}
        for t in TABLES:
            self.out[t] = []
        self.table = self.row = self.cell = None

    def handle_decl(self, decl):
        self.out["doctype"] = decl

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "link", "img", "base", "frame",
                   "audio", "video", "source", "form"):
            self.out["fetches"].append("<%s>" % tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "formaction", "poster") or k.startswith("on"):
                self.out["fetches"].append("%s=" % k)
            if k == "style" and v and ("url(" in v or "@import" in v):
                self.out["fetches"].append("style=" + v)
        if tag == "meta" and "charset" in a:
            self.out["charset"] = a["charset"]
        if tag not in VOID:
            self.stack.append((tag, a.get("id")))
        if a.get("id"):
            self.out["text"][a["id"]] = ""
            self.ids.append(a["id"])
        if tag == "table" and a.get("id") in TABLES:
            self.table = a["id"]
        if tag == "tr" and self.table and "thead" not in [t for t, _ in self.stack]:
            self.row = []
        if tag == "td" and self.row is not None:
            self.cell = ""
            if "data-commit" in a:
                self.out["commit_ids"].append(a["data-commit"])
        if tag == "time" and self.ids:
            self.out["datetime"][self.ids[-1]] = a.get("datetime")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            sys.exit("not well-formed: </%s> at line %d closes %s" %
                     (tag, self.getpos()[0], self.stack[-1:]))
        _, id_ = self.stack.pop()
        if id_:
            self.ids.pop()
        if tag == "td" and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.out[self.table].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style" and ("url(" in data or "@import" in data):
            self.out["fetches"].append("url( in <style>")
        for i in self.ids:
            self.out["text"][i] += data
        if self.cell is not None:
            self.cell += data

f = Form()
with open(sys.argv[1], encoding="utf-8") as fh:
    f.feed(fh.read())
f.close()
if f.stack:
    sys.exit("not well-formed: %s never closed" % f.stack)
print(json.dumps(f.out))
PY
}

@test "uc3 show --format html: every field of the ticket exactly, escaped, in a well-formed page with nothing to load or run" {
	fixture_repo paper_history
	UC3_NOW=2026-11-27T12:00:00+07:00 run -0 --separate-stderr uc3 show --format html 1
	equal "$stderr" ""
	printf '%s\n' "$output" >"$T/form.html"
	# the hostile subject is text: escaped in the source, no element of its own
	[[ "$output" == *'Tes &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;tebal&lt;/b&gt; &#39;kutip&#39;'* ]]
	[[ "$output" != *"<script"* ]]
	form="$(read_form "$T/form.html")"
	json="$(uc3 show --format json 1)"
	log="$(uc3 log --format json 1)"
	path="$(ticket_path UC3-2026-0001)"
	python3 - "$form" "$json" "$log" "$(git rev-list HEAD -- "$path" | tac | tr '\n' ' ')" "$path" <<'PY'
import json, sys
form, t, log = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
commits, path = sys.argv[4].split(), sys.argv[5]
text, errors = form["text"], []
def same(what, got, want):
    if got != want:
        errors.append("%s: got %r, want %r" % (what, got, want))
same("doctype", form["doctype"], "DOCTYPE html")
same("charset", form["charset"], "utf-8")
same("fetches", form["fetches"], [])
same("title", text.get("ticket-id"), t["id"])
for k in ("subject", "kind", "channel", "unit", "body", "answer"):
    same(k, text.get(k), t[k])
same("status", text.get("status"), "closed")
same("received", form["datetime"].get("received"), t["received"])
# the requester: every field given, each on a row of its own, as typed
same("requester", {r[2] for r in form["requester"]}, set(t["requester"].values()))
# every step: when, what, who, its due time and whether it was late
same("steps", len(form["steps"]), len(t["events"]))
for i, (row, e) in enumerate(zip(form["steps"], t["events"])):
    same("step %d no" % i, row[0], str(i + 1))
    same("step %d at" % i, row[1], e["at"][:10] + " " + e["at"][11:16])
    if not row[2].startswith(e["action"]) or ("note" in e and e["note"] not in row[2]):
        errors.append("step %d: %r is not %s with its note" % (i, row[2], e["action"]))
    same("step %d by" % i, row[3], e["by"])
    step = e.get("step")
    same("step %d due" % i, row[5], step["due"][:10] + " " + step["due"][11:16] if step else "—")
    same("step %d late" % i, row[6].startswith("TERLAMBAT"), bool(step and step["late"]))
same("late marks", [r[6] for r in form["steps"] if "TERLAMBAT" in r[6]],
     ["TERLAMBAT 5m", "TERLAMBAT 10m"])
same("roles", [r[4] for r in form["steps"]],
     ["—", "Staf Humas", "Wakil Koordinator PKIH", "Koordinator PKIH", "—", "—"])
# every commit that changed the file, oldest first, signed as uc3 log says
same("commits", form["commit_ids"], commits)
sigs = {e["commit"]: e["signature"] for e in log}
same("signatures", [r[5] for r in form["commits"]], [sigs[c] for c in commits])
same("summary", text.get("commits-summary"), "6 commit: 0 good, 0 bad, 6 none, 0 unknown")
same("steps summary", text.get("steps-summary"), "6 langkah, 2 terlambat")
if path not in text.get("footer-file", ""):
    errors.append("footer: no %s" % path)
if errors:
    sys.exit("\n".join(errors))
PY
}

@test "uc3 show --format html renders in headless Chromium to one A4 page that is not blank" {
	need_chromium
	fixture_repo paper_history
	UC3_NOW=2026-11-27T12:00:00+07:00 uc3 show --format html 1 >"$T/form.html"
	chromium_pdf "$T/form.html" "$T/form.pdf"
	chromium_png "$T/form.html" "$T/form.png"
	equal "$(pdf_a4_pages "$T/form.pdf")" 1
	python3 - "$(png_ink "$T/form.png")" <<'PY'
import json, sys
png = json.loads(sys.argv[1])
if (png["width"], png["height"]) != (794, 1123):
    sys.exit("unexpected PNG %dx%d" % (png["width"], png["height"]))
# Black text on white: some ink, but mostly paper; from the header down the page.
if not 0.02 < png["ink"] < 0.3:
    sys.exit("ink covers %.3f of the page" % png["ink"])
if png["first"] > 80 or png["last"] < 900:
    sys.exit("ink only from row %d to %d" % (png["first"], png["last"]))
PY
}

@test "uc3 show --format html: an open ticket past its deadline is marked, with its step and holder" {
	init_repo
	at_time 09:00 new_ticket >/dev/null
	UC3_NOW=2026-11-27T09:20:00+07:00 run -0 uc3 show --format html 1
	[[ "$output" == *'id="current-step">Staf Humas</td>'* ]]
	[[ "$output" == *'id="holder">Staf Humas</td>'* ]]
	[[ "$output" == *'<time datetime="2026-11-27T09:05:00+07:00">2026-11-27 09:05</time> <span class="late">TERLAMBAT</span> (late by 15m)'* ]]
	UC3_NOW=2026-11-27T09:01:00+07:00 run -0 uc3 show --format html 1
	[[ "$output" == *'2026-11-27 09:05</time> (4m left)'* ]]
	[[ "$output" == *'<div class="text" id="answer"><span class="none">belum dijawab</span></div>'* ]]
}

@test "uc3 show --format html: each commit's signature as uc3 log gives it, signed or by hand" {
	init_repo
	ssh_signing
	at_time 09:00 new_ticket >/dev/null
	at_time 09:02 uc3 escalate 1 >/dev/null
	sed -i 's/^subject: .*/subject: diubah tangan/' tickets/2026/11/UC3-2026-0001.yaml
	git -c commit.gpgsign=false commit -qam "subject edited by hand"
	run -0 --separate-stderr uc3 show --format html 1
	printf '%s\n' "$output" >"$T/form.html"
	form="$(read_form "$T/form.html")"
	equal "$(jvals "$form" commits.0.5 commits.1.5 commits.2.5 commits.3 text.commits-summary)" \
		"good
good
none
-
3 commit: 2 good, 0 bad, 1 none, 0 unknown"
	log="$(uc3 log --format json 1)"
	python3 - "$form" "$log" <<'PY'
import json, sys
form, log = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sigs = {e["commit"]: e["signature"] for e in log}
got = [r[5] for r in form["commits"]]
want = [sigs[c] for c in form["commit_ids"]]
if got != want:
    sys.exit("form %r, uc3 log %r" % (got, want))
PY
}

@test "uc3 show --format html: the records' templates/ticket.html, else the installed one" {
	init_repo
	new_ticket >/dev/null
	# uc3 init lays it down with the others
	equal "$(git show HEAD:templates/ticket.html)" "$(cat "$UC3_BUILD_DIR/share/uc3/templates/ticket.html")"
	sed -i 's/LEMBAR REKAM LAYANAN/FORMULIR KANTOR KAMI/' templates/ticket.html
	git commit -qam "templates: our own title"
	run -0 uc3 show --format html 1
	[[ "$output" == *"FORMULIR KANTOR KAMI"* ]]
	# only what is committed counts: a work-tree edit is not read
	sed -i 's/FORMULIR KANTOR KAMI/BELUM DISIMPAN/' templates/ticket.html
	run -0 uc3 show --format html 1
	[[ "$output" == *"FORMULIR KANTOR KAMI"* ]]
	git checkout -q -- templates
	git rm -q templates/ticket.html
	git commit -qm "templates: back to the installed form"
	run -0 uc3 show --format html 1
	[[ "$output" == *"LEMBAR REKAM LAYANAN"* ]]
}

@test "uc3 show --format html: no template, or a malformed one: exit 2, one line, nothing printed" {
	init_repo
	new_ticket >/dev/null
	printf '<p>\n{{#events}}\n{{n}}\n' >templates/ticket.html
	git commit -qam "templates: a broken form"
	snapshot
	run -2 --separate-stderr uc3 show --format html 1
	equal "$output" ""
	one_line_error "uc3 show" "^uc3 show: templates/ticket.html:2: unclosed section 'events'$"
	repo_unchanged
	git rm -q templates/ticket.html
	git commit -qm "templates: none of our own"
	mkdir "$T/empty"
	UC3_DATADIR="$T/empty" run -2 --separate-stderr uc3 show --format html 1
	equal "$output" ""
	one_line_error "uc3 show" "^uc3 show: no template ticket.html: not in the records' templates/, and $T/empty/templates/ticket.html: No such file or directory$"
}

@test "uc3 show --format html takes one id; an unknown ticket or format: exit 2" {
	init_repo
	new_ticket >/dev/null
	new_ticket >/dev/null
	run -2 --separate-stderr uc3 show --format html 1 2
	equal "$output" ""
	equal "${stderr_lines[0]}" "uc3 show: --format html prints one ticket: give one id"
	run -2 --separate-stderr uc3 show --format html 9
	equal "$output" ""
	one_line_error "uc3 show" "^uc3 show: no ticket UC3-2026-0009$"
	run -2 --separate-stderr uc3 show --format pdf 1
	equal "$output" ""
	one_line_error "uc3 show" "^uc3 show: unknown format 'pdf': use text, json or html$"
}

@test "uc3 show --format html works on a bare repository" {
	init_bare
	UC3_DIR="$BARE" new_ticket >/dev/null
	run -0 --separate-stderr uc3 -C "$BARE" show --format html 1
	equal "$stderr" ""
	printf '%s\n' "$output" >"$T/form.html"
	equal "$(jvals "$(read_form "$T/form.html")" text.ticket-id text.commits-summary)" "UC3-2026-0001
1 commit: 0 good, 0 bad, 1 none, 0 unknown"
}
