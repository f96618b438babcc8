"""Every number of an article is inside a claim's quote or listed as not a claim."""

from __future__ import annotations

import shutil

from claimcheck import paths
from claimcheck.registry.articles import load_article
from claimcheck.cli import main
from claimcheck.registry.coverage import find_numbers, find_uncovered

SEED = "china-belgium-ties-2023-02-26"


def test_the_finder_sees_numerals_amounts_decades_words_and_ordinals():
    found = [m.text for m in find_numbers(
        "Trade grew 14.3 per cent to $28.7 billion, 1,250 jobs in the 1980s; over five decades, "
        "the second largest, 26th Feb, 3%."
    )]
    assert found == ["14.3 per cent", "$28.7 billion", "1,250", "1980s", "five decades", "second largest",
                     "26th", "3%"]


def test_number_words_inside_other_words_are_not_numbers():
    assert find_numbers("It alone is someone's tone; done.") == []


def test_the_seed_article_is_fully_covered():
    assert find_uncovered(load_article(SEED)) == []


def test_an_uncovered_number_is_reported(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir() / "articles" / SEED, data / "articles" / SEED)
    monkeypatch.setenv("CLAIMCHECK_DATA", str(data))
    text_file = data / "articles" / SEED / "article.txt"
    text_file.write_text(text_file.read_text() + "\nSome 42 ministers attended.\n")

    uncovered = find_uncovered(load_article(SEED))
    assert [m.text for m in uncovered] == ["42"]

    assert main(["coverage", "--article", SEED]) == 1
    assert "'42'" in capsys.readouterr().out


def test_coverage_passes_from_the_command_line(capsys):
    assert main(["coverage", "--article", SEED]) == 0
    assert "every number" in capsys.readouterr().out


def test_coverage_time_grows_linearly_with_the_text():
    """Eight times the text takes about eight times as long (64 times when each number recounted the lines).

    Small and large runs alternate and each round gives its own ratio, so a slow spell of the shared
    machine touches both sides of a ratio; the median of the rounds is compared.
    """
    import statistics
    import time

    from claimcheck.registry.articles import load_article

    article = load_article("china-belgium-ties-2023-02-26")
    article.claims, article.not_claims  # loaded against the real text, then the text is repeated
    base = article.text + "\n"
    copies = int(250_000 / len(base.encode())) + 1  # about 0.25 MB, then 2 MB

    def seconds(n: int) -> float:
        article.__dict__["text"] = base * n
        started = time.perf_counter()
        assert find_uncovered(article) == []  # every repeat is covered by the same quotes
        return time.perf_counter() - started

    ratios = [seconds(8 * copies) / seconds(copies) for _ in range(3)]
    assert statistics.median(ratios) < 20, ratios
