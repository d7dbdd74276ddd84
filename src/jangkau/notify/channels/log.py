"""The channel of a server with no provider configured (demo, ``make run``): the message goes to the log, masked.

The line holds the use, the masked address and the variables with the personal ones masked (a one-time code is
not personal: a demo user reads it there), never the name or the full number.
"""

from __future__ import annotations

import logging
import uuid

from jangkau.notify.addresses import mask_address
from jangkau.notify.channels.base import ChannelName
from jangkau.notify.templates import Rendered, catalog

logger = logging.getLogger("jangkau.notify.log_channel")


class LogChannel:
    name = ChannelName.LOG

    def send(self, address: str, message: Rendered, reference: str) -> str:
        template = catalog().get(message.use)
        shown = {
            name: ("***" if name in template.personal else value)
            for name, value in zip(template.variables, message.parameters, strict=True)
        }
        logger.warning("message %s %s to %s (no provider configured): %s", reference, message.use,
                       mask_address(address), shown)  # fmt: skip
        return f"log-{uuid.uuid4().hex[:12]}"
