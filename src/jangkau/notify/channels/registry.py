"""Which adapters exist, built from the settings (URLs, keys and sender ids live there, never in code)."""

from __future__ import annotations

from functools import lru_cache

from jangkau.config import Settings, get_settings
from jangkau.notify.channels.base import Channel, ChannelName
from jangkau.notify.channels.email import EmailChannel
from jangkau.notify.channels.log import LogChannel
from jangkau.notify.channels.sms import SmsChannel
from jangkau.notify.channels.whatsapp import WhatsAppChannel


def build_channels(settings: Settings) -> dict[ChannelName, Channel]:
    """The configured channels; the log channel always (it is the fallback of a server with no provider)."""
    made: dict[ChannelName, Channel] = {ChannelName.LOG: LogChannel()}
    timeout = settings.notify_http_timeout_seconds
    if settings.notify_sms_url:
        made[ChannelName.SMS] = SmsChannel(
            settings.notify_sms_url, settings.notify_sms_key, settings.notify_sms_sender, timeout
        )
    if settings.notify_whatsapp_url and settings.notify_whatsapp_phone_number_id:
        made[ChannelName.WHATSAPP] = WhatsAppChannel(
            settings.notify_whatsapp_url,
            settings.notify_whatsapp_token,
            settings.notify_whatsapp_phone_number_id,
            timeout,
        )
    if settings.notify_smtp_host:
        made[ChannelName.EMAIL] = EmailChannel(
            settings.notify_smtp_host,
            settings.notify_smtp_port,
            settings.notify_email_from,
            settings.notify_smtp_user,
            settings.notify_smtp_password,
            settings.notify_smtp_starttls,
        )
    return made


@lru_cache(maxsize=1)
def channels() -> dict[ChannelName, Channel]:
    """The process's adapters (tests clear the cache after changing the settings)."""
    return build_channels(get_settings())


def reset() -> None:
    channels.cache_clear()
