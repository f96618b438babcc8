"""Hostile input against what is read as data: links under data/ that lead outside it, and
notebook output folders outside build/."""

from __future__ import annotations

import json
import shutil

import pytest

from claimcheck.cli import main
from claimcheck.reference.errors import SnapshotInvalid
from claimcheck.reference.snapshots import load_snapshot, version_paths

SEED = "china-belgium-ties-2023-02-26"
SECRET = "root:x:0:0:secret-line-never-published"


@pytest.fixture
def outside(tmp_path):
    """A file outside the data folder, standing in for /etc/passwd."""
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


def leak_article(data, outside, name: str = "article.txt"):
    folder = data / "articles" / "leak"
    shutil.copytree(data / "articles" / SEED, folder)
    claims = folder / "claims.yaml"
    claims.write_text("article: leak\nclaims: []\n" if name == "article.txt"
                      else claims.read_text().replace(f"article: {SEED}", "article: leak"))
    (folder / name).unlink()
    (folder / name).symlink_to(outside)
    return folder


@pytest.mark.parametrize("name", ["article.txt", "metadata.yaml", "claims.yaml"])
def test_an_article_file_linked_outside_data_is_refused_in_one_line(data_copy, outside, tmp_path, monkeypatch,
                                                                    capsys, name):
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    leak_article(data_copy, outside, name)
    commands = [["run", "--article", "leak"]] + ([["claims", "--article", "leak"]] if name != "metadata.yaml" else [])
    for command in commands:
        assert main(command) == 2
        err = capsys.readouterr().err
        assert f"leak/{name}: resolves to {outside}, outside the data folder" in err, err
        assert err.count("\n") == 1 and SECRET not in err
    assert not (tmp_path / "build" / "leak").exists()


def test_run_all_skips_an_article_linked_outside_and_publishes_no_byte_of_it(data_copy, outside, tmp_path,
                                                                             monkeypatch, capsys):
    import test_runner_schedule

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    monkeypatch.setattr("claimcheck.batch.runner.run_jobs", test_runner_schedule.FakeBatch())
    leak_article(data_copy, outside)
    assert main(["run", "--all"]) == 1
    assert "leak: skipped, not published" in capsys.readouterr().err
    for path in (tmp_path / "build").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path


def test_a_whole_article_folder_linked_outside_is_refused(data_copy, tmp_path, capsys):
    foreign = tmp_path / "foreign"
    shutil.copytree(data_copy / "articles" / SEED, foreign)
    (data_copy / "articles" / "linked").symlink_to(foreign, target_is_directory=True)
    assert main(["claims", "--article", "linked"]) == 2
    assert "outside the data folder" in capsys.readouterr().err


def test_a_link_that_stays_inside_data_is_read(data_copy, capsys):
    folder = data_copy / "articles" / "alias"
    folder.mkdir()
    for name in ("article.txt", "metadata.yaml", "claims.yaml"):
        (folder / name).symlink_to(data_copy / "articles" / SEED / name)
    (folder / "claims.yaml").unlink()
    (folder / "claims.yaml").write_text((data_copy / "articles" / SEED / "claims.yaml").read_text()
                                        .replace(f"article: {SEED}", "article: alias"))
    assert main(["claims", "--article", "alias", "--format", "csv"]) == 0


def test_a_catalogue_file_linked_outside_data_is_refused(data_copy, outside, capsys):
    (data_copy / "reference" / "catalogue" / "evil.yaml").symlink_to(outside)
    assert main(["sources"]) == 2
    err = capsys.readouterr().err
    assert "evil.yaml: resolves to" in err and SECRET not in err and "Traceback" not in err


def test_a_catalogue_query_file_linked_outside_data_is_refused(data_copy, outside):
    from claimcheck.reference.catalogue import CatalogueError, load_catalogue

    query = next((data_copy / "reference" / "catalogue" / "wikidata").glob("*.rq"))
    query.unlink()
    query.symlink_to(outside)
    with pytest.raises(CatalogueError, match="outside the data folder"):
        load_catalogue()


@pytest.mark.parametrize("which", [0, 1])
def test_a_snapshot_file_linked_outside_data_is_refused(data_copy, outside, tmp_path, which):
    path = version_paths("worldbank", "population", "2026-07-01")[which]
    moved = tmp_path / "elsewhere" / path.name
    shutil.move(path, moved)
    path.symlink_to(moved)
    with pytest.raises(SnapshotInvalid, match="outside the data folder"):
        load_snapshot("worldbank", "population", "2026-07-01")


# ------------------------------------------------------------------------------- notebook output_dir


@pytest.mark.parametrize("bad", ["/elsewhere/x", "../../../x", ".runs/../../x", "a/../../b", "/tmp"])
def test_an_output_dir_outside_build_is_refused_in_one_line(bad, data_copy, tmp_path, monkeypatch):
    from claimcheck.show.notebook import ParameterError, start

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    with pytest.raises(ParameterError, match="parameter 'output_dir' must be a folder inside the build folder") as raised:
        start({"article": SEED, "output_dir": bad}, "economy", "economy")
    assert "\n" not in str(raised.value)


def test_an_output_dir_that_leaves_build_through_a_link_is_refused(data_copy, tmp_path, monkeypatch):
    from claimcheck.show.notebook import ParameterError, start

    build = tmp_path / "build"
    build.mkdir()
    (build / "out").symlink_to(tmp_path, target_is_directory=True)
    monkeypatch.setenv("CLAIMCHECK_BUILD", str(build))
    with pytest.raises(ParameterError, match="output_dir"):
        start({"article": SEED, "output_dir": "out/x"}, "economy", "economy")


def test_an_output_dir_inside_build_is_accepted_and_written(data_copy, tmp_path, monkeypatch):
    from claimcheck.show.notebook import check, start

    monkeypatch.setenv("CLAIMCHECK_BUILD", str(tmp_path / "build"))
    ctx = start({"article": SEED, "output_dir": ".runs/r1/x"}, "economy", "economy")
    check(ctx)
    assert (tmp_path / "build" / ".runs" / "r1" / "x" / "verdicts" / "economy.json").is_file()


def test_a_sidecar_linked_outside_data_is_listed_as_a_problem_and_never_read(data_copy, outside, tmp_path):
    from claimcheck.reference.snapshots import stored_versions

    meta = version_paths("worldbank", "population", "2026-07-01")[1]
    meta.unlink()
    meta.symlink_to(outside)
    versions = stored_versions()
    assert versions["worldbank/population"]["problem"] == "unreadable sidecar: PermissionError"
    assert SECRET not in json.dumps(versions)
