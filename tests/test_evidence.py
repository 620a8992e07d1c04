"""Every triple is stated by its quote or declared background; build refuses what validate
rejects; coverage cannot say 100 % while a claim lives only in a note."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from builder.cli import main
from builder.pipeline import Built

LK = "https://w3id.org/luohu-kg/ontology#"
ID = "https://w3id.org/luohu-kg/id/"
FACTS = Path("articles") / "mini" / "facts.yaml"

STATEMENTS = """
PREFIX lk: <https://w3id.org/luohu-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?statement ?basis ?quote ?named ?curators WHERE {
  ?statement a lk:Statement ; lk:basis ?basis ; lk:statementObject ?object .
  OPTIONAL { ?statement lk:hasEvidence/oa:hasSelector/oa:exact ?quote }
  OPTIONAL { ?statement prov:wasAttributedTo ?curators }
  BIND(EXISTS {
    { ?object rdfs:label ?name } UNION { ?object skos:altLabel ?name }
    UNION { ?statement lk:mention ?name }
    FILTER(LANG(?name) = "zh" && CONTAINS(?quote, STR(?name)))
  } AS ?named)
}
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))}


def test_every_statement_is_quoted_with_its_object_or_declared_background(
    article_built: Built,
) -> None:
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object) for t in article_built.parts().data()
    )
    rows = list(store.query(STATEMENTS))  # type: ignore[arg-type]
    text = [r for r in rows if r["basis"].value == LK + "TextEvidence"]  # type: ignore[index]
    background = [r for r in rows if r["basis"].value == LK + "BackgroundKnowledge"]  # type: ignore[index]
    assert len(text) > 200 and len(background) > 20
    assert len(text) + len(background) == len(rows)
    assert all(r["named"].value == "true" for r in text)  # type: ignore[index]
    assert all(r["quote"] is None and r["curators"] == ox.NamedNode(ID + "curators")  # type: ignore[index]
               for r in background)  # fmt: skip


def test_the_known_background_relations_are_declared(article_built: Built) -> None:
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object) for t in article_built.parts().data()
    )
    for key in ("shenzhen.locatedIn.guangdong", "greater-bay-area.hasPart.shenzhen",
                "close-knit-medical-alliance.carriedOutBy.luohu-hospital-group"):  # fmt: skip
        node = ox.NamedNode(f"{ID}statement/{key}")
        basis = list(store.quads_for_pattern(node, ox.NamedNode(LK + "basis"), None))
        assert [q.object for q in basis] == [ox.NamedNode(LK + "BackgroundKnowledge")], key


def test_build_refuses_what_validate_rejects(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    facts = mini / FACTS
    text = facts.read_text("utf-8")
    wrong = "{property: heldBy, object: luohu, mention: 罗湖区}"  # a post held by a district
    facts.write_text(text.replace("{property: heldBy, object: luo-yude}", wrong), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "luohu-kg.ttl").write_text("previous\n", encoding="utf-8")
    before = _snapshot(out)
    validate = runner.invoke(main, ["validate", "--data", str(mini)])
    built = runner.invoke(main, ["build", "--data", str(mini), "--out", str(out)])
    assert validate.exit_code == 1 and built.exit_code == 1, built.output
    assert _snapshot(out) == before
    lines = built.stderr.splitlines()
    line_no = facts.read_text("utf-8").splitlines().index("      - " + wrong) + 1
    at = f"{facts}:{line_no}: post-luohu-party-secretary: SHACL (org:heldBy)"
    assert any(line.startswith(at) for line in lines), lines  # the relation's own line


def test_a_comparison_only_in_a_note_is_not_covered(runner: CliRunner, mini: Path) -> None:
    assert runner.invoke(main, ["coverage", "--data", str(mini)]).exit_code == 0
    (mini / "articles" / "mini" / "rankings.yaml").unlink()
    facts = mini / FACTS
    text = facts.read_text("utf-8").replace(
        "    evidence: 今年上半年,罗湖区地区生产总值达1268.19亿元,增长10.3%",
        "    evidence: 今年上半年,罗湖区地区生产总值达1268.19亿元,增长10.3%,增速跑赢全市\n"
        "    note: growth beat the city's (增速跑赢全市)",
    )
    facts.write_text(text, "utf-8")
    result = runner.invoke(main, ["coverage", "--data", str(mini)])
    assert result.exit_code == 1
    assert "MISSING claim '跑赢'" in result.output
    assert "claims: 0/1 covered" in result.output


def test_coverage_reports_every_clause_and_the_body_share(runner: CliRunner) -> None:
    result = runner.invoke(main, ["coverage"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [body] = [line for line in lines if line.startswith("  body: ")]
    assert "0 uncovered" in body
    kinds = ("  covered ", "  skipped ", "  part-skip ", "  UNCOVERED")
    clauses = [line for line in lines if line.startswith(kinds)]
    assert len(clauses) > 100
    [summary] = [line for line in lines if line.startswith("  clauses: ")]
    whole = sum(line.startswith("  covered ") for line in clauses)
    skipped = sum(line.startswith("  skipped ") for line in clauses)
    assert summary.startswith(f"  clauses: {len(clauses)}/{len(clauses)} accounted for (100.0%)")
    assert f"{whole} wholly inside evidence quotes, {skipped} skipped with a reason" in summary
    assert 0 < skipped < whole
    # a skip's reason is given only for the clause it accounts for
    [first] = [line for line in clauses if "'查看原文'" in line]
    assert first.endswith('WeChat page chrome ("read the original" link)')


def test_an_uncovered_clause_fails_coverage(runner: CliRunner, mini: Path) -> None:
    (mini / "articles" / "mini" / "coverage.yaml").unlink()
    result = runner.invoke(main, ["coverage", "--data", str(mini)])
    assert result.exit_code == 1
    assert "UNCOVERED" in result.output and "罗湖样例" in result.output
