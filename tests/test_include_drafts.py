"""`build --include-drafts`: the facts a draft file proposes are checked like curated ones and
written into a named graph of their own, each marked as proposed; without the option a draft
changes nothing.

The draft is the drafter's own, of the main article's text set up as a new article ("copy")
beside the curated data, as a curator would start one (`new-article`, then `draft`)."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.drafting import draft_article

from .conftest import DATA

MAIN = "luohu-pilot-zone-2nd-anniversary"
NEW = "copy"  # the new article's id
BASE = "https://w3id.org/luohu-kg/id/"
LK = "https://w3id.org/luohu-kg/ontology#"
ARTICLE_GRAPH = f"{BASE}graph/{NEW}"
DRAFT_GRAPH = f"{BASE}graph/{NEW}.draft"
MAIN_GRAPH = f"{BASE}graph/{MAIN}"
REVIEW_STATUS = ox.NamedNode(LK + "reviewStatus")
PROPOSED = ox.NamedNode(LK + "Proposed")
PROPOSED_BY = ox.NamedNode(LK + "proposedBy")
CONFIDENCE = ox.NamedNode(LK + "confidence")
SOURCE_ARTICLE = ox.NamedNode(LK + "sourceArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
STATEMENT = ox.NamedNode(LK + "Statement")
MARKS = {REVIEW_STATUS, PROPOSED_BY, CONFIDENCE, ox.NamedNode(LK + "toReview")}


def new_article(data: Path) -> Path:
    """A new article folder in `data`: the main article's text and metadata under a new id,
    without any curated fact file."""
    folder = data / "articles" / NEW
    folder.mkdir()
    source = DATA / "articles" / MAIN
    shutil.copy(source / "article.txt", folder / "article.txt")
    meta = (source / "article.yaml").read_text(encoding="utf-8")
    (folder / "article.yaml").write_text(meta.replace(f"id: {MAIN}", f"id: {NEW}", 1), "utf-8")
    return folder


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the data with the new article, its draft.yaml written by the drafter."""
    data = tmp_path_factory.mktemp("drafted") / "data"
    shutil.copytree(DATA, data)
    folder = new_article(data)
    draft = draft_article(folder, [str(data)])
    (folder / "draft.yaml").write_text(draft.text(), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def undrafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data, without the draft."""
    data = tmp_path_factory.mktemp("undrafted") / "data"
    shutil.copytree(DATA, data)
    new_article(data)
    return data


def run_build(data: Path, out: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["build", "--data", str(data), "--out", str(out), *options])
    assert result.exit_code == 0, result.output


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def with_drafts(drafted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("with-drafts")
    run_build(drafted, out, "--include-drafts")
    return out


def quads(out: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(out / "luohu-kg.trig"), format=ox.RdfFormat.TRIG))


def in_graph(found: list[ox.Quad], iri: str) -> list[ox.Quad]:
    return [
        q for q in found if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == iri
    ]


def draft_facts(data: Path) -> dict[str, dict[str, object]]:
    text = (data / "articles" / NEW / "draft.yaml").read_text(encoding="utf-8")
    return {str(f["id"]): f for f in yaml.safe_load(text)["facts"]}


def test_without_the_option_a_draft_changes_nothing(
    drafted: Path, undrafted: Path, tmp_path: Path
) -> None:
    """Byte for byte the outputs of the same data without the draft."""
    run_build(drafted, tmp_path / "with-draft-file", "--no-html")
    run_build(undrafted, tmp_path / "no-draft-file", "--no-html")
    built, plain = files(tmp_path / "with-draft-file"), files(tmp_path / "no-draft-file")
    assert built == plain
    assert b".draft" not in built["luohu-kg.trig"]
    assert b"lk:proposedBy" not in built["luohu-kg-data.ttl"]


def test_proposed_facts_are_in_the_draft_graph_marked_as_proposed(
    drafted: Path, with_drafts: Path
) -> None:
    found = quads(with_drafts)
    draft = in_graph(found, DRAFT_GRAPH)
    proposed = draft_facts(drafted)
    assert len(proposed) > 50
    facts = {q.subject.value[len(BASE) :] for q in draft if q.predicate == SOURCE_ARTICLE}
    assert facts == set(proposed)  # every proposed fact, and nothing else
    by_subject: dict[str, dict[ox.NamedNode, list[ox.Term]]] = {}
    for q in draft:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate, []).append(q.object)
    statements = [s for s, props in by_subject.items() if STATEMENT in props.get(RDF_TYPE, [])]
    assert statements, "the draft proposes relations"
    for subject in [BASE + fid for fid in facts] + statements:
        props = by_subject[subject]
        assert props[REVIEW_STATUS] == [PROPOSED], subject
        assert len(props[PROPOSED_BY]) == 1, subject
        (confidence,) = props[CONFIDENCE]
        assert isinstance(confidence, ox.Literal)
        assert confidence.datatype.value.endswith("#decimal")
        assert 0 <= Decimal(confidence.value) <= 1
    gdp = next(f for f, v in proposed.items() if v.get("value") == "1268.19亿元")
    props = by_subject[BASE + gdp]
    assert props[PROPOSED_BY] == [ox.Literal(str(proposed[gdp]["proposed_by"]))]
    assert Decimal(props[CONFIDENCE][0].value) == Decimal(str(proposed[gdp]["confidence"]))


def test_curated_graphs_hold_no_proposal(drafted: Path, with_drafts: Path, tmp_path: Path) -> None:
    """The curated graphs are those of a build without drafts; the other formats hold
    everything, curated and proposed."""
    run_build(drafted, tmp_path / "plain", "--no-html", "--output", "trig")
    found, plain = quads(with_drafts), quads(tmp_path / "plain")
    for iri in (MAIN_GRAPH, ARTICLE_GRAPH):
        assert set(in_graph(found, iri)) == set(in_graph(plain, iri))
    outside = [q for q in found if q.predicate in MARKS and q.graph_name.value != DRAFT_GRAPH]
    assert outside == []
    graphs = {q.graph_name.value for q in found if isinstance(q.graph_name, ox.NamedNode)}
    assert DRAFT_GRAPH in graphs and f"{BASE}graph/{MAIN}.draft" not in graphs
    nt = ox.parse(path=str(with_drafts / "luohu-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    merged = {q.triple for q in nt}
    assert merged == {q.triple for q in found}
    data_ttl = (with_drafts / "luohu-kg-data.ttl").read_text(encoding="utf-8")
    marked = [q for q in found if q.predicate == REVIEW_STATUS]
    assert data_ttl.count("lk:reviewStatus lk:Proposed") == len(marked) > 0
    subjects = re.findall(r"^([a-z][\w-]*:\S*|<[^>\s]+>)\n    ", data_ttl, flags=re.MULTILINE)
    assert len(subjects) > 1000 and len(subjects) == len(set(subjects)), "one block per subject"


def test_the_page_shows_proposed_facts_as_proposed(with_drafts: Path) -> None:
    page = (with_drafts / "graph.html").read_text(encoding="utf-8")
    assert "lk:reviewStatus" in page and "lk:proposedBy" in page and "lk:confidence" in page


def test_validate_with_drafts(drafted: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["validate", "--data", str(drafted)])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(main, ["validate", "--data", str(drafted), "--include-drafts"])
    assert result.exit_code == 0, result.output
    counts = [re.search(r"conforms: (\d+) facts", r.output) for r in (plain, result)]
    assert counts[0] is not None and counts[1] is not None
    added = int(counts[1].group(1)) - int(counts[0].group(1))
    assert added == len(draft_facts(drafted))


def break_draft(drafted: Path, target: Path, old: str, new: str) -> tuple[Path, int, str]:
    """A copy of the drafted data whose draft has `old` replaced by `new` in the first fact
    line that holds it; (draft file, line, fact id)."""
    shutil.copytree(drafted, target)
    path = target / "articles" / NEW / "draft.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fid = ""
    for number, line in enumerate(lines, 1):
        if line.startswith("- id: "):
            fid = line[len("- id: ") :].strip()
        elif line.startswith("  ") and old in line and fid:
            lines[number - 1] = line.replace(old, new, 1)
            path.write_text("".join(lines), encoding="utf-8")
            return path, number, fid
    raise AssertionError(f"{old!r} not in the draft")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  evidence: ", "  evidence: 这句话不在原文里", "evidence not found"),
        ("  confidence: 0.", "  confidence: 1.", "`confidence` must be a number from 0 to 1"),
    ],
)
def test_a_bad_draft_fails_at_its_line_and_out_is_unchanged(
    drafted: Path, with_drafts: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    path, line, fid = break_draft(drafted, tmp_path / "data", old, new)
    out = tmp_path / "out"
    shutil.copytree(with_drafts, out)
    before = files(out)
    runner = CliRunner()
    result = runner.invoke(
        main, ["build", "--data", str(tmp_path / "data"), "--out", str(out), "--include-drafts"]
    )
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}: {fid}: {message}" in result.stderr
    assert files(out) == before
    checked = runner.invoke(
        main, ["validate", "--data", str(tmp_path / "data"), "--include-drafts"]
    )
    assert checked.exit_code == 2 and f"{path}:{line}: {fid}: {message}" in checked.stderr
    ignored = runner.invoke(main, ["validate", "--data", str(tmp_path / "data")])
    assert ignored.exit_code == 0, ignored.output  # without the option the draft is not read


def test_the_other_commands_take_the_option(drafted: Path) -> None:
    runner = CliRunner()
    fid = next(iter(draft_facts(drafted)))
    result = runner.invoke(
        main, ["export", "--data", str(drafted), "--include-drafts", "--format", "nt"]
    )
    assert result.exit_code == 0 and f"<{BASE}{fid}>".encode() in result.stdout_bytes
    result = runner.invoke(main, ["export", "--data", str(drafted), "--format", "nt"])
    assert result.exit_code == 0 and f"<{BASE}{fid}>".encode() not in result.stdout_bytes
    result = runner.invoke(main, ["stats", "--data", str(drafted), "--include-drafts"])
    assert result.exit_code == 0 and "proposedBy" in result.output


MINI_DRAFT = """draft: true
facts:
  - id: growth-speed
    type: Indicator
    measure: flow
    zh: 增速
    en: growth speed
    evidence: 增速跑赢全市
    relations:
      - property: broader
        object: gdp
        background: growth is a measure of GDP
    proposed_by: test-rule
    confidence: 0.5
    review: [en]
"""


def test_a_proposed_concept_under_a_curated_one(mini: Path, tmp_path: Path) -> None:
    """The curated concept's skos:narrower to a proposed one, and the proposed relation's
    statement (background knowledge here), are in the draft graph; the curated graph is as
    without the draft."""
    (mini / "articles" / "mini" / "draft.yaml").write_text(MINI_DRAFT, encoding="utf-8")
    run_build(mini, tmp_path / "with", "--include-drafts", "--no-html", "--output", "trig")
    run_build(mini, tmp_path / "without", "--no-html", "--output", "trig")
    found, plain = quads(tmp_path / "with"), quads(tmp_path / "without")
    draft = {q.triple for q in in_graph(found, f"{BASE}graph/mini.draft")}
    gdp, new = ox.NamedNode(BASE + "gdp"), ox.NamedNode(BASE + "growth-speed")
    narrower = ox.NamedNode("http://www.w3.org/2004/02/skos/core#narrower")
    assert ox.Triple(gdp, narrower, new) in draft
    statement = ox.NamedNode(f"{BASE}statement/growth-speed.broader.gdp")
    assert ox.Triple(statement, REVIEW_STATUS, PROPOSED) in draft
    assert ox.Triple(statement, PROPOSED_BY, ox.Literal("test-rule")) in draft
    assert not any(t.subject == statement and t.predicate.value.endswith("toReview") for t in draft)
    assert ox.Triple(new, ox.NamedNode(LK + "toReview"), ox.Literal("en")) in draft
    curated = f"{BASE}graph/mini"
    assert set(in_graph(found, curated)) == set(in_graph(plain, curated))


def test_the_page_shows_proposed_facts_apart(with_drafts: Path, drafted: Path) -> None:
    """The build's page marks what the draft proposes: a dashed node, a details line with the
    rule and confidence, hatched quotes in the article view; curated facts are unmarked."""
    html = (with_drafts / "graph.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    proposed = {iri: row["proposed"] for iri, row in data["info"].items() if "proposed" in row}
    facts = draft_facts(drafted)
    base = "https://w3id.org/luohu-kg/id/"
    assert proposed and all(iri[len(base) :] in facts for iri in proposed)
    some = next(iter(proposed))
    assert proposed[some]["by"] == facts[some[len(base) :]]["proposed_by"]
    dashed = {n["id"] for n in data["nodes"] if "shapeProperties" in n}
    assert dashed == set(proposed)
    assert "proposed" not in data["info"][base + "luo-yude"]  # a curated fact
    hatched = [s for s in data["spans"].values() if s.get("pr")]
    assert hatched and all(s["a"].endswith(NEW) for s in hatched)
