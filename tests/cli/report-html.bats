#!/usr/bin/env bats
# uc3 report --format html: the page of a period's figures, to print for
# the monthly meeting (issue 12, point 3; uc3-report(1), HTML). The
# figures are those of report.bats's November, read back from the page
# by their data-figure marks and compared with the JSON report.

load helper
load report-fixture

# The page in $1 read as a browser would, once it is found well-formed
# (every element closed, in order; void elements aside; SVG's <rect/>
# closes itself) and self-contained. Printed as JSON: "figures" the
# text of every element with a data-figure, by its name (a list: a
# figure may be shown twice); "text" the text of each element with an
# id; "datetime" that of each <time> with an id; "tables" the rows of
# each table with an id that have cells, each cell as [text, attributes];
# "bars" the widths of the met and late bars of each step's row;
# "columns" the data-* of each column of the chart; "fetches" anything
# the page would load or run; "charset" and "doctype".
read_page() {
	python3 - "$1" <<'PY'
import html.parser, json, sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.open_figures, self.ids = [], [], []
        self.out = {"figures": {}, "text": {}, "datetime": {}, "tables": {}, "bars": {},
                    "columns": [], "fetches": [], "charset": None, "doctype": None}
        self.table = self.row = self.cell = self.step = None

    def handle_decl(self, decl):
        self.out["doctype"] = decl

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "link", "img", "base", "frame",
                   "audio", "video", "source", "form", "image", "use", "foreignobject"):
            self.out["fetches"].append("<%s>" % tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "srcset", "action", "formaction",
                     "poster") or k.startswith("on"):
                self.out["fetches"].append("%s=" % k)
            if k == "style" and v and ("url(" in v or "@import" in v):
                self.out["fetches"].append("style=" + v)
        if tag == "meta" and "charset" in a:
            self.out["charset"] = a["charset"]
        if tag in VOID:
            return
        self.stack.append(tag)
        if "data-figure" in a:
            self.out["figures"].setdefault(a["data-figure"], [])
            self.open_figures.append((len(self.stack), a["data-figure"], []))
        if a.get("id"):
            self.out["text"][a["id"]] = ""
            self.ids.append((len(self.stack), a["id"]))
            if tag == "time":
                self.out["datetime"][a["id"]] = a.get("datetime")
        if tag == "table" and a.get("id"):
            self.table = self.out["tables"].setdefault(a["id"], [])
        elif tag == "tr" and self.table is not None:
            self.row, self.step = [], a.get("data-step")
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ["", a, tag]
        elif tag == "rect" and self.step and a.get("class") in ("met", "late"):
            self.out["bars"].setdefault(self.step, {})[a["class"]] = a.get("width")
        elif tag == "g" and "data-key" in a:
            self.out["columns"].append({k[5:]: v for k, v in attrs if k.startswith("data-")})

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            sys.exit("not well-formed: </%s> at line %d closes %s" %
                     (tag, self.getpos()[0], self.stack[-1:]))
        depth = len(self.stack)
        self.stack.pop()
        while self.open_figures and self.open_figures[-1][0] == depth:
            _, name, text = self.open_figures.pop()
            self.out["figures"][name].append("".join(text))
        while self.ids and self.ids[-1][0] == depth:
            self.ids.pop()
        if tag in ("td", "th") and self.cell is not None:
            if self.cell[2] == "td":
                self.row.append(self.cell[:2])
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.table.append(self.row)
            self.row = self.step = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style" and ("url(" in data or "@import" in data):
            self.out["fetches"].append("url( in <style>")
        for _, _, text in self.open_figures:
            text.append(data)
        for _, i in self.ids:
            self.out["text"][i] += data
        if self.cell is not None:
            self.cell[0] += data

p = Page()
with open(sys.argv[1], encoding="utf-8") as fh:
    p.feed(fh.read())
p.close()
if p.stack:
    sys.exit("not well-formed: %s never closed" % p.stack)
print(json.dumps(p.out))
PY
}

# Check the page read by read_page ($1) against the JSON report ($2,
# made with --by unit,week): every data-figure shows the figure of the
# JSON of its name, formatted as the text report formats it, and every
# figure the page must show is there; the steps' bars, the chart's
# columns, the top units, the unit group and the breaches are those of
# the JSON. $3: the "late by" of each breach, as the text report gives
# them, separated by commas.
check_page() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
page, r, late_by = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
errors = []
def same(what, got, want):
    if got != want:
        errors.append("%s: got %r, want %r" % (what, got, want))
