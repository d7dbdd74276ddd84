"""How Indonesian names are written differently for the same person.

Used by the demo generator (to write names the way registers and city lists really do) and available to
linkage for normalisation. The habits: Muhammad as M., Muh., Moh., Muhamad or Mohammad; Siti as St.;
Abdul as Abd.; Nur / Nurul; a dropped family name (marga); honorific prefixes (H., Hj.).
"""

from __future__ import annotations

import random

# canonical token -> ways it is commonly written
VARIANTS: dict[str, tuple[str, ...]] = {
    "Muhammad": ("M.", "Muh.", "Moh.", "Muhamad", "Mohammad", "Mohamad", "Muhammed"),
    "Siti": ("St.", "Sitti"),
    "Abdul": ("Abd.", "Abdoel"),
    "Nurul": ("Nur",),
    "Achmad": ("Ahmad", "Akhmad", "A."),
    "Ahmad": ("Achmad", "Akhmad", "A."),
}

# common first tokens that say little about who someone is (blocking on them explodes candidate pairs)
COMMON_FIRST_TOKENS = frozenset({"muhammad", "siti", "nur", "nurul", "abdul", "ahmad", "achmad", "putri", "dewi"})

HONORIFICS = ("H.", "Hj.")


def variant_of(name: str, rng: random.Random, rate: float = 1.0) -> str:
    """Write ``name`` the way a clerk might: replace a known token by a variant (with probability ``rate``)."""
    tokens = name.split()
    for i, token in enumerate(tokens):
        options = VARIANTS.get(token)
        if options and rng.random() < rate:
            tokens[i] = rng.choice(options)
    return " ".join(tokens)


def drop_family_name(name: str) -> str:
    """Leave out the last token of a name of three or more tokens (a dropped marga or surname)."""
    tokens = name.split()
    return " ".join(tokens[:-1]) if len(tokens) >= 3 else name
