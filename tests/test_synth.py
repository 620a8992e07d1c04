"""The synthetic corpus: valid input for the builder, deterministic, and of a predictable size."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import RDF, URIRef

from builder.cli_synth import synth_command
from builder.coverage import corpus_coverage, format_report
from builder.pipeline import Built, build
from builder.shacl import check_shapes
from builder.synth import write_corpus
from builder.vocab import LK

PROJECTS = {
    "UrbanRenewalProject", "ShantytownRedevelopmentProject", "CommercialStreetRenovationProject",
    "SchoolConstructionProject", "TransportHubProject", "HousingProject",
    "LandConsolidationProject",
}  # fmt: skip
INITIATIVES = {"GovernanceService", "Reform", "Pilot", "Programme", "DigitalPlatform"}


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _triples(built: Built) -> int:
    return len(built.parts().data())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles, seed 1."""
    out = tmp_path_factory.mktemp("synth") / "data"
    stats = write_corpus(out, 3, seed=1)
    assert stats.articles == 3
    return out


@pytest.fixture(scope="module")
def built(corpus: Path) -> Built:
    return build([str(corpus)])


def test_builds_with_the_expected_classes(built: Built) -> None:
    graph = built.graph()
    by_class = Counter(
        str(o)[len(str(LK)) :] for o in graph.objects(None, RDF.type) if str(o).startswith(LK)
    )
    for cls in ("NewsArticle", "Province", "City", "District", "NewsOrganization"):
        assert by_class[cls] == 3, cls
    for cls in ("Area", "Community", "Facility", "GovernmentBody", "Person", "Post", "Quote",
                "Plan", "PolicyDocument", "Goal", "Event", "Domain", "Indicator"):  # fmt: skip
        assert by_class[cls] >= 3, cls
    assert by_class["Observation"] >= 15
    assert any(by_class[cls] for cls in PROJECTS)
    assert any(by_class[cls] for cls in INITIATIVES)
    targets = {o for s, o in graph.subject_objects(LK.observationStatus)}
    assert URIRef(LK.Target) in targets


def test_every_fact_file_shaped_like_the_real_ones(corpus: Path) -> None:
    folders = sorted((corpus / "articles").iterdir())
    assert [f.name for f in folders] == ["a0001", "a0002", "a0003"]
    names = {p.name for p in folders[0].iterdir()}
    assert {"article.txt", "article.yaml", "places.yaml", "agents.yaml", "indicators.yaml",
            "documents.yaml", "domains.yaml", "quotes.yaml", "coverage.yaml"} <= names  # fmt: skip
    ids: Counter[str] = Counter()
    for folder in folders:
        for path in folder.glob("*.yaml"):
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
            if path.name == "article.yaml":
                assert content["id"] == folder.name
                continue
            if path.name == "coverage.yaml":
                assert content["skips"] and "facts" not in content
                continue
            for fact in content["facts"]:
                assert fact["id"].startswith(folder.name + "-")
                ids[fact["id"]] += 1
    assert ids and max(ids.values()) == 1


def test_ids_unique_across_articles(built: Built) -> None:
    by_article: dict[str, set[str]] = {}
    for fact in built.corpus.facts.values():
        by_article.setdefault(fact.article_id, set()).add(fact.id)
    assert len(by_article) == 3
    total = sum(len(ids) for ids in by_article.values())
    assert len(set().union(*by_article.values())) == total


def test_coverage_is_complete(built: Built) -> None:
    report, complete = format_report(corpus_coverage(built.corpus))
    assert complete, report


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, corpus: Path) -> None:
    write_corpus(tmp_path / "again", 3, seed=1)
    assert _files(tmp_path / "again") == _files(corpus)
    write_corpus(tmp_path / "other", 3, seed=2)
    other = _files(tmp_path / "other")
    assert other.keys() & _files(corpus).keys()
    assert other != _files(corpus)


def test_rewriting_removes_stale_articles_and_files(tmp_path: Path) -> None:
    write_corpus(tmp_path, 3, seed=1)
    (tmp_path / "articles" / "mine").mkdir()
    (tmp_path / "articles" / "mine" / "notes.txt").write_text("kept", encoding="utf-8")
    write_corpus(tmp_path, 2, seed=2)
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == ["a0001", "a0002", "mine"]
    fresh = tmp_path / "fresh"
    write_corpus(fresh, 2, seed=2)
    assert _files(tmp_path / "articles" / "a0001") == _files(fresh / "articles" / "a0001")
    build([str(tmp_path / "articles" / "a0001"), str(tmp_path / "articles" / "a0002")])


def test_shapes_conform(tmp_path: Path) -> None:
    write_corpus(tmp_path, 2, seed=3)
    result = check_shapes(build([str(tmp_path)]).graph(with_ontology=True))
    assert result.conforms, result.report[:3000]


def test_size_scales_linearly(tmp_path: Path) -> None:
    write_corpus(tmp_path / "two", 2, seed=4)
    write_corpus(tmp_path / "four", 4, seed=4)
    two, four = _triples(build([str(tmp_path / "two")])), _triples(build([str(tmp_path / "four")]))
    assert 1_400 < two < 2_800
    assert 1.6 < four / two < 2.4
    bigger = tmp_path / "bigger"
    write_corpus(bigger, 2, seed=4, facts_per_article=80)
    assert _triples(build([str(bigger)])) > 1.8 * two


def test_cli_writes_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    result = CliRunner().invoke(
        synth_command, ["--articles", "2", "--seed", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 2 articles" in result.output
    assert (out / "articles" / "a0002" / "article.txt").is_file()
    assert CliRunner().invoke(synth_command, ["--out", str(out)]).exit_code == 2
