"""``claimcheck draft`` loads the parser in a worker process while it reads the catalogue and the text:
the same draft as parsing in one process, and Ctrl-C, a kill or an early error leave no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import SEED
from processes import TAG, survivors, tagged
from test_interrupt import interrupt

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "draft_texts"


@pytest.fixture
def long_article(data_copy) -> str:
    """An article of several draft texts in a row: more sentences with numbers than one batch holds."""
    text = "\n\n".join((folder / "article.txt").read_text(encoding="utf-8")
                       for folder in sorted(TEXTS.iterdir()) if (folder / "article.txt").is_file())
    folder = data_copy / "articles" / "long-draft"
    folder.mkdir()
    (folder / "article.txt").write_text(text, encoding="utf-8")
    (folder / "metadata.yaml").write_text("title: Several texts\ndate: 2023-02-26\nlanguage: en\n", encoding="utf-8")
    return "long-draft"


def _command(article_id: str) -> list[str]:
    # the command as a user runs it, then what its own process imported
    code = ("import sys\nfrom claimcheck.cli import main\nrc = main(['draft', '--article', sys.argv[1]])\n"
            "print('spacy' in sys.modules, file=sys.stderr)\nsys.exit(rc)")
    return [sys.executable, "-c", code, article_id]


def test_the_command_parses_in_its_worker_and_drafts_what_one_process_drafts(long_article):
    from claimcheck.draft.propose import draft_article
    from claimcheck.draft.structure import Structure
    from claimcheck.draft.write import render
    from claimcheck.registry.articles import load_article
    from claimcheck.registry.coverage import find_numbers

    done = subprocess.run(_command(long_article), capture_output=True, text=True, env=os.environ, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "False"  # the command's own process never imported spaCy
    article = load_article(long_article)
    assert done.stdout == render(draft_article(article))
    numbers = [(m.start, m.end) for m in find_numbers(article.text)]
    assert len(Structure(article.text, numbers).offsets) > 2 * Structure.BATCH  # batches read in order


def test_ctrl_c_while_the_worker_loads_the_parser_is_one_line_and_leaves_nothing(long_article):
    tag = uuid.uuid4().hex
    env = {**os.environ, TAG: tag}
    started = time.monotonic()
    done = interrupt([sys.executable, "-m", "claimcheck", "draft", "--article", long_article], env,
                     lambda: len(tagged(tag)) >= 2 or time.monotonic() - started > 5)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["claimcheck: draft interrupted (Ctrl-C)"]
    assert survivors(tag, within=5) == []


def test_a_killed_draft_leaves_no_worker(long_article):
    tag = uuid.uuid4().hex
    process = subprocess.Popen([sys.executable, "-m", "claimcheck", "draft", "--article", long_article],
                               env={**os.environ, TAG: tag}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(tagged(tag)) < 2 and time.monotonic() < deadline:  # the command and its worker
        time.sleep(0.02)
    assert len(tagged(tag)) == 2
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert survivors(tag, within=10) == []


def test_a_draft_that_fails_before_parsing_ends_its_worker(long_article, data_copy):
    catalogue = data_copy / "reference" / "catalogue" / "worldbank.yaml"
    catalogue.unlink()  # a hard link into the committed data: replaced, never written through
    catalogue.write_text("source: worldbank\nsnapshots: [\n", encoding="utf-8")
    tag = uuid.uuid4().hex
    done = subprocess.run([sys.executable, "-m", "claimcheck", "draft", "--article", long_article],
                          capture_output=True, text=True, env={**os.environ, TAG: tag}, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "worldbank.yaml" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert survivors(tag, within=5) == []


def test_a_worker_starts_with_one_blas_thread_unless_told_otherwise():
    code = ("from claimcheck.workers import start_worker\nstart_worker()\nimport os, numpy\n"
            "threads = [l for l in open('/proc/self/status') if l.startswith('Threads:')][0].split()[1]\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'], threads)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert alone.stdout.split() == ["1", "1"]  # numpy's import started no thread of its own
    told = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**env, "OPENBLAS_NUM_THREADS": "3"})
    assert told.stdout.split()[0] == "3"


_WORKER_PROBE = """
import sys
from claimcheck.draft import parse
{setup}
def probe(sentence):
    doc = parse.nlp()(sentence)
    return [t.dep_ for t in doc], sorted(m for m in ("typer", "weasel", "requests") if m in sys.modules)
parse.load_in_background()
print(next(parse.run(probe, ["Brazil's GDP grew 2.9% in 2022."])))
parse.stop()
"""


def test_the_worker_imports_spacy_without_its_command_line():
    # spaCy's package imports its command-line interface (typer, weasel, requests) for one name
    # the worker never uses: a third of spaCy's import
    done = subprocess.run([sys.executable, "-c", _WORKER_PROBE.format(setup="")], capture_output=True, text=True,
                          check=True, timeout=120)
    deps, imported = eval(done.stdout)  # noqa: S307 - the probe's own printed tuple
    from claimcheck.draft import parse

    assert deps == [t.dep_ for t in parse.nlp()("Brazil's GDP grew 2.9% in 2022.")]
    assert imported == []


def test_a_spacy_that_wants_more_of_its_command_line_is_imported_whole():
    setup = "parse._COMMAND_LINE = {'spacy.cli': {}, 'spacy.cli.info': {}}  # as if spaCy imported a name this lacks"
    done = subprocess.run([sys.executable, "-c", _WORKER_PROBE.format(setup=setup)], capture_output=True, text=True,
                          check=True, timeout=120)
    deps, imported = eval(done.stdout)  # noqa: S307
    assert deps[:3] == ["poss", "case", "nsubj"] and "typer" in imported


def test_the_command_forks_its_worker_before_it_imports_the_registry():
    # the worker's import of spaCy is the draft's longest step: it starts before the command's own imports
    code = ("import sys\nfrom claimcheck.draft import parse\nstart = parse.load_in_background\n"
            "def noted():\n    print(sorted(m for m in ('pydantic', 'yaml', 'claimcheck.registry.claims') if m in sys.modules))\n"
            "    start()\nparse.load_in_background = noted\nfrom claimcheck.cli import main\n"
            "sys.exit(main(['draft', '--article', sys.argv[1]]))")
    done = subprocess.run([sys.executable, "-c", code, SEED], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[0] == "[]", done.stdout[:300] + done.stderr
