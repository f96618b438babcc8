"""What a reader is told a verdict means: a short label and one sentence, for every verdict name.

The names (``verdicts.csv``, ``judge.verdicts.VERDICTS``) are the contract with programs; readers of the
site see these words instead. Both the names of this round and the names they replace are here, so a
build published with either reads the same.
"""

from __future__ import annotations

READER_VERDICTS: dict[str, tuple[str, str]] = {
    "supported": ("Holds up", "The figures we found bear the claim out."),
    "imprecise": ("Close, not exact", "The figure is close to what the sources show, but further off than honest "
                  "sources usually differ from one another."),
    "misleading": ("Misleading", "The numbers hold only under another reading than the article's, or leave out "
                   "something that reverses their sense."),
    "contradicted": ("Wrong", "The sources we checked clearly disagree with the claim."),
    "unverifiable": ("No evidence found", "We found no public evidence that settles the claim either way."),
    "not-held": ("Not checked yet", "Public figures exist for this claim, but they were not yet collected "
                 "for this page."),
    "not-checkable": ("Cannot be checked", "A forecast, a judgement or an opinion: there is nothing to measure "
                      "it against."),
    "error": ("Not checked (an error)", "Something went wrong when this page was built, so the claim is not "
              "checked yet; the reason is given with the claim."),
}
NO_VERDICT = ("Not judged", "This claim was not judged in this build.")


def label(verdict: str | None) -> str:
    """The reader's label of a verdict name (``not-held`` → ``Not checked yet``)."""
    return READER_VERDICTS.get(verdict or "", NO_VERDICT)[0] if verdict else NO_VERDICT[0]


def meaning(verdict: str | None) -> str:
    """The one sentence that tells a reader what the verdict means."""
    return READER_VERDICTS.get(verdict or "", NO_VERDICT)[1] if verdict else NO_VERDICT[1]
