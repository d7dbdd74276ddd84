"""One adapter per channel behind :class:`jangkau.notify.channels.base.Channel`; ``registry.channels()`` picks."""
