"""Graph analytics: entities and links, PageRank, analyze, path, GraphML."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from builder.analytics import (
    EntityGraph,
    EntityLookupError,
    NoPathError,
    analyze,
    format_path,
    graphml_bytes,
    pagerank,
    shortest_path,
    write_graphml,
)
from builder.cli_graph import analyze_command, export_graphml_command, path_command
from builder.pipeline import Built
from builder.vocab import DEFAULT_BASE, LK, PROV, SCHEMA, SKOS, local_name
from tests.test_viz import MINI_ENTITIES, MINI_LINKS, entity_count, mini_graph

LKD = DEFAULT_BASE
PATH_ZH = "罗育德 —heldBy← 罗湖区委书记 —postIn→ 中共深圳市罗湖区委员会"


@pytest.fixture(scope="module")
def eg() -> EntityGraph:
    return EntityGraph.from_rdf(mini_graph())


def test_entities_and_links(eg: EntityGraph) -> None:
    assert len(eg.entities) == entity_count(eg.rdf) == MINI_ENTITIES
    assert eg.entities[LKD + "luo-yude"].zh == "罗育德"
    assert eg.entities[LKD + "luo-yude"].cls == str(LK.Person)
    props = {link.prop for link in eg.links}
    assert str(SCHEMA.mentions) not in props and str(LK.sourceArticle) not in props
    assert {(link.source, link.target) for link in eg.links if link.prop.endswith("heldBy")} == {
        (LKD + "post-luohu-party-secretary", LKD + "luo-yude")
    }
    assert len(eg.links) == MINI_LINKS


def test_provenance_nodes_are_not_entities(article_built: Built) -> None:
    graph = article_built.graph()
    eg = EntityGraph.from_rdf(graph)
    assert len(eg.entities) == entity_count(graph)
    classes = {local_name(e.cls) for e in eg.entities.values()}
    assert not classes & {"Evidence", "Statement", "Restatement", "Curators"}
    assert len(set(graph.subjects(RDF.type, LK.Statement))) > 100  # they are in the data
    assert {"FirstClaim", "ComparisonClaim", "TrendClaim", "DataCategory"} <= classes
    props = {link.prop for link in eg.links}
    assert not props & {str(PROV.wasAttributedTo), str(LK.statementSubject), str(LK.hasEvidence)}
    assert str(LK.claimAbout) in props
    # domains: skos:broader is a link; its inverse skos:narrower (written by the builder) is not
    assert str(SKOS.broader) in props and str(SKOS.narrower) not in props
    assert len(list(graph.triples((None, SKOS.narrower, None)))) == len(
        [link for link in eg.links if link.prop == str(SKOS.broader)]
    )


def test_pagerank_matches_networkx() -> None:
    g = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("d", "e")])
    g.add_node("lonely")
    ours = pagerank(g)
    assert sum(ours.values()) == pytest.approx(1.0)
    assert max(ours, key=ours.__getitem__) == "a"
    reference = getattr(nx.algorithms.link_analysis.pagerank_alg, "_pagerank_python", None)
    if reference is not None:
        expected = reference(g)
        for node, value in expected.items():
            assert ours[node] == pytest.approx(value, abs=1e-6)
    assert pagerank(nx.Graph()) == {}


def test_analyze_report(eg: EntityGraph) -> None:
    report = analyze(eg, top=3)
    assert (report.entities, report.links) == (MINI_ENTITIES, MINI_LINKS)
    assert report.components == [9, 3]
    assert sum(count for _degree, count in report.degrees) == MINI_ENTITIES
    assert [iri for iri, _s, _d in report.top] == eg.ranked()[:3]
    scores = [score for _iri, score, _d in report.top]
    assert scores == sorted(scores, reverse=True)


def test_resolve_names(eg: EntityGraph) -> None:
    assert eg.resolve("罗育德") == LKD + "luo-yude"
    assert eg.resolve("luo yude") == LKD + "luo-yude"  # English, any case
    assert eg.resolve(" luo-yude ") == LKD + "luo-yude"  # the fact id
    assert eg.resolve(LKD + "luo-yude") == LKD + "luo-yude"
    assert eg.resolve(f"<{LKD}luo-yude>") == LKD + "luo-yude"
    assert eg.resolve("lkd:luo-yude") == LKD + "luo-yude"  # as query tables show it
    assert eg.resolve("罗湖区委") == LKD + "luohu-party-committee"  # an alternative label
    with pytest.raises(EntityLookupError, match="did you mean: .*罗湖区委书记"):
        eg.resolve("罗湖")
    with pytest.raises(EntityLookupError, match=r"did you mean: 罗育德 \(luo-yude\)"):
        eg.resolve("罗玉德")  # a typo
    with pytest.raises(EntityLookupError, match=r"did you mean: luo-yude\b"):
        eg.resolve(LKD + "luo-yud")  # an IRI that is not an entity's
    with pytest.raises(EntityLookupError, match="not an entity"):
        eg.resolve("lk:Person")  # a class is not an entity
    with pytest.raises(EntityLookupError, match="not a valid IRI: it contains a space"):
        eg.resolve("http://a b")
    with pytest.raises(EntityLookupError, match="keyword-search"):
        eg.resolve("xyzzy")  # nothing near: where to look instead


def test_main_label_beats_alternative_label() -> None:
    g = mini_graph()
    government = URIRef(LKD + "luohu-government")
    g.add((government, RDF.type, LK.GovernmentBody))
    g.add((government, RDFS.label, Literal("罗湖区政府", lang="zh")))
    g.add((government, SKOS.altLabel, Literal("罗湖区", lang="zh")))
    g.add((government, SKOS.altLabel, Literal("罗湖区委", lang="zh")))
    eg = EntityGraph.from_rdf(g)
    assert eg.resolve("罗湖区") == LKD + "luohu"
    assert eg.resolve("罗湖区政府") == str(government)
    with pytest.raises(EntityLookupError, match="names 2 entities by alternative label"):
        eg.resolve("罗湖区委")


def test_ambiguous_name() -> None:
    g = mini_graph()
    twin = URIRef(LKD + "luo-yude-2")
    g.add((twin, RDF.type, LK.Person))
    g.add((twin, RDFS.label, Literal("罗育德", lang="zh")))
    with pytest.raises(EntityLookupError, match="names 2 entities: luo-yude, luo-yude-2;"):
        EntityGraph.from_rdf(g).resolve("罗育德")


def test_shortest_path_keeps_directions(eg: EntityGraph) -> None:
    start, end = eg.resolve("罗育德"), eg.resolve("中共深圳市罗湖区委员会")
    steps = shortest_path(eg, start, end)
    assert format_path(eg, start, steps) == PATH_ZH
    assert format_path(eg, start, steps, "en") == (
        "Luo Yude —heldBy← Secretary of the CPC Luohu District Committee "
        "—postIn→ CPC Luohu District Committee"
    )
    assert shortest_path(eg, start, start) == []
    with pytest.raises(NoPathError):
        shortest_path(eg, start, eg.resolve("夏凡"))


def test_cli_analyze(mini: Path) -> None:
    result = CliRunner().invoke(analyze_command, ["--data", str(mini), "--top", "4"])
    assert result.exit_code == 0, result.output
    assert "connected components: 2 (sizes: 9, 3)" in result.output
    assert "top 4 entities by PageRank" in result.output
    assert "degree distribution" in result.output


def test_cli_path(mini: Path) -> None:
    runner = CliRunner()
    named = ["罗育德", "CPC Luohu District Committee"]
    result = runner.invoke(path_command, ["--data", str(mini), *named])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == PATH_ZH
    result = runner.invoke(path_command, ["--data", str(mini), "罗育德", "夏凡"])
    assert result.exit_code == 1 and "no path between 罗育德 and 夏凡" in result.output
    result = runner.invoke(path_command, ["--data", str(mini), "罗育德", "nobody"])
    assert result.exit_code == 2 and "no entity is labelled 'nobody'" in result.output
    result = runner.invoke(path_command, ["--data", str(mini), "lkd:luo-yude", "罗湖区委"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == PATH_ZH


def test_cli_analyze_focus(mini: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(analyze_command, ["--data", str(mini), "--focus", "Luo Yude"])
    assert result.exit_code == 0, result.output
    block = result.output.split("\n\n")[-1].splitlines()
    assert block[0] == "罗育德 (luo-yude, Person):"
    assert block[2:] == [
        "  links: 2 (0 out, 2 in)",  # heldBy from the post, spokenBy from the quote
        "  component: 9 entities",
        "  neighbours (2): 罗湖区委书记, 罗育德:“我们有信心。”",
    ]
    result = runner.invoke(analyze_command, ["--data", str(mini), "--focus", "nobody"])
    assert result.exit_code == 2 and "no entity is labelled 'nobody'" in result.stderr


@pytest.mark.parametrize("command", [analyze_command, export_graphml_command])
def test_missing_data_folder_is_named(command: click.Command) -> None:
    result = CliRunner().invoke(command, ["--data", "/nope/data"])
    assert result.exit_code == 2
    assert result.stderr == "error: no such folder: /nope/data\n"


def test_graphml(tmp_path: Path, mini: Path) -> None:
    graph = mini_graph()
    path = write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (MINI_ENTITIES, MINI_LINKS)
    node = back.nodes[LKD + "luo-yude"]
    assert (node["label"], node["label_en"], node["type"]) == ("罗育德", "Luo Yude", "Person")
    assert node["class_zh"] == "人物" and node["pagerank"] > 0
    labels = {d["label"] for _u, _v, d in back.edges(data=True)}
    assert {"heldBy", "postIn", "locatedIn"} <= labels
    assert "罗育德".encode() in path.read_bytes()  # UTF-8, not character references
    assert graphml_bytes(mini_graph()) == path.read_bytes()  # deterministic

    runner = CliRunner()
    out = tmp_path / "cli.graphml"
    result = runner.invoke(export_graphml_command, ["--data", str(mini), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == path.read_bytes()
    result = runner.invoke(export_graphml_command, ["--data", str(mini)])
    assert result.exit_code == 0 and result.stdout_bytes == path.read_bytes()


def test_empty_graph() -> None:
    eg = EntityGraph.from_rdf(Graph())
    report = analyze(eg)
    assert (report.entities, report.links, report.components, report.top) == (0, 0, [], [])
