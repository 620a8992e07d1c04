"""The graph view's HTML (no browser): self-contained, safe, deterministic, faithful."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from builder.analytics import EntityGraph, EntityLookupError
from builder.cli_graph import viz_command
from builder.pipeline import Built, build
from builder.viz import (
    focus_path,
    graph_html,
    json_for_script,
    select_view,
    vis_options,
    write_graph_html,
)
from builder.vocab import DEFAULT_BASE, LK, OA, PROV, SCHEMA
from tests.conftest import MINI

LKD = DEFAULT_BASE
# the small example: 11 facts and the claim the builder makes of 增速跑赢全市, linked by 12
# triples between entities (statements, evidence and the curators are not entities)
MINI_ENTITIES, MINI_LINKS = 12, 12
# entities: typed with an lk: class other than the provenance ones (evidence, statements…)
ENTITY_QUERY = """
PREFIX lk: <https://w3id.org/luohu-kg/ontology#>
SELECT DISTINCT ?s WHERE {
  ?s a ?c .
  FILTER(STRSTARTS(STR(?c), "https://w3id.org/luohu-kg/ontology#"))
  FILTER(?c NOT IN (lk:Evidence, lk:Statement, lk:Restatement, lk:Curators))
}"""

P_IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
P_SCRIPT = "</script><script>window.__xss=2;alert(2)</script>"
P_QUOTES = '"\'><svg onload="window.__xss=3">'
P_HREF = '<a href="javascript:window.__xss=4">链接</a>'
P_NOTE = '<b onmouseover="window.__xss=5">note</b>'
PAYLOADS = (P_IMG, P_SCRIPT, P_QUOTES, P_HREF, P_NOTE)


def entity_count(graph: Graph) -> int:
    """Entities counted with SPARQL, independently of builder.analytics."""
    return len(list(graph.query(ENTITY_QUERY)))


def mini_graph() -> Graph:
    """The small valid example's data graph."""
    return build([str(MINI)]).graph()


