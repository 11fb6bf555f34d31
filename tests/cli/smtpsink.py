#!/usr/bin/python3
"""A local SMTP sink for the CLI tests (aiosmtpd, Debian python3-aiosmtpd).

Usage: smtpsink.py [--timeout SECONDS] DIR [PORT]

Listens on 127.0.0.1:PORT (0 or none: a free port the system picks), prints
the port on the first line of standard output and flushes it, then saves
every message it accepts to DIR/N.eml (N = 1, 2, ... in the order
received; the text as the client sent it after the DATA command, dot
stuffing undone, with LF line ends as a mailbox keeps them) and its
envelope to DIR/N.envelope (JSON: mail_from, rcpt_tos). It runs until
SIGTERM or SIGINT, or until --timeout seconds (default 300) have passed,
so that a test that dies cannot leave it running for long.

With --pipe COMMAND it also delivers each message as an /etc/aliases pipe
does: COMMAND runs under /bin/sh with the message on its standard input,
after an mbox "From SENDER DATE" line, its exit status is saved to
DIR/N.exit and its standard error to DIR/N.err, and the SMTP reply follows
the status as an MTA's does: 0 accepted (250), 75 (EX_TEMPFAIL) try again
later (451), anything else refused (554).
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, pipe=None):
        self.dir = directory
        self.pipe = pipe
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.dir, str(self.n))
        data = envelope.original_content.replace(b"\r\n", b"\n")
        with open(base + ".envelope.tmp", "w", encoding="utf-8") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.replace(base + ".envelope.tmp", base + ".envelope")
        # written whole, then renamed: a reader never sees half a message
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.replace(base + ".eml.tmp", base + ".eml")
        if not self.pipe:
            return "250 OK"
        head = "From %s %s\n" % (envelope.mail_from or "MAILER-DAEMON",
                                  time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime()))
        with open(base + ".err", "wb") as err:
            rc = subprocess.run(["/bin/sh", "-c", self.pipe], input=head.encode() + data,
                                stdout=subprocess.DEVNULL, stderr=err).returncode
        with open(base + ".exit", "w", encoding="utf-8") as f:
            f.write("%d\n" % rc)
        if rc == 0:
            return "250 OK"
        if rc == 75:
            return "451 4.3.0 delivery deferred: try again later"
        return "554 5.3.0 delivery failed"


async def serve(args):
    loop = asyncio.get_running_loop()
    sink = Sink(args.dir, args.pipe)
    # hostname given: no reverse lookup of this host, which can take seconds
    server = await loop.create_server(lambda: SMTP(sink, hostname="smtpsink.test"),
                                      host="127.0.0.1", port=args.port)
    print(server.sockets[0].getsockname()[1], flush=True)
    done = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done.set)
    try:
        await asyncio.wait_for(done.wait(), args.timeout)
    except asyncio.TimeoutError:
        print("smtpsink: stopped after %g s" % args.timeout, file=sys.stderr)
    server.close()
    await server.wait_closed()


def main():
    p = argparse.ArgumentParser(description="a local SMTP sink for the tests")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--pipe", help="deliver each message to this command, as an alias pipe")
    p.add_argument("dir")
    p.add_argument("port", type=int, nargs="?", default=0)
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
