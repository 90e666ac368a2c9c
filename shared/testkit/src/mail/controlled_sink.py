"""An aiosmtpd Mailbox that fails on demand, for fault-injection tests.

The test writes control.json beside the maildir:
  {"temporary_failures": 2}   the next two messages get "451 try again later"
  {"reject": ["a@b.org"]}     that recipient gets "550 mailbox unavailable", for good
  {"answer_after_ms": 3000}   each message is stored, then "250" comes that much later:
                              a client killed in between never learns it was taken
Everything else is stored in the maildir, as aiosmtpd's Mailbox does.
"""

import asyncio
import json
import os

from aiosmtpd.handlers import Mailbox


class ControlledMailbox(Mailbox):
    def __init__(self, mail_dir):
        super().__init__(mail_dir)
        self.control = os.path.join(os.path.dirname(mail_dir), "control.json")

    def _read(self):
        try:
            with open(self.control) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _write(self, control):
        partial = self.control + ".partial"
        with open(partial, "w") as f:
            json.dump(control, f)
        os.replace(partial, self.control)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self._read().get("reject", []):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        control = self._read()
        pending = control.get("temporary_failures", 0)
        if pending > 0:
            control["temporary_failures"] = pending - 1
            self._write(control)
            return "451 4.3.0 Try again later"
        answer = await super().handle_DATA(server, session, envelope)
        delay = control.get("answer_after_ms", 0)
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        return answer
