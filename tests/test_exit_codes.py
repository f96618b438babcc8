"""One line naming the file and what to do, never a traceback; one exit-status convention for every command.

0 done; 1 something failed (a check, a fetch, an article skipped); 2 a usage error or an unknown name
(as argparse uses for a bad option); 75 another run holds the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claimcheck.cli import main
from conftest import REPO

SEED = "china-belgium-ties-2023-02-26"


def claimcheck(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimcheck", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.parametrize("command", [
    ["claims", "--article", "no-such-article"],
    ["coverage", "--article", "no-such-article"],
    ["run", "--article", "no-such-article"],
    ["refresh", "--source", "nope"],
    ["refresh", "--source", "worldbank", "--snapshot", "nope"],
    ["refresh", "--all", "--snapshot", "x"],
    ["claims", "--article", "../x"],
    ["run", "--no-such-option"],
])
def test_usage_errors_and_unknown_names_exit_2_in_one_line(command, data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    try:
        status = main(command)
    except SystemExit as exited:  # argparse's own usage errors
        status = exited.code
    assert status == 2, command
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and (out + err).strip()


def in_process(command: list[str], capsys) -> subprocess.CompletedProcess:
    """What ``claimcheck`` prints and returns for ``command``, run in this process (``python -m claimcheck``
    is ``raise SystemExit(main())``): no second Python to start where a real process is not the point."""
    status = main(command)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(command, status, out, err)


@pytest.mark.parametrize("damage", ["not-utf8-text", "metadata-yaml", "metadata-date", "claims-date"])
def test_a_broken_article_file_is_one_line_naming_it_for_claims_coverage_and_run(damage, data_copy, tmp_path,
                                                                                  monkeypatch, capsys):
    folder = data_copy / "articles" / SEED
    if damage == "not-utf8-text":
        (folder / "article.txt").write_bytes((folder / "article.txt").read_bytes() + b"\xff\n")
        named = "article.txt: not UTF-8 text"
    elif damage == "metadata-yaml":
        (folder / "metadata.yaml").write_text("title: 'unclosed\n")
        named = "metadata.yaml: not valid YAML: line"
    elif damage == "metadata-date":
        text = (folder / "metadata.yaml").read_text().replace("date: 2023-02-26", "date: 2023-02-30")
        (folder / "metadata.yaml").write_text(text)
        named = "metadata.yaml: not valid YAML: line 6, column 7: impossible date '2023-02-30'"
    else:
        text = (folder / "claims.yaml").read_text().replace('value: "2023-02-26", unit: date', "value: 2023-02-30, unit: date", 1)
        (folder / "claims.yaml").write_text(text)
        named = "claims.yaml: claim 'qin-lahbib-phone-call': not valid YAML: line 13"
    env = {"CLAIMCHECK_DATA": str(data_copy), "CLAIMCHECK_BUILD": str(tmp_path / "build")}
    commands = [["claims", "--article", SEED], ["coverage", "--article", SEED], ["run", "--article", SEED]]
    if damage.startswith("metadata"):
        commands = [["run", "--article", SEED], ["articles"]]  # claims and coverage do not read the metadata
    monkeypatch.setenv("CLAIMCHECK_BUILD", env["CLAIMCHECK_BUILD"])
    for command in commands:  # `run` as a real process: its exit status and all it writes to stderr
        done = claimcheck(*command, env=env) if command[0] == "run" else in_process(command, capsys)
        assert done.returncode in (1, 2), (command, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr, (command, done.stderr[-2000:])
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and named in lines[0], (command, done.stderr)


def test_a_build_folder_that_cannot_be_written_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = claimcheck("run", "--article", SEED, "--notebook", "claims", env={"CLAIMCHECK_BUILD": str(blocker / "build")})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"claimcheck: cannot write or read {blocker / 'build'}: Not a directory; make that "
                                   "folder writable (or point CLAIMCHECK_BUILD / CLAIMCHECK_DATA at one that is)")


def test_a_sidecar_with_invalid_yaml_is_listed_as_invalid_in_one_line(data_copy):
    meta = sorted((data_copy / "reference" / "worldbank" / "gdp_current_usd").glob("*.meta.yaml"))[0]
    meta.write_text(meta.read_text() + "rows: [\n")
    done = claimcheck("sources", env={"CLAIMCHECK_DATA": str(data_copy)})
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr
    from claimcheck.reference.errors import SnapshotInvalid
    from claimcheck.reference.snapshots import read_meta

    with pytest.raises(SnapshotInvalid) as caught:
        read_meta(meta, "restore it")
    assert "\n" not in str(caught.value) and "is not valid YAML (line" in str(caught.value)
