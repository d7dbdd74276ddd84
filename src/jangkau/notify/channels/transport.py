"""The HTTP part shared by the SMS and WhatsApp adapters: one pooled httpx client, answers sorted into retry or not."""

from __future__ import annotations

from typing import Any

import httpx

from jangkau.notify.errors import ProviderRefused, ProviderUnavailable

RETRYABLE = frozenset({408, 425, 429})


def provider_message(response: httpx.Response) -> str:
    """The provider's own error text (``error.message`` in JSON, else the start of the body), at most 300 chars."""
    try:
        data: Any = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        text = error.get("message") or error.get("title") or error
        return f"HTTP {response.status_code}: {str(text)[:280]}"
    return f"HTTP {response.status_code}: {str(data)[:280]}"


def post_json(client: httpx.Client, url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """POST ``payload``; the JSON answer on 2xx.

    Raises:
        ProviderUnavailable: 429, 408, 5xx, a timeout or a connection error (retry later).
        ProviderRefused: any other 4xx (no retry helps).
    """
    try:
        response = client.post(url, json=payload, headers=headers)
    except httpx.HTTPError as exc:
        raise ProviderUnavailable(f"{type(exc).__name__}: provider not reachable") from None
    if response.status_code in RETRYABLE or response.status_code >= 500:
        raise ProviderUnavailable(provider_message(response))
    if response.status_code >= 400:
        raise ProviderRefused(provider_message(response))
    try:
        answer: Any = response.json()
    except ValueError:
        answer = {}
    return answer if isinstance(answer, dict) else {}
