"""The observations meet the 21 RDF Data Cube integrity constraints, and the checks catch the
defects they are about."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from builder.datacube import check_cube, constraint_queries
from builder.pipeline import Built

LK = "https://w3id.org/luohu-kg/ontology#"
ID = "https://w3id.org/luohu-kg/id/"
QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GDP = ox.NamedNode(ID + "luohu-gdp-2021-h1")


@pytest.fixture()
def triples(article_built: Built) -> list[ox.Triple]:
    return list(article_built.parts().everything())


def _without(triples: list[ox.Triple], s: ox.NamedNode, p: str) -> list[ox.Triple]:
    kept = [t for t in triples if not (t.subject == s and t.predicate == ox.NamedNode(p))]
    assert len(kept) < len(triples)
    return kept


def test_all_21_constraints_hold(triples: list[ox.Triple]) -> None:
    assert len(constraint_queries()) == 21
    assert check_cube(triples) == {}


def test_a_missing_dimension_breaks_ic11(triples: list[ox.Triple]) -> None:
    found = check_cube(_without(triples, GDP, LK + "indicator"))
    assert [r["node"] for r in found["ic-11-all-dimensions-required"]] == [GDP.value]


def test_a_second_observation_of_a_cell_breaks_ic12(triples: list[ox.Triple]) -> None:
    copy = ox.NamedNode(ID + "luohu-gdp-2021-h1-copy")
    doubled = triples + [
        ox.Triple(copy, t.predicate, t.object) for t in triples if t.subject == GDP
    ]
    rows = check_cube(doubled)["ic-12-no-duplicate-observations"]
    assert rows == [{"node": GDP.value, "other": copy.value}]


def test_a_missing_required_attribute_breaks_ic13(triples: list[ox.Triple]) -> None:
    found = check_cube(_without(triples, GDP, LK + "unit"))
    assert found["ic-13-required-attributes"] == [{"node": GDP.value, "attribute": LK + "unit"}]


def test_an_indicator_outside_its_code_list_breaks_ic19(triples: list[ox.Triple]) -> None:
    gdp = ox.NamedNode(ID + "gdp")
    rows = check_cube(_without(triples, gdp, SKOS + "inScheme"))["ic-19-codes-from-code-list"]
    assert {r["value"] for r in rows} == {gdp.value} and GDP.value in {r["node"] for r in rows}


def test_an_observation_in_two_data_sets_breaks_ic1(triples: list[ox.Triple]) -> None:
    other = ox.NamedNode(ID + "dataset/another")
    found = check_cube([*triples, ox.Triple(GDP, ox.NamedNode(QB + "dataSet"), other)])
    assert GDP.value in {r["node"] for r in found["ic-01-unique-dataset"]}
