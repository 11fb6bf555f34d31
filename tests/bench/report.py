#!/usr/bin/env python3
"""report.py REPO SINCE UNTIL NOW: the counts of `uc3 report` the short way.

The reference of report.sh: what an office would otherwise write over the
records with Python and PyYAML. It reads every ticket file of the month
folders that may hold the period (as uc3 does, two days of margin) from
the tip of REPO with one `git cat-file --batch`, parses each with PyYAML
(its C loader when built with libyaml), and prints, as one JSON object,
the counts uc3-report(1) defines for the tickets received in [SINCE,
UNTIL) (dates, midnight in the policy's zone) as they stood at the end,
min(UNTIL, NOW) (RFC 3339):

  tickets, by_status, steps.NAME.{count, met, late}

A step ended by the end is met or late as its event recorded; the step
running at the end (a ticket not closed) is late when its due is before
the end, and otherwise not counted. Events after the end are left out;
the running step is the file's, so for an end before the last event of
a ticket (a period that ends before NOW) this is only approximate.
"""
import datetime as dt
import json
import subprocess
import sys
import zoneinfo

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ENDS = {"escalate", "answer", "deliver", "close", "reopen"}
STATUS_AFTER = {"answer": "answered", "deliver": "delivered", "close": "closed", "reopen": "open"}
RUNNING = {"answered": "deliver", "delivered": "archive"}


def when(v):
    if isinstance(v, dt.datetime):
        return v
    return dt.datetime.fromisoformat(str(v))


def git(repo, *args, data=None):
    return subprocess.run(["git", "-C", repo, *args], input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def main():
    repo, since, until, now = sys.argv[1:5]
    policy = yaml.load(git(repo, "show", "HEAD:uc3.yaml"), Loader=Loader)
    tz = zoneinfo.ZoneInfo(policy.get("timezone", "UTC"))
    since = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), tz)
    until = dt.datetime.combine(dt.date.fromisoformat(until), dt.time(), tz)
    end = min(until, when(now))
    margin = dt.timedelta(days=2)

    blobs = []
    for line in git(repo, "ls-tree", "-r", "HEAD", "--", "tickets/").decode().splitlines():
        meta, path = line.split("\t", 1)
        parts = path.split("/")
        if len(parts) != 4 or meta.split()[1] != "blob":
            continue
        try:
            y, m = int(parts[1]), int(parts[2])
            first = dt.datetime(y, m, 1, tzinfo=tz)
            nxt = dt.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=tz)
            if first - margin >= until or nxt + margin <= since:
                continue
        except ValueError:
            pass
        blobs.append(meta.split()[2])

    out = git(repo, "cat-file", "--batch", data=("\n".join(blobs) + "\n").encode())
    counts = {"tickets": 0, "by_status": {s: 0 for s in ("open", "answered", "delivered", "closed")},
              "steps": {}}
    steps = counts["steps"]

    def step(name, late):
        s = steps.setdefault(name, {"count": 0, "met": 0, "late": 0})
        s["count"] += 1
        s["late" if late else "met"] += 1

    pos = 0
    for _ in blobs:
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        data = out[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
        try:
            t = yaml.load(data, Loader=Loader)
            received = when(t["received"])
        except Exception:
            continue
        if not since <= received < until:
            continue
        counts["tickets"] += 1
        status = "open"
        for e in t.get("events") or []:
            if when(e["at"]) > end:
                break
            a = e.get("action")
            if a in ENDS and (e.get("step") or {}).get("name"):
                step(e["step"]["name"], bool(e["step"].get("late")))
            status = STATUS_AFTER.get(a, status)
        counts["by_status"][status] += 1
        # the step running at the end (the file's, whose events all came by then)
        if status != "closed" and t.get("deadline") is not None and when(t["deadline"]) < end:
            step(t["level"] if status == "open" else RUNNING[status], True)
    json.dump(counts, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
