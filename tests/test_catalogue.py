"""The catalogue: every snapshot declared as data, validated with one-line errors naming file, entry and field."""

from __future__ import annotations

import subprocess

import pytest

from claimcheck import paths
from claimcheck.reference import catalogue
from claimcheck.reference.catalogue import CatalogueError
from conftest import REPO


def test_the_committed_catalogue_declares_every_stored_snapshot_and_each_entry_is_complete():
    cat = catalogue.load_catalogue()
    stored = {(p.parent.parent.name, p.parent.name) for p in paths.reference_dir().glob("*/*/*.meta.yaml")}
    assert len(stored) > 20
    assert stored <= {(e.source, e.name) for e in cat.entries()}
    for entry in cat.entries():
        assert entry.title and entry.unit and entry.licence and entry.used_for and entry.dataset, entry.name
        assert entry.file.endswith(f"{entry.source}.yaml")


def test_no_query_is_left_in_the_code():
    """Nothing under src/ names a country, pair or indicator: the queries are all in the catalogue."""
    found = subprocess.run(
        ["grep", "-rniE", r"belgi|china|chinese|\bCHN\b|\bBEL\b|\bBLX\b", "src/claimcheck"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert found.stdout == ""


def test_the_wikidata_entries_read_their_sparql_files():
    entry = catalogue.entry("wikidata", "city_countries")
    assert entry.query["sparql"] == "wikidata/city_countries.rq"
    assert entry.query["sparql_text"].lstrip().startswith("#") and "SELECT" in entry.query["sparql_text"]
    assert entry.query["columns"] == {"entity": "city", "partner": "country", "measures": ["country"]}


def write(data, name, text):
    folder = data / "reference" / "catalogue"
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


GOOD = """
source: worldbank
licence: CC BY 4.0
snapshots:
  population:
    title: Population, total
    unit: people
    for: population claims
    query: {indicator: SP.POP.TOTL, countries: all}
"""


def test_a_new_entry_is_one_yaml_block(data_copy):
    write(data_copy, "worldbank.yaml", GOOD)
    entry = catalogue.entry("worldbank", "population")
    assert (entry.dataset, entry.unit, entry.licence, entry.refreshable) == ("SP.POP.TOTL", "people", "CC BY 4.0", True)


@pytest.mark.parametrize(
    "change, message",
    [
        (("indicator: SP.POP.TOTL", "indicatr: SP.POP.TOTL"), "entry population, field query.indicator: required"),
        (("countries: all", "countries: all, pages: 3"), "entry population, field query.pages: unknown query key"),
        (("unit: people", "unit: ''"), "entry population, field unit: required"),
        (("title: Population, total", "titel: Population, total"), "entry population, field titel: unknown field (did you mean 'title'?)"),
        (("source: worldbank", "source: wordbank"), "field source: must be 'worldbank'"),
        (("licence: CC BY 4.0", "licence: ''"), "entry population, field licence: required"),
        (("population:", "Population:"), "entry Population: the name must be lower-case"),
        (("{indicator", "{{indicator"), "not valid YAML"),
    ],
)
def test_a_bad_entry_is_one_line_naming_file_entry_and_field(data_copy, change, message):
    path = write(data_copy, "worldbank.yaml", GOOD.replace(*change))
    with pytest.raises(CatalogueError) as caught:
        catalogue.load_catalogue()
    text = str(caught.value)
    assert "\n" not in text and text.startswith(str(path)) and message in text


def test_a_file_for_a_source_without_a_client_is_refused_with_the_nearest(data_copy):
    write(data_copy, "wrldbank.yaml", GOOD.replace("source: worldbank", "source: wrldbank"))
    with pytest.raises(CatalogueError, match=r"no source client 'wrldbank' \(did you mean 'worldbank'\?\)"):
        catalogue.load_catalogue()


def test_an_unknown_entry_suggests_the_nearest_name():
    with pytest.raises(CatalogueError, match=r"no snapshot 'gdp_current' \(did you mean 'gdp_current_usd'\?\)"):
        catalogue.entry("worldbank", "gdp_current")
    with pytest.raises(CatalogueError, match=r"no catalogue source 'worldbnk' \(did you mean 'worldbank'\?\)"):
        catalogue.entry("worldbnk", "gdp_current_usd")


def test_a_missing_sparql_file_is_named(data_copy):
    path = data_copy / "reference" / "catalogue" / "wikidata" / "city_countries.rq"
    path.unlink()
    with pytest.raises(CatalogueError, match=r"entry city_countries, field query.sparql: cannot read .*city_countries.rq"):
        catalogue.load_catalogue()


# ---------------------------------------------------------------------------------------- catalog add

from claimcheck import cli  # noqa: E402


def test_catalog_add_appends_a_valid_entry_and_keeps_the_comments(data_copy, capsys):
    path = data_copy / "reference" / "catalogue" / "worldbank.yaml"
    before = path.read_text(encoding="utf-8")
    code = cli.main(["catalog", "add", "worldbank", "urban_population", "--title", "Urban population", "--unit", "people",
                     "--for", "urban population claims", "indicator=SP.URB.TOTL", "countries=all", "date=2000:2023"])
    assert code == 0, capsys.readouterr().out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # comments and the old entries untouched
    entry = catalogue.entry("worldbank", "urban_population")
    assert entry.query == {"indicator": "SP.URB.TOTL", "countries": "all", "date": "2000:2023"}
    assert (entry.unit, entry.licence) == ("people", "CC BY 4.0")
    assert "claimcheck refresh --source worldbank --snapshot urban_population" in capsys.readouterr().out


def test_catalog_add_reads_lists_and_nested_filters(data_copy):
    assert cli.main(["catalog", "add", "eurostat", "fr_us", "--title", "France-US trade", "--unit", "EUR", "--for", "t",
                     "dataset=DS-045409", "filters.reporter=FR", "filters.partner=US", "filters.flow=[1, 2]",
                     "start=2024-01", "end=2024-02"]) == 0
    query = catalogue.entry("eurostat", "fr_us").query
    assert query["filters"] == {"reporter": "FR", "partner": "US", "flow": [1, 2]}
    assert query["start"] == "2024-01"


def test_catalog_add_refuses_an_invalid_entry_and_writes_nothing(data_copy, capsys):
    path = data_copy / "reference" / "catalogue" / "worldbank.yaml"
    before = path.read_bytes()
    assert cli.main(["catalog", "add", "worldbank", "urban_population", "--title", "t", "--unit", "people", "--for", "f",
                     "indicatr=SP.URB.TOTL"]) == 1
    out = capsys.readouterr().out
    assert "not written" in out and "entry urban_population, field query.indicator: required" in out
    assert path.read_bytes() == before
    assert cli.main(["catalog", "add", "worldbank", "gdp_current_usd", "--title", "t", "--unit", "USD", "--for", "f",
                     "indicator=X"]) == 1
    assert "already has an entry 'gdp_current_usd'" in capsys.readouterr().out


def test_catalog_add_copies_a_sparql_file(data_copy, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?item ?date WHERE { ?item wdt:P571 ?date } LIMIT 1\n", encoding="utf-8")
    assert cli.main(["catalog", "add", "wikidata", "inception", "--title", "t", "--unit", "date", "--for", "f",
                     "--sparql", str(query), "columns={entity: item, measures: [date]}"]) == 0
    entry = catalogue.entry("wikidata", "inception")
    assert entry.query["sparql"] == "wikidata/inception.rq" and "wdt:P571" in entry.query["sparql_text"]


def test_documents_and_snapshots_do_not_import_each_other():
    import ast

    def imports(module: str) -> set[str]:
        tree = ast.parse((REPO / "src/claimcheck/reference" / f"{module}.py").read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        return found

    assert "claimcheck.reference.snapshots" not in imports("documents")
    assert "claimcheck.reference.documents" not in imports("snapshots")
    for module in ("catalogue", "snapshots", "documents", "errors", "http"):
        assert "claimcheck.reference.commands" not in imports(module)


@pytest.mark.parametrize(
    "text",
    [
        "- a\n- b\n",
        "source: worldbank\nlicence: x\nsnapshots: [a, b]\n",
        "source: worldbank\nlicence: x\nsnapshots:\n  pop:\n",
        "source: worldbank\nlicence: x\nsnapshots:\n  pop: {title: t, unit: u, for: f, query: SP.POP.TOTL}\n",
        "source: worldbank\nlicence: x\nsnapshots:\n  pop: {title: [t], unit: u, for: f}\n",
        "source: worldbank\nlicence: x\nsnapshots:\n  pop: {title: t, unit: u, for: f}\n  pop: {title: t, unit: u, for: f}\n",
        "source: [worldbank]\nsnapshots: {}\n",
        "source: worldbank\nlicence: 3\nsnapshots:\n  pop: {title: t, unit: u, for: f, query: {indicator: X}}\n",
        "\xff\xfe not utf-8",
    ],
)
def test_any_malformed_file_is_one_line_never_a_traceback(data_copy, text):
    path = data_copy / "reference" / "catalogue" / "worldbank.yaml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(CatalogueError) as caught:
        catalogue.load_catalogue()
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(path))


@pytest.mark.parametrize(
    "columns, problem",
    [
        ("[item]", "query.columns: a mapping"),
        ("{measures: [x]}", "query.columns.entity: required"),
        ("{entity: item, measures: x}", "query.columns.measures: required"),
        ("{entity: item, measures: [x], label: y}", "query.columns.label: unknown"),
    ],
)
def test_a_wikidata_column_mapping_is_checked(data_copy, columns, problem):
    path = data_copy / "reference" / "catalogue" / "wikidata.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("columns: {entity: city, partner: country, measures: [country]}", f"columns: {columns}")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"entry city_countries, field " + problem.replace(".", r"\.")):
        catalogue.load_catalogue()


def test_claimcheck_sources_lists_every_entry_with_its_title_left_aligned(capsys):
    assert cli.main(["sources"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines[0].index("title")
    for entry in catalogue.entries():
        (line,) = [li for li in lines[1:] if li.split()[:2] == [entry.source, entry.name]]
        assert line[at:].startswith(entry.title[:20])


def test_measure_names_are_a_mapping_of_codes_to_plain_names(data_copy):
    assert catalogue.load_catalogue().entry("worldbank", "population").measure_names == {"SP.POP.TOTL": "population"}
    path = data_copy / "reference" / "catalogue" / "worldbank.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('measure_names: {SP.POP.TOTL: "population"}', "measure_names: [population]"), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"entry population, field measure_names: expected a mapping"):
        catalogue.load_catalogue()
