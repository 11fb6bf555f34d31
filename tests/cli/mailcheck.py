#!/usr/bin/python3
"""Read mail files back as a strict reader does, for the CLI tests.

Usage: mailcheck.py FILE.eml...

Each file is parsed with email.parser.BytesParser(policy=email.policy.strict)
and printed as one JSON object a line, in the order given, with:

  file          the path given
  headers       the header names in order, as written
  from, to      the decoded header values ("Name <addr>, ..."), "" when absent
  from_addrs, to_addrs   [[display name, addr-spec], ...]
  subject       decoded
  date          ISO 8601 with the offset written
  message_id, in_reply_to   as written, unfolded; "" when absent
  references    the ids of References, a list
  content_type, charset, cte
  body          the decoded text
  max_line      the longest raw line of the file in octets, line end excluded
  defects       the defects Python found in the headers (a list of names)

Exit 0 when every file parses without a defect; 1 (after the files that
did parse) when one does not, naming it on stderr; 2 on bad usage.
"""

import email.parser
import email.policy
import json
import re
import sys


def check(path):
    with open(path, "rb") as f:
        raw = f.read()
    m = email.parser.BytesParser(policy=email.policy.strict).parsebytes(raw)
    defects = [type(d).__name__ for d in m.defects]
    for name, value in m.items():
        defects += ["%s: %s" % (name, type(d).__name__) for d in getattr(value, "defects", ())]

    def text(name):
        v = m[name]
        return "" if v is None else str(v)

    def addrs(name):
        v = m[name]
        return [[a.display_name, a.addr_spec] for a in v.addresses] if v is not None else []

    def unfolded(name):
        v = m.get(name)
        return "" if v is None else re.sub(r"\s+", " ", str(v)).strip()

    date = m["Date"]
    return {
        "file": path,
        "headers": list(m.keys()),
        "from": text("From"),
        "to": text("To"),
        "from_addrs": addrs("From"),
        "to_addrs": addrs("To"),
        "subject": text("Subject"),
        "date": date.datetime.isoformat() if date is not None and date.datetime else "",
        "message_id": unfolded("Message-ID"),
        "in_reply_to": unfolded("In-Reply-To"),
        "references": re.findall(r"<[^<>]*>", unfolded("References")),
        "content_type": m.get_content_type(),
        "charset": m.get_content_charset() or "",
        "cte": text("Content-Transfer-Encoding"),
        "body": m.get_content(),
        "max_line": max(len(l.rstrip(b"\r")) for l in raw.split(b"\n")),
        "defects": defects,
    }, defects


def main(argv):
    if len(argv) < 2:
        print("usage: mailcheck.py FILE.eml...", file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        try:
            out, defects = check(path)
        except Exception as e:  # strict: a defect raises
            print("mailcheck: %s: %s: %s" % (path, type(e).__name__, e), file=sys.stderr)
            status = 1
            continue
        print(json.dumps(out, ensure_ascii=False))
        if defects:
            print("mailcheck: %s: defects: %s" % (path, ", ".join(defects)), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