def minutes(m):
    if m is None:
        return "-"
    if m < 60:
        return "%dm" % m
    return "%dh %dm" % (m // 60, m % 60) if m % 60 else "%dh" % (m // 60)
def short(t):
    return "-" if t is None else t[:10] + " " + t[11:16]
def shown(name):
    v = r
    for k in name.split("."):
        v = v[k]
    last = name.split(".")[-1]
    if name == "breaches":
        return str(len(v))
    if last.endswith("minutes"):
        return minutes(v)
    if last == "compliance":
        return "-" if v is None else "%.1f%%" % v
    return str(v)

same("doctype", page["doctype"], "DOCTYPE html")
same("charset", page["charset"], "utf-8")
same("fetches", page["fetches"], [])
same("office", page["text"].get("office"), r["office"])
same("end", page["datetime"].get("end"), r["period"]["end"])
for name, texts in page["figures"].items():
    try:
        want = shown(name)
    except (KeyError, TypeError):
        errors.append("data-figure %r is no figure of the JSON" % name)
        continue
    for t in texts:
        same(name, t.strip(), want)
must = {"tickets", "not_answered", "breaches", "closed_as.spam", "closed_as.duplicate",
        "at_end.not_closed", "at_end.overdue"}
must |= {"by_status." + s for s in r["by_status"]} | {"by_level." + l for l in r["by_level"]}
must |= {"steps.%s.%s" % (s, f) for s in r["steps"] for f in
         ("standard_minutes", "count", "met", "late", "running", "compliance",
          "median_minutes", "p90_minutes")}
must |= {"receipt_to_%s.%s" % (w, f) for w in ("delivery", "archive") for f in
         ("count", "median_minutes", "p90_minutes", "sop_minutes", "within_sop")}
same("figures not shown", sorted(must - set(page["figures"])), [])

# each step's bar: met and late in percent of its count
for s, f in r["steps"].items():
    want = {}
    if f["count"]:
        met = 100.0 * f["met"] / f["count"]
        want = {"met": "%.1f" % met, "late": "%.1f" % (100 - met)}
    same("bars of " + s, page["bars"].get(s, {}), want)

# the chart: one column a week of the period, its tickets and those closed
same("chart", [(c["key"], int(c["tickets"]), int(c["closed"])) for c in page["columns"]],
     [(k, v["tickets"], v["closed"]) for k, v in r["by"]["week"].items()])

tables = page["tables"]
same("top units", [[c[0][0], c[2][0]] for c in tables.get("top-units", [])],
     [[u["name"], str(u["tickets"])] for u in r["top_units"]])
same("top kinds", [[c[0][0], c[2][0]] for c in tables.get("top-kinds", [])],
     [[u["name"], str(u["tickets"])] for u in r["top_kinds"]])
same("by unit", [[c[0] for c in row] for row in tables.get("by-unit", [])],
     [[k, str(v["tickets"]), str(v["closed"]), str(v["not_closed"]), str(v["overdue"]),
       str(v["met"]), str(v["late"]), "-" if v["compliance"] is None else "%.1f%%" % v["compliance"],
       minutes(v["delivery_median_minutes"])] for k, v in r["by"]["unit"].items()])

# the breaches: each as the JSON has it, with the words of the page
roles = {"staf": "Staf Humas", "wakor": "Wakil Koordinator PKIH",
         "koordinator": "Koordinator PKIH", "kabiro": "Kepala Biro III"}
people = {"humas1@unej.ac.id": "Staf Satu", "wakor@unej.ac.id": "Wakil Koordinator",
          "koord@unej.ac.id": "Koordinator", "kabiro@unej.ac.id": "Kepala Biro"}
rows = tables.get("breaches", [])
same("breaches", len(rows), len(r["breaches"]))
for i, (row, b) in enumerate(zip(rows, r["breaches"])):
    cells = [c[0] for c in row]
    same("breach %d" % i, cells,
         [str(i + 1), b["id"], roles.get(b["step"], {"deliver": "Penyampaian jawaban",
          "archive": "Pengarsipan"}.get(b["step"])), roles[b["role"]],
          "masih berjalan" if b["running"] else people[b["by"]], short(b["due"]),
          short(b["done"]), late_by.split(",")[i]])
    same("breach %d step" % i, row[2][1].get("data-step"), b["step"])
    same("breach %d by" % i, row[4][1].get("data-by"), b["by"] or "")
    same("breach %d minutes" % i, row[7][1].get("data-minutes"), str(b["late_minutes"]))
if errors:
    sys.exit("\n".join(errors))
PY
}

