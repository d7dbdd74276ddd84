"""Charts as SVG written here, server-side: bars, a line, and a tile grid coloured by coverage rate.

Only SVG presentation attributes (``fill=``, ``stroke=``), no ``style=`` and no script, so the app's CSP
(``default-src 'self'``) holds. Every text is escaped. Each chart has a ``<title>`` for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from jangkau.i18n import DEFAULT_LANGUAGE, N_, format_count, format_percent_value, gettext

BRAND = "#0b6e4f"
MUTED = "#5b6776"
LINE = "#d9dee5"
# Rate buckets (basis points) and their colours, from low (red) to high (green); grey: no estimate.
RATE_COLOURS = ((1_000, "#b3261e"), (2_500, "#e8743b"), (5_000, "#f2c14e"), (7_500, "#8cc084"), (None, "#0b6e4f"))
NO_RATE = "#c9ced6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    rate_bp: int | None
    href: str


def rate_colour(bp: int | None) -> str:
    """The fill of a tile with coverage rate ``bp``."""
    if bp is None:
        return NO_RATE
    for limit, colour in RATE_COLOURS:
        if limit is None or bp < limit:
            return colour
    return RATE_COLOURS[-1][1]


def bar_chart(
    title: str, bars: Sequence[Bar], width: int = 560, colour: str = BRAND, lang: str = DEFAULT_LANGUAGE
) -> Markup:
    """Horizontal bars, one per item, with the value written at the end of each bar (numbers in ``lang``)."""
    row, pad = 26, 8
    longest = max((len(b.label[:40]) for b in bars), default=10)
    label_w = min(280, max(110, 7 * longest + 14))  # room for the longest label (12px text is ~7px a character)
    height = max(1, len(bars)) * row + pad * 2
    top = max((b.value for b in bars), default=0) or 1
    span = width - label_w - 90
    parts = [_open(title, width, height)]
    for i, bar in enumerate(bars):
        y = pad + i * row
        w = round(span * bar.value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="{MUTED}">'
            f"{escape(bar.label[:40])}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1)}" height="{row - 8}" rx="3" fill="{colour}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="12" fill="#1d2733">'
            f"{format_count(bar.value, lang)}{escape(' ' + bar.note if bar.note else '')}</text>"
        )
    if not bars:
        no_data = gettext(N_("No data"), lang)  # outside the f-string: the catalog extractor does not read inside one
        parts.append(f'<text x="10" y="20" font-size="12" fill="{MUTED}">{escape(no_data)}</text>')
    parts.append("</svg></div>")
    return Markup("".join(parts))


LABEL_SPACING = 70  # px between the centres of two x labels ("2026-10" at 11 px is ~46 px wide)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    width: int = 560,
    lang: str = DEFAULT_LANGUAGE,
) -> Markup:
    """Lines over months: ``series`` is (name, values, colour); a legend under the plot. The x labels count back
    from the last month (always labelled, ending at the plot's edge) as often as they fit."""
    height, left, bottom, top_pad = 220, 56, 40, 12
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    top = max((v for _, values, _ in series for v in values), default=0) or 1
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top_pad + plot_h - plot_h * v / top

    parts = [_open(title, width, height)]
    for frac in (0, 0.5, 1):
        gy = top_pad + plot_h - plot_h * frac
        parts.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - 12}" y2="{gy:.1f}" stroke="{LINE}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}">'
            f"{format_count(round(top * frac), lang)}</text>"
        )
    fit = max(1, plot_w // LABEL_SPACING)
    step = max(1, -(-n // fit))
    for i, label in enumerate(labels):
        if (n - 1 - i) % step == 0:
            anchor = "end" if i == n - 1 and n > 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" font-size="12" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    for k, (name, values, colour) in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        if values:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
            parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for i, v in enumerate(values)]
        lx = left + k * min(150, (width - left) // max(len(series), 1))
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="12" height="4" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{height - 9}" font-size="12" fill="#1d2733">{escape(name)}</text>'
        )
    parts.append("</svg></div>")
    return Markup("".join(parts))


TILE_CHARS = 14  # what fits across a 92 px tile at 12 px


def tile_lines(label: str, width: int = TILE_CHARS) -> list[str]:
    """A region name on at most two lines of ``width`` characters, broken between words; what still does not fit
    ends in an ellipsis."""
    if len(label) <= width:
        return [label]
    words, first = label.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one long word
        first, rest = label[:width], label[width:].strip()
    else:
        rest = " ".join(words)
    return [first, rest if len(rest) <= width else rest[: width - 1] + "…"]


def tile_grid(title: str, tiles: Sequence[Tile], columns: int = 6, lang: str = DEFAULT_LANGUAGE) -> Markup:
    """A map-like grid: one tile per region, coloured by coverage rate, linking to that region's page (rates
    written in ``lang``)."""
    size, gap = 92, 6
    rows = max(1, -(-len(tiles) // columns))
    width = columns * (size + gap) + gap
    height = rows * (size + gap) + gap + 30
    parts = [_open(title, width, height)]
    for i, tile in enumerate(tiles):
        cx, cy = gap + (i % columns) * (size + gap), gap + (i // columns) * (size + gap)
        ink = "#ffffff" if tile.rate_bp is not None and (tile.rate_bp < 2_500 or tile.rate_bp >= 7_500) else "#1d2733"
        lines = tile_lines(tile.label)
        rate = format_percent_value(None if tile.rate_bp is None else tile.rate_bp / 100, lang, 2)
        name = "".join(
            f'<text x="{cx + size / 2}" y="{cy + 38 - 7 * (len(lines) - 1) + 14 * k}" text-anchor="middle" '
            f'font-size="12" fill="{ink}">{escape(line)}</text>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<a href="{escape(tile.href)}"><rect x="{cx}" y="{cy}" width="{size}" height="{size}" rx="6" '
            f'fill="{rate_colour(tile.rate_bp)}">'
            f"<title>{escape(tile.label)}: {escape(rate)}</title></rect>{name}"
            f'<text x="{cx + size / 2}" y="{cy + 60 + 4 * (len(lines) - 1)}" text-anchor="middle" font-size="14" '
            f'font-weight="700" fill="{ink}">{escape(rate)}</text></a>'
        )
    legend_y = height - 18
    for k, (limit, colour) in enumerate(RATE_COLOURS):
        label = f"< {limit // 100} %" if limit else "≥ 75 %"
        parts.append(
            f'<rect x="{gap + k * 80}" y="{legend_y}" width="14" height="12" fill="{colour}"/>'
            f'<text x="{gap + k * 80 + 18}" y="{legend_y + 10}" font-size="12" fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append("</svg></div>")
    return Markup("".join(parts))


def _open(title: str, width: int, height: int) -> str:
    """A chart is drawn at its own size, never shrunk (its text stays 12 px or more): on a screen narrower than
    the chart, its box scrolls sideways (``.chart-scroll``) and the page keeps the screen's width."""
    return (
        f'<div class="chart-scroll"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart"><title>{escape(title)}</title>'
    )
