"""Every word a template shows comes from the catalog (ADR 0016).

Each template is parsed with the app's Jinja environment and its syntax tree walked:
- the literal HTML between tags (``TemplateData``) may hold markup, numbers and punctuation, but no word of two or
  more letters outside a tag, nor in an attribute a person reads (placeholder, title, alt, aria-label, value of a
  button), except the short list of non-language tokens below;
- a string constant printed directly (``{{ 'Ya' }}``, ``{{ 'Lunas' if paid else 'Belum' }}``) counts as text;
- ``lang == ...`` (a hand-made language switch) is forbidden: the catalog is the switch;
- the legacy key table ``t(...)`` is forbidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jinja2 import nodes

from jangkau.web.kit import templates

TEMPLATE_DIR = Path(templates.env.loader.searchpath[0])  # type: ignore[union-attr]
NAMES = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("*.html"))

# Tokens that are not language: they read the same on the English and the Indonesian page.
ALLOWED_WORDS = {
    # brand and institutions
    "Jangkau",
    "BPJS",
    "Ketenagakerjaan",
    "OPD",
    "APBD",
    "APBDes",
    "CSR",
    "DJS",
    "Disnaker",
    "SIDUTA",
    "PKS",
    # programmes and membership kinds (legal abbreviations, the same in both languages)
    "JKK",
    "JKM",
    "JHT",
    "JP",
    "JKP",
    "BPU",
    "PU",
    # identifiers and units people read as codes
    "NIK",
    "NPWP",
    "NIB",
    "RT",
    "RW",
    "Rp",
    "PDF",
    "CSV",
    "XLSX",
    "QR",
    "API",
    "SLA",
    "ID",
    "SMS",
    "OTP",
    "TOTP",
    "WIB",
    "UTC",
    "IP",
    "NPP",  # an employer's BPJS registration number
    "AK",  # the job-seeker card AK/1
    "MoU",  # memorandum of understanding: the same abbreviation in Indonesian usage
    "KB",
    "MB",
    # the language switch names each language in itself
    "Bahasa",
    "Indonesia",
    "English",
    "cron",
    "otpauth",
    "WhatsApp",
    "PDS",
}
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")

# Documents that are only ever written in Bahasa Indonesia, with the reason.
INDONESIAN_ONLY = {
    # a compliance letter from the BPJS branch to an employer is an official letter: Law 24/2009 art. 33 requires
    # Bahasa Indonesia in official communications, and the legal wording is fixed (it is never rendered in English)
    "compliance/letter.html",
}

# Templates still being converted by the issue-18 helpers (emptied after the merge).
NOT_YET_CONVERTED: set[str] = set()

WORD = re.compile(r"[^\W\d_]{2,}")
MARK = "\x00{}\x00"
MARK_RE = re.compile(r"\x00(\d+)\x00")


@dataclass
class Scan:
    text: list[str] = field(default_factory=list)
    constants: dict[int, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _constants(expr: nodes.Node) -> Iterator[str]:
    """String constants an output expression prints as they are (not inside a call, filter or test)."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, nodes.CondExpr):
        yield from _constants(expr.expr1)
        if expr.expr2 is not None:
            yield from _constants(expr.expr2)
    elif isinstance(expr, nodes.Concat):
        for item in expr.nodes:
            yield from _constants(item)
    elif isinstance(expr, nodes.Or | nodes.And):
        yield from _constants(expr.left)
        yield from _constants(expr.right)


def _walk(node: nodes.Node, scan: Scan) -> None:
    if isinstance(node, nodes.TemplateData):
        scan.text.append(node.data)
        return
    if isinstance(node, nodes.Output):
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                scan.text.append(child.data)
            else:
                index = len(scan.constants)
                scan.constants[index] = list(_constants(child))
                scan.text.append(MARK.format(index))
                _walk(child, scan)
        return
    if isinstance(node, nodes.Compare):
        operands = [node.expr, *(op.expr for op in node.ops)]
        if any(isinstance(o, nodes.Name) and o.name == "lang" for o in operands):
            scan.problems.append(f"line {node.lineno}: a lang comparison (use _() and the catalog)")
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "t":
        scan.problems.append(f"line {node.lineno}: t(...) from the legacy key table (use _())")
    for child in node.iter_child_nodes():
        _walk(child, scan)
    if isinstance(node, nodes.Block | nodes.If | nodes.For | nodes.Macro):
        scan.text.append(MARK.format(-1))


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in ALLOWED_WORDS]


def _visible_attributes(tag: str) -> Iterator[str]:
    for name in VISIBLE_ATTRIBUTES:
        for match in re.finditer(rf'\s{name}\s*=\s*"([^"]*)"', tag):
            yield match.group(1)
    if re.match(r'<input\b[^>]*\btype="(submit|button)"', tag):
        for match in re.finditer(r'\svalue\s*=\s*"([^"]*)"', tag):
            yield match.group(1)


def problems(source: str) -> list[str]:
    scan = Scan()
    _walk(templates.env.parse(source), scan)
    joined = "".join(scan.text)
    joined = re.sub(r"<!--.*?-->", " ", joined, flags=re.S)
    # scripts, styles and code (commands, identifiers) are not prose
    joined = re.sub(r"<(script|style|code)\b.*?</\1\s*>", " ", joined, flags=re.S | re.I)
    found = list(scan.problems)
    visible_marks: set[int] = set()

    def tag(match: re.Match[str]) -> str:
        for value in _visible_attributes(match.group(0)):
            visible_marks.update(int(i) for i in MARK_RE.findall(value))
            if words := _words(MARK_RE.sub(" ", value)):
                found.append(f"attribute text {' '.join(words)!r}")
        return " "

    outside = re.sub(r"<[^>]*>", tag, joined)
    outside_marks = {int(i) for i in MARK_RE.findall(outside)}
    outside = re.sub(r"&[#\w]+;", " ", MARK_RE.sub(" ", outside))
    if words := _words(outside):
        found.append(f"text outside _(): {' '.join(dict.fromkeys(words))!r}")
    for index in sorted((outside_marks | visible_marks) - {-1}):
        for constant in scan.constants.get(index, []):
            if _words(constant):
                found.append(f"string constant printed as text: {constant!r}")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_template_shows_only_catalog_text(name: str) -> None:
    if name in INDONESIAN_ONLY:
        pytest.skip("an official document written in Bahasa Indonesia only")
    found = problems(TEMPLATE_DIR.joinpath(name).read_text(encoding="utf-8"))
    if name in NOT_YET_CONVERTED:
        assert found, f"{name} is converted: remove it from NOT_YET_CONVERTED"
        pytest.xfail(f"still being converted (issue 18): {found}")
    assert found == []


def test_the_scan_finds_untranslated_text() -> None:
    """The scanner itself: each kind of leak is caught, marked text and markup are not."""
    cases = {
        "<p>Belum lunas</p>": True,
        "<p>{{ _('Not paid') }} <b>NIK</b> {{ x|rupiah }} 12.3 %</p>": False,
        '<input placeholder="Cari nama">': True,
        '<input placeholder="{{ _(\'Search name\') }}" class="wide">': False,
        "<td>{{ 'Ya' if x else 'Tidak' }}</td>": True,
        "<td class=\"{{ 'ok' if x else 'warn' }}\">{{ _('Yes') }}</td>": False,
        "{% if lang == 'id' %}x{% endif %}": True,
        "<style>.card { margin: 0 }</style><script>let go = 1;</script>": False,
    }
    for source, leaks in cases.items():
        assert bool(problems(source)) is leaks, source