LATE_BY="5m,5m,9m,30m,5m,2d 57m,15m,1d 35m"

@test "uc3 report --format html: a well-formed page, nothing to load or run, whose every figure is the JSON's" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report "${NOV[@]}" --by unit --format html -o "$T/nov.html"
	equal "$output$stderr" ""
	page="$(read_page "$T/nov.html")"
	json="$(uc3 report "${NOV[@]}" --by unit,week --format json)"
	check_page "$page" "$json" "$LATE_BY"
	equal "$(jvals "$page" text.period text.sop figures.tickets)" "November 2026
SOP PKIH HUM-08 (rev. 2022-01-11)
[\"8\", \"8\"]"
	# the same page on standard output
	run -0 --separate-stderr uc3 report "${NOV[@]}" --by unit --format html
	equal "$output" "$(cat "$T/nov.html")"
	[[ "$output" == *'Dicetak <time datetime="2026-12-02T09:00:00+07:00">2026-12-02 09:00</time> · uc3 report --since 2026-11-01 --until 2026-12-01 --format html'* ]]
}

@test "uc3 report --format html renders in headless Chromium to two A4 pages, not blank, with its charts" {
	need_chromium
	fixture_repo november
	export_now
	uc3 report "${NOV[@]}" --format html -o "$T/nov.html"
	uc3 report --since 2026-10-01 --until 2026-11-01 --format html -o "$T/empty.html"
	chromium_pdf "$T/nov.html" "$T/nov.pdf"
	chromium_png "$T/nov.html" "$T/nov.png"
	chromium_pdf "$T/empty.html" "$T/empty.pdf"
	equal "$(pdf_a4_pages "$T/nov.pdf") $(pdf_a4_pages "$T/empty.pdf")" "2 1"
	python3 - "$(png_ink "$T/nov.png" 1d4e89)" <<'PY'
import json, sys
png = json.loads(sys.argv[1])
if (png["width"], png["height"]) != (794, 1123):
    sys.exit("unexpected PNG %dx%d" % (png["width"], png["height"]))
# Black on white, mostly paper, from the letterhead to the foot of the page.
if not 0.03 < png["ink"] < 0.3:
    sys.exit("ink covers %.3f of the page" % png["ink"])
if png["first"] > 80 or png["last"] < 1000:
    sys.exit("ink only from row %d to %d" % (png["first"], png["last"]))
# The accent of the tiles, bars and columns: the SVG charts were drawn.
if png["colour"] < 5000:
    sys.exit("only %d pixels of the accent colour" % png["colour"])
PY
}

@test "uc3 report --format html: an empty period, every figure zero or none, no breach list" {
	fixture_repo november
	export_now
	run -0 --separate-stderr uc3 report --since 2026-10-01 --until 2026-11-01 --by unit --format html -o "$T/oct.html"
	equal "$output$stderr" ""
	page="$(read_page "$T/oct.html")"
	json="$(uc3 report --since 2026-10-01 --until 2026-11-01 --by unit,week --format json)"
	check_page "$page" "$json" ""
	python3 - "$page" <<'PY'
import json, sys
p = json.loads(sys.argv[1])
assert p["text"]["period"] == "Oktober 2026", p["text"]["period"]
assert p["figures"]["steps.staf.compliance"] == ["-"], p["figures"]["steps.staf.compliance"]
assert p["figures"]["receipt_to_delivery.median_minutes"] == ["-", "-"]
assert "breaches" not in p["tables"], p["tables"].get("breaches")
assert p["text"]["no-breaches"] == "Tidak ada pelanggaran Mutu Baku dalam periode ini."
assert [c["key"] for c in p["columns"]] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"]
PY
}

@test "uc3 report --format html: a year is charted by month; the period in words" {
	fixture_repo november
	export_now
	run -0 uc3 report --since 2026-01-01 --until 2027-01-01 --format html
	printf '%s\n' "$output" >"$T/year.html"
	python3 - "$(read_page "$T/year.html")" <<'PY'
import json, sys
p = json.loads(sys.argv[1])
assert p["text"]["period"] == "1 Januari 2026 \u2013 31 Desember 2026", p["text"]["period"]
assert [c["key"] for c in p["columns"]] == ["2026-%02d" % m for m in range(1, 13)], p["columns"]
assert [(c["key"], c["tickets"]) for c in p["columns"] if c["tickets"] != "0"] == \
    [("2026-11", "8"), ("2026-12", "1")], p["columns"]
PY
	[[ "$output" == *"Tiket per bulan"* && "$output" == *">Des</text>"* ]]
	run -0 uc3 report --since '2026-11-23 09:00' --format html
	[[ "$output" == *'<div class="period" id="period">sejak 2026-11-23 09:00</div>'* ]]
}

