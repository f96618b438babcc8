"""Units and currencies: ISO 4217 codes, scale words, multiples, and conversion with the stored exchange rates."""

from __future__ import annotations

import pytest

from claimcheck.judge.currency import ConversionError, convert
from claimcheck.judge.evidence import Loader
from claimcheck.judge.verdicts import SUPPORTED, judge
from claimcheck.reference.snapshots import load_snapshot
from claimcheck.registry.claims import Claim, Claimed
from claimcheck.registry.units import Unit, known_unit, parse_unit

SEED = "china-belgium-ties-2023-02-26"


def load(source, name):
    return load_snapshot(source, name)


@pytest.mark.parametrize(
    "text, unit",
    [
        ("EUR", Unit("EUR", 1.0, True)), ("billion USD", Unit("USD", 1e9, True)), ("crore INR", Unit("INR", 1e7, True)),
        ("lakh INR", Unit("INR", 1e5, True)), ("GBP", Unit("GBP", 1.0, True)), ("kilotonnes", Unit("tonnes", 1e3)),
        ("million people", Unit("people", 1e6)), ("index_points", Unit("index_points")), ("percent", Unit("percent")),
    ],
)  # fmt: skip
def test_units_parse_into_a_base_and_a_factor(text, unit):
    assert parse_unit(text) == unit


@pytest.mark.parametrize("text", ["EURO", "usd", "XYZ", "billion", "many USD", "tonnes CO2"])
def test_unknown_units_are_not_units(text):
    assert not known_unit(text)


def test_the_registry_accepts_any_iso_currency_and_scale_words_and_names_a_bad_unit():
    assert Claimed.model_validate({"value": 3, "unit": "billion INR", "comparator": "about"}).unit == "billion INR"
    assert Claimed.model_validate({"value": 3, "unit": "JPY", "comparator": "about"}).unit == "JPY"
    with pytest.raises(ValueError, match="unknown unit 'EURO'"):
        Claimed.model_validate({"value": 3, "unit": "EURO", "comparator": "about"})


def test_multiples_convert_exactly_and_say_nothing():
    assert convert(12.5, "kilotonnes", "tonnes", None, load).value == 12500.0
    assert convert(28.7e9, "USD", "billion USD", None, load).value == pytest.approx(28.7)
    assert convert(1.0, "USD", "USD", None, load).note == ""


def test_a_currency_converts_at_the_annual_rate_of_the_claims_year():
    conversion = convert(32.8e9, "EUR", "USD", "2021", load)
    assert conversion.value == pytest.approx(32.8e9 / 0.8453)  # FRED 2021: 0.8453 EUR per USD
    assert conversion.note == "converted from EUR at 1.183 USD per EUR (annual average, 2021, fred/exchange_rates_annual)"
    assert conversion.provenance[0]["snapshot"].startswith("reference/fred/exchange_rates_annual/")


def test_a_range_of_months_converts_at_the_mean_of_its_monthly_rates_and_two_non_dollar_currencies_cross_via_usd():
    rates = load_snapshot("fred", "exchange_rates_monthly").frame
    eur = rates[(rates["entity"] == "EUR") & rates["period"].between("2022-01", "2022-08")]["value"].mean()
    cny = rates[(rates["entity"] == "CNY") & rates["period"].between("2022-01", "2022-08")]["value"].mean()
    conversion = convert(100.0, "EUR", "CNY", "2022-01/2022-08", load)
    assert conversion.value == pytest.approx(100.0 * cny / eur)
    assert "mean of monthly averages, 2022-01–2022-08, fred/exchange_rates_monthly" in conversion.note


def test_a_conversion_without_a_rate_or_a_period_says_why():
    with pytest.raises(ConversionError, match="no EUR rate for 1990"):
        convert(1.0, "EUR", "USD", "1990", load)
    with pytest.raises(ConversionError, match="no period"):
        convert(1.0, "EUR", "USD", None, load)
    with pytest.raises(ConversionError, match="people cannot be converted to USD"):
        convert(1.0, "people", "USD", "2021", load)


def test_belgian_side_eur_totals_check_a_china_side_usd_total_and_the_sentence_says_how():
    """The seed's documents: Belgium-reported 2021 imports from (EUR 24.8 bn) and exports to (EUR 8.0 bn)
    China, against the Chinese embassy's 2021 total of US$38.95 bn."""
    claim = Claim.model_validate({
        "id": "c", "quote": "q", "kind": "amount", "statement": "s",
        "claimed": {"value": 38.95e9, "unit": "USD", "comparator": "about", "tolerance": 0.05, "period": "2021"},
        "evidence": [{"kind": "document", "label": "Belgium-reported trade (EUR)",
                      "document": ["horsten-2021-belgian-imports-from-china-comtrade", "horsten-2021-belgian-exports-to-china-comtrade"],
                      "measures": ["belgium_imports_from_china", "belgium_exports_to_china"], "period": "2021",
                      "compute": {"op": "sum"}}],
    })  # fmt: skip
    verdict = judge(claim, loader=Loader("offline"))
    assert verdict.verdict == SUPPORTED, verdict.sentence
    assert verdict.reference_value == pytest.approx(32.8e9 / 0.8453)
    assert "converted from EUR at 1.183 USD per EUR (annual average, 2021, fred/exchange_rates_annual)" in verdict.sentence
    assert any("exchange_rates_annual" in s.get("snapshot", "") for s in verdict.sources)


def test_a_euro_figure_for_a_pre_euro_year_cannot_be_converted_and_the_verdict_says_why():
    """The seed's documents state 1971 trade in euros ("conversion basis not stated"); no euro rate exists for 1971."""
    claim = Claim.model_validate({
        "id": "c", "quote": "q", "kind": "amount", "statement": "s",
        "claimed": {"value": 14.6e6, "unit": "USD", "comparator": "about", "period": "1971"},
        "evidence": [{"kind": "document", "document": "european-times-ambassador-liao-1971-2012-eur",
                      "measures": ["bilateral_trade"], "period": "1971"}],
    })  # fmt: skip
    verdict = judge(claim, loader=Loader("offline"))
    assert verdict.verdict == "error"
    assert "fred/exchange_rates_annual has no EUR rate for 1971" in verdict.sentence


def test_the_catalogue_says_which_entries_convert_currencies(data_copy):
    fred = data_copy / "reference" / "catalogue" / "fred.yaml"
    text = fred.read_text(encoding="utf-8")
    fred.write_text(text.replace("    converts_currency: currency_units_per_usd\n", "", 1), encoding="utf-8")
    with pytest.raises(ConversionError, match=r"no catalogue entry converts currencies \(field converts_currency\) for annual"):
        convert(1.0, "EUR", "USD", "2021", load)
    assert "monthly average" in convert(1.0, "EUR", "USD", "2021-03", load).note  # the monthly entry still converts


def test_a_second_converter_for_one_grain_is_one_line_naming_the_file_entry_and_field(data_copy):
    from claimcheck.reference import catalogue

    fred = data_copy / "reference" / "catalogue" / "fred.yaml"
    fred.write_text(fred.read_text(encoding="utf-8").replace("    grain: monthly\n", ""), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match=r"fred\.yaml: entry exchange_rates_monthly, field converts_currency: "
                                                       r"fred/exchange_rates_annual already converts currencies for annual"):
        catalogue.load_catalogue()
    fred.write_text(fred.read_text(encoding="utf-8").replace("converts_currency: currency_units_per_usd", "converts_currency: [x]", 1),
                    encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match=r"entry exchange_rates_annual, field converts_currency: expected the measure code"):
        catalogue.load_catalogue()