def xss_graph() -> Graph:
    """The mini graph with script-like text in labels, quotes, values and the headline."""
    g = mini_graph()
    person = URIRef(LKD + "luo-yude")
    article = URIRef(LKD + "article/mini")
    observation = URIRef(LKD + "luohu-gdp-2021-h1")
    g.remove((person, RDFS.label, None))
    g.add((person, RDFS.label, Literal("罗育德" + P_IMG, lang="zh")))
    g.add((person, RDFS.label, Literal("Luo Yude" + P_QUOTES, lang="en")))
    for p in (RDFS.label, SCHEMA.headline):
        g.remove((article, p, None))
        g.add((article, p, Literal("罗湖样例" + P_IMG + P_SCRIPT, lang="zh")))
        g.add((article, p, Literal("A Luohu sample" + P_HREF, lang="en")))
    g.remove((observation, LK.valueText, None))
    g.add((observation, LK.valueText, Literal("1268.19亿元" + P_SCRIPT)))
    selector = URIRef(LKD + "evidence/luo-yude.quote")
    g.remove((selector, OA.exact, None))
    g.add((selector, OA.exact, Literal("罗湖区委书记罗育德" + P_SCRIPT + P_HREF)))
    g.add((person, RDFS.comment, Literal(P_HREF + " & " + P_QUOTES, lang="en")))
    # luohu locatedIn shenzhen made background knowledge, with a script-like note
    statement = URIRef(LKD + "statement/luohu.locatedIn.shenzhen")
    for p in (LK.basis, LK.hasEvidence):
        g.remove((statement, p, None))
    g.add((statement, LK.basis, LK.BackgroundKnowledge))
    g.add((statement, PROV.wasAttributedTo, URIRef(LKD + "curators")))
    g.add((statement, LK.basisNote, Literal("Known" + P_NOTE, lang="en")))
    return g


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append(dict(attrs))


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def page_data(html: str) -> dict[str, Any]:
    """The JSON block of the page."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    write_graph_html(mini_graph(), path)
    return path.read_text(encoding="utf-8")


def test_self_contained_and_offline(mini_html: str) -> None:
    doc = parse(mini_html)
    urls = [v or "" for _t, attrs in doc.tags for k, v in attrs.items() if k in ("src", "href")]
    assert not [u for u in urls if re.match(r"\s*(https?:)?//", u, re.I)]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", mini_html, re.I)
    assert "<link" not in mini_html.lower()
    assert "vis-network" in mini_html and "new vis.Network(" in mini_html
    assert [s.get("src") for s in doc.scripts] == [None, None, None]  # all inline
    assert "default-src 'none'" in mini_html  # CSP: the page may load nothing
    for font in ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei"):
        assert font in mini_html
    assert "bootstrap" not in mini_html.lower()
    assert "innerHTML" not in mini_html.split("<script>", 2)[-1]  # not in the page's own script


def test_nodes_are_the_entities(mini_html: str) -> None:
    graph = mini_graph()
    data = page_data(mini_html)
    ids = {n["id"] for n in data["nodes"]}
    assert len(data["nodes"]) == entity_count(graph) == MINI_ENTITIES
    expected = {str(row[0]) for row in graph.query(ENTITY_QUERY)}  # type: ignore[index]
    assert ids == expected
    assert not [i for i in ids if "/evidence/" in i or "/statement/" in i or "/period/" in i]
    assert data["stats"] == {
        "entities": MINI_ENTITIES,
        "shown": MINI_ENTITIES,
        "links": MINI_LINKS,
    }
    small = {n["id"]: n["size"] for n in data["nodes"]}
    assert small[LKD + "luohu-gdp-2021-h1"] < small[LKD + "luohu"]  # observations are smaller


def test_legend_lists_every_class(mini_html: str) -> None:
    data = page_data(mini_html)
    keys = [c["key"] for c in data["classes"]]
    assert sorted(keys) == sorted(
        [
            "City", "District", "PartyOrganization", "Person", "Post", "Quote", "Indicator",
            "Observation", "NewsOrganization", "NewsArticle", "ComparisonClaim",
        ]
    )  # fmt: skip
    colours = {(c["colour"], c["shape"]) for c in data["classes"]}
    assert len(colours) == len(keys)
    person = next(c for c in data["classes"] if c["key"] == "Person")
    assert (person["zh"], person["en"], person["count"]) == ("人物", "Person", 2)


def test_edges_carry_property_labels(mini_html: str) -> None:
    data = page_data(mini_html)
    by_label = {e["label"]: e for e in data["edges"]}
    assert by_label["位于"]["from"] == LKD + "luohu"
    assert by_label["位于"]["to"] == LKD + "shenzhen"
    assert by_label["任职者"]["arrows"] == "to"
    info = data["edgeInfo"][by_label["位于"]["id"]]
    assert info["p"] == ["位于", "located in", "lk:locatedIn"]
    assert info["ev"][0]["exact"] == "增速跑赢全市"  # the relation's own evidence


def edge_between(data: dict[str, Any], source: str, prop: str, target: str) -> dict[str, Any]:
    """The vis edge from `source` to `target` over `prop` (a prefixed name)."""
    found = [
        e
        for e in data["edges"]
        if (e["from"], e["to"]) == (source, target) and data["edgeInfo"][e["id"]]["p"][2] == prop
    ]
    assert len(found) == 1, found
    edge: dict[str, Any] = found[0]
    return edge


@pytest.fixture(scope="module")
def article_data(article_built: Built) -> dict[str, Any]:
    """The page data of the real article."""
    page, _view = graph_html(article_built.graph())
    return page_data(page.decode("utf-8"))


def test_background_relation_has_no_quote(article_data: dict[str, Any]) -> None:
    edge = edge_between(article_data, LKD + "shenzhen", "lk:locatedIn", LKD + "guangdong")
    info = article_data["edgeInfo"][edge["id"]]
    assert info["ev"] == []  # not the quote of 深圳 itself
    basis = info["basis"]
    assert basis["kind"] == "background"
    assert basis["label"][:2] == ["背景知识(非原文)", "background knowledge (not in the text)"]
    assert "Guangdong" in basis["note"] and basis["noteLang"] == "en"
    assert basis["by"] == [{"zh": "luohu-kg 数据整理者", "en": "luohu-kg curators"}]
    assert edge["dashes"] is True
    props = [r for r in article_data["info"][LKD + "shenzhen"]["props"] if r.get("target")]
    located = next(r for r in props if r["target"] == LKD + "guangdong")
    assert located["bg"] is True and located["bgNote"] == basis["note"]
    incoming = article_data["info"][LKD + "guangdong"]["in"]
    assert next(r for r in incoming if r["source"] == LKD + "shenzhen")["bg"] is True


def test_text_relation_keeps_its_quote(article_built: Built, article_data: dict[str, Any]) -> None:
    post, person = LKD + "post-luohu-party-secretary", LKD + "luo-yude"
    edge = edge_between(article_data, post, "org:heldBy", person)
    assert "dashes" not in edge
    info = article_data["edgeInfo"][edge["id"]]
    assert info["basis"]["kind"] == "text"
    assert info["basis"]["label"][:2] == ["原文陈述", "stated in the text"]
    quotes = article_built.graph().query(
        """PREFIX lk: <https://w3id.org/luohu-kg/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?q WHERE {
          ?st lk:statementSubject ?s ; lk:statementPredicate ?p ; lk:statementObject ?o ;
              lk:hasEvidence/oa:hasSelector/oa:exact ?q }""",
        initBindings={
            "s": URIRef(post),
            "p": URIRef("http://www.w3.org/ns/org#heldBy"),
            "o": URIRef(person),
        },
    )
    assert [q["exact"] for q in info["ev"]] == [str(row[0]) for row in quotes]  # type: ignore[index]
    assert "罗育德" in info["ev"][0]["exact"] and info["ev"][0]["line"] > 0
    assert "bg" not in next(
        r for r in article_data["info"][post]["props"] if r.get("target") == person
    )


def test_article_nodes_and_new_kinds(article_data: dict[str, Any]) -> None:
    ids = {n["id"] for n in article_data["nodes"]}
    for part in ("/statement/", "/restatement/", "/evidence/", "/period/"):
        assert not [i for i in ids if part in i], part
    assert LKD + "curators" not in ids
    claim = LKD + "claim-gdp-growth-beats-city"
    assert claim in ids and article_data["labels"][claim][0] == "增速跑赢全市"
    edge = edge_between(article_data, claim, "lk:claimAbout", LKD + "luohu-gdp-2021-h1")
    assert article_data["edgeInfo"][edge["id"]]["ev"][0]["exact"]  # the claim's own quote
    keys = [c["key"] for c in article_data["classes"]]
    assert {"FirstClaim", "ComparisonClaim", "TrendClaim", "DataCategory"} <= set(keys)
    labels = {e["label"] for e in article_data["edges"]}
    assert "上位概念" in labels and "下位概念" not in labels  # broader only, not its inverse


def test_key_values_of_periods_and_restatements(article_data: dict[str, Any]) -> None:
    def keys(iri: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for row in article_data["info"][LKD + iri]["key"]:
            found.setdefault(row["p"][2], []).append(row["zh"])
        return found

    assert keys("liantang-school-classes")["lk:refPeriod"] == ["无(不随时间的数据)"]  # timeless
    assert keys("big-data-daily-sharing")["lk:refPeriod"] == ["截至2021年8月前后"]  # as of
    restated = keys("big-data-records-aggregated")
    assert restated["lk:valueText"] == ["40.3亿条"] and restated["lk:restatedAs"] == ["逾40亿条"]
    quotes = article_data["info"][LKD + "big-data-records-aggregated"]["ev"]
    assert [q.get("restated") for q in quotes] == [None, "逾40亿条"]
    assert "逾40亿条" in quotes[1]["exact"]
    props = {
        r["p"][2]: r for r in article_data["info"][LKD + "big-data-records-aggregated"]["props"]
    }
    assert props["lk:restatedAs"]["zh"] == "逾40亿条"


def test_tooltip_values_and_details(mini_html: str) -> None:
    data = page_data(mini_html)
    obs = data["info"][LKD + "luohu-gdp-2021-h1"]
    keys = {row["p"][2]: row for row in obs["key"]}
    assert keys["lk:valueText"]["zh"] == "1268.19亿元"
    assert keys["lk:value"]["zh"] == "126819000000 unit:CCY_CNY"
    assert keys["lk:value"]["en"] == "126.8 bn CNY"
    assert keys["lk:growthText"]["zh"] == "10.3%"
    assert keys["lk:refPeriod"]["zh"] == "2021年上半年"
    assert data["labels"][LKD + "luohu-gdp-2021-h1"] == ["1268.19亿元", "126.8 bn CNY"]
    person = data["info"][LKD + "luo-yude"]
    assert (person["zh"], person["en"]) == ("罗育德", "Luo Yude")
    assert person["ev"] == [
        {
            "exact": "罗湖区委书记罗育德",
            "prefix": "亿元,增长10.3%,增速跑赢全市。\n\n",
            "suffix": "表示,“我们有信心。”\n\n信息来源:南方",
            "line": 5,
        }
    ]
    assert {r["source"] for r in person["in"]} == {
        LKD + "post-luohu-party-secretary",
        LKD + "quote-luo-yude",
    }
    props = {r["p"][2]: r for r in data["info"][LKD + "luohu"]["props"]}
    assert props["lk:locatedIn"]["target"] == LKD + "shenzhen"
    assert "rdf:type" not in props and "lk:hasEvidence" not in props


def test_deterministic(tmp_path: Path) -> None:
    graph = mini_graph()
    write_graph_html(graph, tmp_path / "a.html")
    write_graph_html(mini_graph(), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert graph_html(graph)[0] == (tmp_path / "a.html").read_bytes()
    assert '"randomSeed":' in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_json_for_script_escapes() -> None:
    value = {"a": P_SCRIPT + P_IMG + "&amp;\u2028"}
    text = str(json_for_script(value))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_data_text_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    write_graph_html(xss_graph(), path)
    html = path.read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in html
    assert "<img" not in html and "<svg onload" not in html and 'href="javascript' not in html
    assert html.lower().count("</script") == len(parse(html).scripts) == 3
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "&lt;img src=x onerror=" in title.group(1)
    assert "&lt;/script&gt;" in html  # the escaped heading
    data = page_data(html)  # the JSON still holds the exact text
    assert data["info"][LKD + "luo-yude"]["zh"] == "罗育德" + P_IMG
    edge = edge_between(data, LKD + "luohu", "lk:locatedIn", LKD + "shenzhen")
    assert data["edgeInfo"][edge["id"]]["basis"]["note"] == "Known" + P_NOTE
    assert data["title"]["zh"].endswith(P_IMG + P_SCRIPT)


def test_focus_and_depth() -> None:
    eg = EntityGraph.from_rdf(mini_graph())
    view = select_view(eg, focus="罗育德", depth=1)
    assert view.focus == LKD + "luo-yude"
    assert set(view.shown) == {
        LKD + "luo-yude",
        LKD + "post-luohu-party-secretary",
        LKD + "quote-luo-yude",
    }
    assert len(select_view(eg, focus="Luo Yude", depth=2).shown) == 5
    assert select_view(eg, focus=LKD + "luo-yude", depth=0).shown == [LKD + "luo-yude"]
    with pytest.raises(EntityLookupError, match="no entity is labelled '不存在'"):
        select_view(eg, focus="不存在")
    # the ids are read under the base the graph was built with
    assert select_view(eg, focus="luo-yude", depth=0, base=LKD).focus == LKD + "luo-yude"
    with pytest.raises(EntityLookupError, match="no id matches"):
        select_view(eg, focus="luo-yude", base="https://example.org/other/")


def test_focus_path_is_named_for_the_entity() -> None:
    assert focus_path(LKD + "luo-yude") == Path("out") / "graph-luo-yude.html"
    assert focus_path(LKD + "article/mini", Path("x")) == Path("x") / "graph-article-mini.html"
    assert focus_path("https://example.org/things#A b", base=LKD).name == "graph-A-b.html"


def test_max_nodes_keeps_the_most_central() -> None:
    eg = EntityGraph.from_rdf(mini_graph())
    view = select_view(eg, max_nodes=3)
    assert view.shown == sorted(eg.ranked()[:3])
    focused = select_view(eg, focus="夏凡", depth=5, max_nodes=2)
    assert LKD + "xia-fan" in focused.shown and len(focused.shown) == 2


def test_large_graphs_are_tuned() -> None:
    small, large = vis_options(50, 60), vis_options(5000, 10000)
    assert small["layout"]["improvedLayout"] is True
    assert large["layout"]["improvedLayout"] is False
    assert large["physics"]["stabilization"]["iterations"] < 200
    assert large["edges"]["smooth"]["enabled"] is False
    assert small["layout"]["randomSeed"] == large["layout"]["randomSeed"]


def test_english_labels(tmp_path: Path) -> None:
    path = tmp_path / "en.html"
    write_graph_html(mini_graph(), path, lang="en")
    html = path.read_text(encoding="utf-8")
    data = page_data(html)
    assert data["lang"] == "en" and '<html lang="en">' in html
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[LKD + "luo-yude"] == "Luo Yude"
    assert "located in" in {e["label"] for e in data["edges"]}


def test_unlabelled_and_unknown_classes(tmp_path: Path) -> None:
    g = Graph()
    a, b = URIRef(LKD + "a"), URIRef(LKD + "b")
    g.add((a, RDF.type, LK.SomethingNew))
    g.add((b, RDF.type, LK.Person))
    g.add((a, LK.locatedIn, b))
    view = write_graph_html(g, tmp_path / "g.html")
    data = page_data((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert len(view.shown) == 2
    assert {c["key"] for c in data["classes"]} == {"SomethingNew", "Person"}
    assert data["info"][str(a)]["zh"] == "a"  # the local name when there is no label


def test_cli_viz(tmp_path: Path, mini: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out" / "graph.html"
    result = runner.invoke(viz_command, ["--data", str(mini), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{MINI_ENTITIES} of {MINI_ENTITIES} entities" in result.output
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) == MINI_ENTITIES
    focus = ["--data", str(mini), "--out", str(out), "--focus", "罗育德", "--depth", "1"]
    result = runner.invoke(viz_command, [*focus, "--lang", "en", "--max-nodes", "2"])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["focus"] == LKD + "luo-yude" and len(data["nodes"]) == 2
    assert "neighbourhood of Luo Yude" in data["title"]["en"]
    result = runner.invoke(viz_command, ["--data", str(mini), "--focus", "nobody"])
    assert result.exit_code == 2 and "no entity is labelled 'nobody'" in result.output
    result = runner.invoke(viz_command, ["--data", str(mini), "--depth", "2"])
    assert result.exit_code == 2 and "--depth needs --focus" in result.output


def test_cli_viz_focus_keeps_the_full_view(
    tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(viz_command, ["--data", str(mini)])
    assert result.exit_code == 0 and result.output.startswith("wrote out/graph.html ")
    full = (tmp_path / "out" / "graph.html").read_bytes()
    result = runner.invoke(viz_command, ["--data", str(mini), "--focus", "Luo Yude"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {Path('out', 'graph-luo-yude.html')} (3 of 12 ")
    assert "罗育德 and what is within 1 link of it" in result.output
    assert (tmp_path / "out" / "graph.html").read_bytes() == full  # not overwritten
    page = page_data((tmp_path / "out" / "graph-luo-yude.html").read_text(encoding="utf-8"))
    assert page["focus"] == LKD + "luo-yude"
    result = runner.invoke(
        viz_command, ["--data", str(mini), "--focus", "luo-yude", "-o", "a.html"]
    )
    assert result.exit_code == 0 and result.output.startswith("wrote a.html ")
    assert page_data((tmp_path / "a.html").read_text(encoding="utf-8"))["focus"] == page["focus"]
    result = runner.invoke(viz_command, ["--data", str(tmp_path / "nope")])
    assert (
        result.exit_code == 2 and result.stderr == f"error: no such folder: {tmp_path / 'nope'}\n"
    )


def test_write_is_atomic_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "graph.html"
    write_graph_html(mini_graph(), target)
    assert target.exists()
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]
