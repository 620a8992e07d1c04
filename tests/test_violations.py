"""The `*-violation.rq` checks return no rows on the built graph, and do catch broken graphs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from builder.pipeline import Built
from builder.query import select_rows, store_from_triples, violation_queries, violations

LK = "https://w3id.org/luohu-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/luohu-kg/id/"
TIME = "http://www.w3.org/2006/time#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture()
def store(article_built: Built) -> ox.Store:
    return store_from_triples(article_built.parts().everything())


def test_there_are_violation_checks() -> None:
    assert len(violation_queries()) >= 5


@pytest.mark.parametrize("name", sorted(violation_queries()))
def test_violation_query_finds_nothing_on_the_built_graph(store: ox.Store, name: str) -> None:
    assert select_rows(store, violation_queries()[name]) == []


def _only(store: ox.Store, s: str, p: str) -> ox.Quad:
    [quad] = list(store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None))
    return quad


def test_missing_english_label_is_found(store: ox.Store) -> None:
    luohu = ox.NamedNode(ID + "luohu")
    store.remove(ox.Quad(luohu, RDFS_LABEL, ox.Literal("Luohu District", language="en")))
    found = violations(store)
    assert found["label-missing-violation"] == [{"entity": ID + "luohu", "lang": "en"}]


def test_shifted_offset_is_found(store: ox.Store) -> None:
    position = ID + "evidence/luohu.position"
    quad = _only(store, position, OA + "start")
    store.remove(quad)
    shifted = ox.Literal(str(int(quad.object.value) + 1), datatype=ox.NamedNode(XSD + "integer"))
    store.add(ox.Quad(quad.subject, quad.predicate, shifted))
    rows = violations(store)["evidence-offset-violation"]
    assert [r["evidence"] for r in rows] == [ID + "evidence/luohu"]


def test_reified_relation_without_its_triple_is_found(store: ox.Store) -> None:
    post, held_by = ID + "post-luohu-party-secretary", "http://www.w3.org/ns/org#heldBy"
    store.remove(_only(store, post, held_by))
    rows = violations(store)["statement-not-asserted-violation"]
    assert len(rows) == 1 and rows[0]["p"] == held_by


def test_untyped_number_is_found(store: ox.Store) -> None:
    observation = next(store.quads_for_pattern(None, ox.NamedNode(LK + "value"), None))
    store.remove(observation)
    store.add(ox.Quad(observation.subject, observation.predicate, ox.Literal("12")))
    rows = violations(store)["number-datatype-violation"]
    assert [r["node"] for r in rows] == [observation.subject.value]  # type: ignore[union-attr]


def test_observation_without_unit_is_found(store: ox.Store) -> None:
    unit = _only(store, ID + "luohu-gdp-2021-h1", LK + "unit")
    store.remove(unit)
    rows = violations(store)["observation-incomplete-violation"]
    assert rows == [{"observation": unit.subject.value, "missing": "unit"}]  # type: ignore[union-attr]


def _subject_of(store: ox.Store, p: str) -> str:
    """An observation that has property p (restatements carry some of the same properties)."""
    observation = ox.NamedNode(LK + "Observation")
    for quad in store.quads_for_pattern(None, ox.NamedNode(LK + p), None):
        if any(store.quads_for_pattern(quad.subject, ox.NamedNode(RDF_TYPE), observation)):
            return quad.subject.value  # type: ignore[union-attr]
    raise AssertionError(f"no observation has lk:{p}")


@pytest.mark.parametrize(
    ("removed", "problem"),
    [
        ("countWord", "count word does not match unit"),
        ("rankScope", "rank, scope and text not together"),
        ("rankText", "rank, scope and text not together"),
        ("growthText", "growth rate and text not together"),
        ("growthRate", "growth rate and text not together"),
    ],
)
def test_observation_missing_one_part_is_found(store: ox.Store, removed: str, problem: str) -> None:
    observation = _subject_of(store, removed)
    store.remove(_only(store, observation, LK + removed))
    rows = violations(store)["observation-consistency-violation"]
    assert rows == [{"observation": observation, "problem": problem}]


def test_count_word_on_a_non_count_is_found(store: ox.Store) -> None:
    gdp = ID + "luohu-gdp-2021-h1"
    store.add(
        ox.Quad(ox.NamedNode(gdp), ox.NamedNode(LK + "countWord"), ox.Literal("个", language="zh"))
    )
    rows = violations(store)["observation-consistency-violation"]
    assert rows == [{"observation": gdp, "problem": "count word does not match unit"}]


def test_a_type_that_skips_a_level_is_found(store: ox.Store) -> None:
    # lk:Plan ⊑ lk:PolicyDocument ⊑ prov:Entity: a plan also typed prov:Entity, without the
    # class between, would make the catalog's direct-subclass test call prov:Entity its class
    plan = ox.NamedNode(ID + "luohu-education-14th-five-year-plan")
    entity = ox.NamedNode("http://www.w3.org/ns/prov#Entity")
    assert not any(store.quads_for_pattern(plan, ox.NamedNode(RDF_TYPE), entity))
    store.add(ox.Quad(plan, ox.NamedNode(RDF_TYPE), entity))
    rows = violations(store)["type-gap-violation"]
    assert rows == [{"entity": plan.value, "type": entity.value, "narrower": LK + "Plan"}]


def test_dangling_reference_is_found(store: ox.Store) -> None:
    store.add(
        ox.Quad(
            ox.NamedNode(ID + "luohu"), ox.NamedNode(LK + "partOf"), ox.NamedNode(ID + "nowhere")
        )
    )
    rows = violations(store)["dangling-reference-violation"]
    assert rows == [{"subject": ID + "luohu", "property": LK + "partOf", "target": ID + "nowhere"}]


def _subjects(store: ox.Store, p: str, o: ox.NamedNode) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(p), o)}  # type: ignore[union-attr]


def _first_object(store: ox.Store, s: ox.NamedNode | None, p: str) -> ox.NamedNode:
    node = next(store.quads_for_pattern(s, ox.NamedNode(p), None)).object
    assert isinstance(node, ox.NamedNode)
    return node


def test_observation_whose_indicator_is_untyped_is_found(store: ox.Store) -> None:
    indicator = _first_object(store, None, LK + "indicator")
    store.remove(ox.Quad(indicator, ox.NamedNode(RDF_TYPE), ox.NamedNode(LK + "Indicator")))
    expected = _subjects(store, LK + "indicator", indicator)
    rows = violations(store)["observation-incomplete-violation"]
    assert expected and {r["observation"] for r in rows} == expected
    assert {r["missing"] for r in rows} == {"indicator"}


def test_flow_whose_period_has_no_beginning_is_found(store: ox.Store) -> None:
    period = _first_object(store, ox.NamedNode(ID + "luohu-gdp-2021-h1"), LK + "refPeriod")
    store.remove(_only(store, period.value, TIME + "hasBeginning"))
    expected = _subjects(store, LK + "refPeriod", period)
    rows = violations(store)["observation-incomplete-violation"]
    assert len(expected) >= 3 and {r["observation"] for r in rows} == expected
    assert {r["missing"] for r in rows} == {"period"}


def test_stock_without_as_of_time_is_found(store: ox.Store) -> None:
    records = ID + "big-data-records-aggregated"
    store.remove(_only(store, records, LK + "refPeriod"))
    rows = violations(store)["observation-incomplete-violation"]
    assert rows == [{"observation": records, "missing": "as-of time"}]


def test_quote_that_does_not_name_the_object_is_found(store: ox.Store) -> None:
    statement = ID + "statement/post-luohu-party-secretary.heldBy.luo-yude"
    evidence = _first_object(store, ox.NamedNode(statement), LK + "hasEvidence")
    store.remove(_only(store, statement, LK + "hasEvidence"))
    # the post's own quote (罗湖区委书记罗育德) names him: point the statement at another quote
    other = ID + "evidence/luohu-gdp-2021-h1"
    store.add(
        ox.Quad(ox.NamedNode(statement), ox.NamedNode(LK + "hasEvidence"), ox.NamedNode(other))
    )
    rows = violations(store)["statement-quote-violation"]
    assert [r["statement"] for r in rows] == [statement] and evidence.value != other


def test_two_observations_of_one_cell_are_found(store: ox.Store) -> None:
    gdp = ox.NamedNode(ID + "luohu-gdp-2021-h1")
    copy = ox.NamedNode(ID + "luohu-gdp-2021-h1-copy")
    for quad in list(store.quads_for_pattern(gdp, None, None)):
        store.add(ox.Quad(copy, quad.predicate, quad.object))
    rows = violations(store)["duplicate-cell-violation"]
    assert [(r["first"], r["second"]) for r in rows] == [(gdp.value, copy.value)]
