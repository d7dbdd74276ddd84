"""Python modules pass English catalog texts, never a hand-written Indonesian literal (ADR 0016).

An AST scan of ``src/jangkau``: a refusal (a ``JangkauError`` subclass or ``FieldError``) built from two string
literals (English, Indonesian), a literal ``message_id=``, a ``{"id": ..., "en": ...}`` label pair, or a literal
``name_id=``/``label_id=``/``status_id=``/``summary_id=`` is a text outside the catalog. The right form is
``bilingual(N_("English"))`` for a refusal and an ``N_``-marked English label translated where it is shown.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import jangkau

SRC = Path(jangkau.__file__).resolve().parent
MODULES = sorted(p.relative_to(SRC.parent).as_posix() for p in SRC.rglob("*.py"))
PAIR_SUFFIX_KEYWORDS = {"message_id", "name_id", "label_id", "status_id", "summary_id", "title_id", "text_id"}
ROOT_CLASSES = {"JangkauError", "FieldError"}
# The marks pybabel extracts (jangkau.i18n_tools.KEYWORDS); it does not read them inside an f-string.
EXTRACTED_CALLS = {"N_", "gettext", "ngettext", "pgettext"}
# Class methods and module helpers that build a refusal from (field, English, Indonesian) texts.
REFUSAL_BUILDERS = {"for_field"}

# Modules whose raise sites and labels the issue-18 helpers are still converting (emptied after the merge).
NOT_YET_CONVERTED: set[str] = set()


def _error_classes() -> set[str]:
    """Names of every class that derives (by name, across modules) from JangkauError or FieldError."""
    bases: dict[str, set[str]] = {}
    for module in MODULES:
        tree = ast.parse((SRC.parent / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                bases.setdefault(node.name, set()).update(names)
    found = set(ROOT_CLASSES)
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                grew = True
    return found


ERROR_CLASSES = _error_classes()


def _literal(node: ast.expr) -> bool:
    """A string literal with letters: a constant, an f-string with literal words, or a sum of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_literal(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left) or _literal(node.right)
    return False


def _label(node: ast.expr) -> bool:
    """A literal that reads as a label (not a locale code such as "id_ID" beside "en")."""
    return _literal(node) and not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", str(getattr(node, "value", "")))


def _callee(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _call_problems(node: ast.Call) -> list[str]:
    found = []
    name = _callee(node)
    literals = [a for a in node.args if _literal(a)]
    if (name in ERROR_CLASSES or name in REFUSAL_BUILDERS) and len(literals) >= 2:
        found.append(f"line {node.lineno}: {name}() with literal texts (use bilingual(N_(...)))")
    for keyword in node.keywords:
        if keyword.arg in PAIR_SUFFIX_KEYWORDS and _literal(keyword.value):
            found.append(f"line {node.lineno}: literal {keyword.arg}= (pass the N_-marked English)")
    return found


def _fstring_problems(node: ast.JoinedStr) -> list[str]:
    return [
        f"line {node.lineno}: {_callee(inner)}() inside an f-string (pybabel does not see it)"
        for inner in ast.walk(node)
        if isinstance(inner, ast.Call) and _callee(inner) in EXTRACTED_CALLS
    ]


def _dict_problems(node: ast.Dict) -> list[str]:
    found = []
    keys = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
    if _label(keys.get("id", ast.Constant(None))) and _label(keys.get("en", ast.Constant(None))):
        found.append(f'line {node.lineno}: {{"id": ..., "en": ...}} label pair (use N_("English"))')
    for key in PAIR_SUFFIX_KEYWORDS & set(keys):
        if _literal(keys[key]):
            found.append(f"line {node.lineno}: literal {key!r} (pass the N_-marked English)")
    return found


def problems(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found += _call_problems(node)
        elif isinstance(node, ast.JoinedStr):
            found += _fstring_problems(node)
        elif isinstance(node, ast.Dict):
            found += _dict_problems(node)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_module_passes_catalog_texts(module: str) -> None:
    found = problems((SRC.parent / module).read_text(encoding="utf-8"))
    if module in NOT_YET_CONVERTED:
        assert found, f"{module} is converted: remove it from NOT_YET_CONVERTED"
        pytest.xfail(f"still being converted (issue 18): {found}")
    assert found == []


def test_the_scan_finds_literal_messages() -> None:
    cases = {
        'raise InvalidInput("Bad date", "Tanggal salah", "bad_date")': True,
        'raise InvalidInput(*bilingual(N_("Bad date")), code="bad_date")': False,
        'FieldError("nik", "16 digits", "16 angka")': True,
        'FieldError("nik", *bilingual(N_("16 digits")))': False,
        'FieldError("nik", f"{n} digits", f"{n} angka")': True,
        'raise NotFound(f"no rule {r!r}", "tidak ada aturan " + r)': True,
        'InvalidInput.for_field("cap", "give --cap", "isi --cap")': True,
        'InvalidInput.for_field("cap", *bilingual(N_("give --cap")))': False,
        'JangkauError("x", message_id="Tanggal salah", code="c")': True,
        'LABELS = {"lapsed": {"id": "Menunggak", "en": "Lapsed"}}': True,
        'row = {"label": N_("Lapsed"), "code": "lapsed"}': False,
        'Item(code="x", name_id="Iuran", name="Contribution")': True,
        "svg = f\"<text>{gettext(N_('No data'), lang)}</text>\"": True,
    }
    for source, leaks in cases.items():
        assert bool(problems(source)) is leaks, source