@test "uc3 report --format html: the office's name and a unit with markup are text, escaped" {
	fixture_repo november
	export_now
	edit_policy "s|^office: .*|office: 'Kantor <i>UC3</i> \\& \"Humas\" <script>x()</script>'|" "policy: office"
	edit_policy "s|^units:\$|units:\\n  - {name: '<b>Unit</b> \\& \"Satu\" <script>alert(1)</script> ''kutip'''}|" "policy: a unit"
	act 2026-11-30T09:00:00+07:00 $S uc3 new -s "Tes" -k saran -c web --from "A <a@example.com>" \
		-m "Isi." -u '<b>Unit</b> & "Satu" <script>alert(1)</script> '"'"'kutip'"'"
	run -0 --separate-stderr uc3 report "${NOV[@]}" --format html
	printf '%s\n' "$output" >"$T/page.html"
	[[ "$output" != *"<script"* && "$output" != *"<b>Unit"* && "$output" != *"<i>UC3"* ]]
	[[ "$output" == *'&lt;b&gt;Unit&lt;/b&gt; &amp; &quot;Satu&quot; &lt;script&gt;alert(1)&lt;/script&gt; &#39;kutip&#39;'* ]]
	python3 - "$(read_page "$T/page.html")" <<'PY'
import json, sys
p = json.loads(sys.argv[1])
assert p["fetches"] == [], p["fetches"]
assert p["text"]["office"] == 'Kantor <i>UC3</i> & "Humas" <script>x()</script>', p["text"]["office"]
units = [row[0][0] for row in p["tables"]["top-units"]]
assert '<b>Unit</b> & "Satu" <script>alert(1)</script> \'kutip\'' in units, units
PY
}

@test "uc3 report --format html: the records' templates/report.html, else the installed one" {
	fixture_repo november
	export_now
	# uc3 init lays it down with the others
	equal "$(git show HEAD:templates/report.html)" "$(cat "$UC3_BUILD_DIR/share/uc3/templates/report.html")"
	sed -i 's/LAPORAN KINERJA LAYANAN/LAPORAN BULANAN KANTOR KAMI/' templates/report.html
	git commit -qam "templates: our own title"
	run -0 uc3 report "${NOV[@]}" --format html
	[[ "$output" == *"LAPORAN BULANAN KANTOR KAMI"* ]]
	# only what is committed counts: a work-tree edit is not read
	sed -i 's/LAPORAN BULANAN KANTOR KAMI/BELUM DISIMPAN/' templates/report.html
	run -0 uc3 report "${NOV[@]}" --format html
	[[ "$output" == *"LAPORAN BULANAN KANTOR KAMI"* ]]
	git checkout -q -- templates
	git rm -q templates/report.html
	git commit -qm "templates: back to the installed page"
	run -0 uc3 report "${NOV[@]}" --format html
	[[ "$output" == *"LAPORAN KINERJA LAYANAN"* ]]
	# the other formats need no template
	UC3_DATADIR="$T/nowhere" run -0 uc3 report "${NOV[@]}" --format json
}

@test "uc3 report --format html: no template, or a malformed one: exit 2, one line, nothing written" {
	fixture_repo november
	export_now
	printf '<p>\n{{#steps}}\n{{name}}\n' >templates/report.html
	git commit -qam "templates: a broken page"
	echo "the page of October" >"$T/page.html"
	snapshot
	run -2 --separate-stderr uc3 report "${NOV[@]}" --format html -o "$T/page.html"
	equal "$output" ""
	one_line_error "uc3 report" "^uc3 report: templates/report.html:2: unclosed section 'steps'$"
	equal "$(cat "$T/page.html")" "the page of October"
	run -2 --separate-stderr uc3 report "${NOV[@]}" --format html
	equal "$output" ""
	one_line_error "uc3 report" "unclosed section 'steps'"
	repo_unchanged
	git rm -q templates/report.html
	git commit -qm "templates: none of our own"
	mkdir "$T/empty"
	UC3_DATADIR="$T/empty" run -2 --separate-stderr uc3 report "${NOV[@]}" --format html -o "$T/page.html"
	equal "$output" ""
	one_line_error "uc3 report" "^uc3 report: no template report.html: not in the records' templates/, and $T/empty/templates/report.html: No such file or directory$"
	equal "$(cat "$T/page.html")" "the page of October"
}
