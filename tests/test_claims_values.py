"""Claims that validate but mean nothing are errors: one line naming the file, the claim and the field.

Each case changes one spot of the seed registry; a hypothesis property feeds generated YAML to the
loader, which must end in a registry or in one-line errors, never a traceback.
"""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck import paths
from claimcheck.registry.claims import ClaimsError, load_claims

SEED = "china-belgium-ties-2023-02-26"
TOTAL = "trade-2022-jan-aug-total"
TOTAL_CLAIMED = 'claimed: {value: 28.7e+9, unit: USD, comparator: exceeds, period: "2022-01/2022-08"}'


def seed_text() -> tuple[str, str]:
    folder = paths.articles_dir() / SEED
    return (folder / "article.txt").read_text(encoding="utf-8"), (folder / "claims.yaml").read_text(encoding="utf-8")


def problems_after(tmp_path, old: str, new: str) -> list[str]:
    text, registry = seed_text()
    assert old in registry, old
    path = tmp_path / "claims.yaml"
    path.write_text(registry.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ClaimsError) as caught:
        load_claims(path, text, SEED)
    return caught.value.problems


CASES = {
    "value 1.0e+400": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("28.7e+9", "1.0e+400"), TOTAL, "claimed.value", "not a finite number"),
    "value .nan": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("28.7e+9", ".nan"), TOTAL, "claimed.value", "nan is not a finite number"),
    "negative tolerance": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("}", ", tolerance: -0.05}"), TOTAL, "claimed.tolerance", "negative"),
    "tolerance .inf": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("}", ", tolerance: .inf}"), TOTAL, "claimed.tolerance", "not a finite number"),
    "negative precision": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("}", ", precision: -0.1e+9}"), TOTAL, "claimed.precision", "more than 0"),
    "scale 0": ("compute: {op: sum}\n        label: \"MOFCOM, May 2022",
                "compute: {op: sum, scale: 0}\n        label: \"MOFCOM, May 2022",
                "bri-two-way-investment-230-billion", "evidence.0.compute.scale", "scale 0"),
    "duplicated key": (TOTAL_CLAIMED, TOTAL_CLAIMED.replace("}", ", value: 1}"), TOTAL, "line ", "duplicate key 'value'"),
    "duplicate reading ids": ("      - id: in-2022\n", "      - id: as-stated\n", None, None, None),
    "whitespace-only quote": ('quote: "two-way investments exceeding $230 billion"', 'quote: "   "',
                              "bri-two-way-investment-230-billion", "quote", "only whitespace"),
    "unknown family": ("family: trade\n", "family: tradee\n", None, "family", "unknown family 'tradee' (did you mean 'trade'?)"),
    "impossible date": ('claimed: {value: "2023-02-26", unit: date', "claimed: {value: 2023-02-30, unit: date",
                        "qin-lahbib-phone-call", "line 13", "impossible date '2023-02-30'"),
    "impossible quoted date": ('claimed: {value: "2023-02-26", unit: date', 'claimed: {value: "2023-02-30", unit: date',
                               "qin-lahbib-phone-call", "claimed", "day is out of range for month"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_meaningless_claim_is_one_error_naming_file_claim_and_field(tmp_path, case):
    old, new, claim, field, message = CASES[case]
    if case == "duplicate reading ids":  # two readings with the same id
        text, registry = seed_text()
        block = registry[registry.index("      - id: in-2022"):registry.index("\n\n  - id: bri-two-way")]
        old, new = block, block + "\n" + block
        claim, field, message = None, "(claim)", "reading ids must be unique (in-2022 given twice)"
    problems = problems_after(tmp_path, old, new)
    assert len(problems) == 1, problems
    (line,) = problems
    assert "\n" not in line and line.startswith(str(tmp_path / "claims.yaml") + ": claim '")
    if claim:
        assert f"claim '{claim}'" in line, line
    assert field in line and message in line, line


def test_the_seed_registry_is_still_valid():
    text, _ = seed_text()
    claims, _ = load_claims(paths.articles_dir() / SEED / "claims.yaml", text, SEED)
    assert len(claims) > 20


def test_a_non_utf8_claims_file_is_one_line(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"article: x\nclaims: []\n# caf\xe9\n")
    with pytest.raises(ClaimsError) as caught:
        load_claims(path, "", "x")
    assert caught.value.problems == [f"{path}: not UTF-8 text (byte 0xe9 at offset 27); save it as UTF-8"]


# ------------------------------------------------------------------------------------ property


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(string.ascii_letters + string.digits + " -:.'\"{}[]#&*!|>%@`,\n\t\\=+\r\u202e\u2066", max_size=20),
    st.sampled_from(["1.0e+400", ".nan", ".inf", "-.inf", "2023-02-30", "2023-02-26", "1980s", "~", "null"]),
)
FIELDS = ["id", "quote", "kind", "family", "statement", "claimed", "reading", "evidence", "readings", "reason",
          "value", "unit", "comparator", "period", "tolerance", "precision", "source", "snapshot", "compute",
          "op", "scale", "label", "role", "document", "measures", "inputs", "parts", "select", "text"]
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)), max_leaves=12)
claims = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "bad id", "", "evil\n", "a" * 300]), "quote": st.sampled_from(["the text", " ", "absent"]),
     "kind": st.sampled_from(["amount", "opinion", "nope"]), "statement": scalars},
    optional={name: values for name in ("claimed", "evidence", "readings", "reason", "family", "parts")})
documents = st.fixed_dictionaries({"article": st.sampled_from(["x", "y", 3]),
                                   "claims": st.one_of(st.lists(claims, max_size=3), values)},
                                  optional={"not_claims": values, "extra": values})


def one_line_errors_or_registry(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    try:
        load_claims(path, "the text of the article", "x")
    except ClaimsError as exc:
        assert exc.problems and all(isinstance(p, str) and "\n" not in p and p.startswith(str(path)) for p in exc.problems), exc.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_generated_registries_load_or_give_one_line_errors(tmp_path, document):
    one_line_errors_or_registry(tmp_path / "claims.yaml", yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(string.printable, max_size=200) | st.builds(
    lambda doc, cut: yaml.safe_dump(doc)[:cut], documents, st.integers(0, 400)))
def test_arbitrary_or_cut_yaml_text_never_raises_a_traceback(tmp_path, text):
    one_line_errors_or_registry(tmp_path / "claims.yaml", text)
