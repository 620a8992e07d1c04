"""For sample facts, SPARQL returns the exact quote and its offsets in the article."""

from __future__ import annotations

from rdflib import Literal

from builder.pipeline import Built

PREFIXES = """
PREFIX lk: <https://w3id.org/luohu-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

OBSERVATION_EVIDENCE = (
    PREFIXES
    + """
SELECT ?entity ?value ?unit ?growth ?exact ?start ?end WHERE {
  ?obs lk:valueText ?text ; lk:value ?value ; lk:unit ?unit ; lk:observedEntity ?subject ;
       lk:hasEvidence ?ev .
  ?subject rdfs:label ?entity . FILTER(lang(?entity) = "zh")
  OPTIONAL { ?obs lk:growthRate ?growth }
  ?ev oa:hasSelector ?q , ?p .
  ?q a oa:TextQuoteSelector ; oa:exact ?exact .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}
"""
)


def _observation(built: Built, text: str) -> list[dict[str, object]]:
    graph = built.graph()
    rows = graph.query(OBSERVATION_EVIDENCE, initBindings={"text": Literal(text)})
    return [{k: row[k].toPython() for k in row.labels if row[k] is not None} for row in rows]  # type: ignore[union-attr]


def _check_offsets(row: dict[str, object], article_text: str) -> None:
    start, end = int(row["start"]), int(row["end"])  # type: ignore[call-overload]
    assert article_text[start:end] == row["exact"]


def test_luohu_gdp_h1_2021(article_built: Built, article_text: str) -> None:
    [row] = _observation(article_built, "1268.19亿元")
    assert row["entity"] == "罗湖区"
    assert str(row["value"]) == "126819000000"
    assert str(row["unit"]) == "http://qudt.org/vocab/unit/CCY_CNY"
    assert str(row["growth"]) == "10.3"
    assert "1268.19亿元" in str(row["exact"]) and "10.3%" in str(row["exact"])
    _check_offsets(row, article_text)


def test_dongmen_project_investment_and_duration(article_built: Built, article_text: str) -> None:
    graph = article_built.graph()
    texts = {str(o) for o in graph.objects(None, None) if "5.4亿元" in str(o) or str(o) == "29个月"}
    money = [t for t in texts if t.endswith("5.4亿元") and len(t) <= 6]
    assert money, texts
    [investment] = _observation(article_built, money[0])
    [duration] = _observation(article_built, "29个月")
    for row in (investment, duration):
        assert "东门商业步行街" in str(row["entity"])
        _check_offsets(row, article_text)
    assert str(investment["value"]) == "540000000"
    assert str(duration["unit"]) == "http://qudt.org/vocab/unit/MO"


def test_luo_yude_is_luohu_party_secretary(article_built: Built, article_text: str) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?post ?org ?exact ?start ?end WHERE {
      ?person rdfs:label ?name .
      ?p org:heldBy ?person ; rdfs:label ?post ; org:postIn ?o .
      ?o rdfs:label ?org .
      FILTER(lang(?post) = "zh" && lang(?org) = "zh")
      ?st a lk:Statement ; lk:statementSubject ?p ; lk:statementPredicate org:heldBy ;
          lk:statementObject ?person ; lk:basis lk:TextEvidence ; lk:hasEvidence ?ev .
      ?ev oa:hasSelector ?q , ?sel .
      ?q oa:exact ?exact . ?sel oa:start ?start ; oa:end ?end .
    }
    """
    )
    rows = list(
        article_built.graph().query(query, initBindings={"name": Literal("罗育德", lang="zh")})
    )
    assert rows
    posts = {str(r.post) for r in rows}  # type: ignore[union-attr]
    assert "罗湖区委书记" in posts
    for row in rows:
        start, end = int(row.start), int(row.end)  # type: ignore[union-attr]
        assert article_text[start:end] == str(row.exact)  # type: ignore[union-attr]
        assert "罗育德" in str(row.exact)  # type: ignore[union-attr]
