"""Text from data on pages is isolated (an unterminated U+202E reverses nothing after it); ids are
matched whole (``evil\\n`` is refused) and bounded in length."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings, strategies as st

from claimcheck.cli import main
from claimcheck.publish import site
from claimcheck.registry.articles import ArticleError, check_article_id, list_articles, load_article
from test_site import RUN, fake_build, fake_rows

SEED = "china-belgium-ties-2023-02-26"
RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def balanced(text: str) -> bool:
    """Every embedding or override closed by a PDF and every isolate by a PDI within ``text`` (as
    Unicode's bidi algorithm pairs them: a PDI also closes the embeddings opened inside its isolate),
    and no closer that would close something opened before ``text``."""
    stack = []
    for char in text:
        if char in "\u202a\u202b\u202d\u202e":
            stack.append(PDF)
        elif char in "\u2066\u2067\u2068":
            stack.append(PDI)
        elif char == PDF:
            if not stack or stack[-1] != PDF:
                return False
            stack.pop()
        elif char == PDI:
            if PDI not in stack:
                return False
            while stack.pop() != PDI:
                pass
    return not stack


class Texts(HTMLParser):
    """Every text node and attribute value of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.in_bdi = 0
        self.isolated: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.texts += [value for _, value in attrs if value]
        self.in_bdi += tag == "bdi"

    def handle_endtag(self, tag):
        self.in_bdi -= tag == "bdi"

    def handle_data(self, data):
        self.texts.append(data)
        if self.in_bdi:
            self.isolated.append(data)


@pytest.fixture
def reversed_site(tmp_path, data_copy):
    """The seed article's pages, every statement, sentence and reason opening an override it never closes."""
    import yaml

    claims = data_copy / "articles" / SEED / "claims.yaml"
    registry = yaml.safe_load(claims.read_text(encoding="utf-8"))
    for claim in registry["claims"]:
        claim["statement"] = RLO + claim["statement"]
    claims.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rows = [{**row, "sentence": f"{RLO}{row['sentence']}", "reference": f"{LRI}x{PDI}{PDI}{PDF}"} for row in fake_rows()]
    fake_build(tmp_path, rows=rows, run=RUN)
    site.build_site(tmp_path, [SEED])
    return tmp_path


@pytest.mark.parametrize("name", ["index.html", "verdicts.html"])
def test_no_text_from_data_leaves_a_direction_control_open(reversed_site, name):
    html = (reversed_site / SEED / name).read_text(encoding="utf-8")
    assert RLO in html  # the data are shown as written
    parser = Texts()
    parser.feed(html)
    unbalanced = [t for t in parser.texts if not balanced(t)]
    assert unbalanced == []
    statement = load_article(SEED).claims[0].statement
    assert any(statement in t for t in parser.isolated)  # and sits in <bdi>, isolated both ways


def test_the_article_text_is_closed_piece_by_piece(data_copy):
    from claimcheck.show.render import highlight_article

    article = load_article(SEED)
    text = (data_copy / "articles" / SEED / "article.txt")
    quote = article.claims[0].quote
    text.write_text(text.read_text(encoding="utf-8").replace(quote, RLO + quote, 1), encoding="utf-8")
    parser = Texts()
    parser.feed(highlight_article(load_article(SEED), {}, "#claim-{id}"))
    assert all(balanced(t) for t in parser.texts)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(CONTROLS) + ["a", "b", " "]), max_size=20))
def test_bidi_closed_balances_any_text_and_keeps_what_is_balanced(text):
    from claimcheck.show.render import bidi_closed

    closed = bidi_closed(text)
    assert balanced(closed)
    assert [c for c in closed if c not in (PDF, PDI)] == [c for c in text if c not in (PDF, PDI)]  # nothing else changed
    if balanced(text):
        assert closed == text


# ------------------------------------------------------------------------------------------------ ids


@pytest.mark.parametrize("bad", ["evil\n", "evil\r\n", f"{SEED}\n", "a" * 101, "a" * 300])
def test_an_id_with_a_final_newline_or_too_long_is_refused(bad):
    with pytest.raises(ArticleError, match="is not valid"):
        check_article_id(bad)


def test_a_folder_named_with_a_final_newline_is_no_article(data_copy):
    shutil.copytree(data_copy / "articles" / SEED, data_copy / "articles" / "evil\n")
    assert list_articles() == [SEED]


@pytest.mark.parametrize("command", ["run", "claims", "coverage", "draft"])
def test_a_300_character_article_id_exits_2_with_a_usage_line(command, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    with pytest.raises(SystemExit) as exited:
        main([command, "--article", "a" * 300])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: claimcheck") and "at most 100 characters" in err and "a" * 61 not in err
    assert not (tmp_path / "build").exists()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("az09-\n\r\t./ "), max_size=12))
def test_an_id_is_accepted_exactly_when_it_is_lower_case_letters_digits_and_hyphens(text):
    import re

    valid = re.fullmatch(r"[a-z0-9][a-z0-9-]*", text) is not None
    try:
        check_article_id(text)
        accepted = True
    except ArticleError:
        accepted = False
    assert accepted == valid


def test_a_claim_id_with_a_final_newline_is_refused(data_copy, capsys):
    claims = data_copy / "articles" / SEED / "claims.yaml"
    first = load_article(SEED).claims[0].id
    claims.write_text(claims.read_text(encoding="utf-8").replace(f"id: {first}\n", f'id: "{first}\\n"\n', 1),
                      encoding="utf-8")
    assert main(["claims", "--article", SEED]) == 2
    (line,) = [line for line in capsys.readouterr().err.splitlines() if first in line]
    assert f"claim '{first}\\n': field 'id'" in line  # refused, and named on one line
