"""The page's HTML (no browser): self-contained, safe, deterministic, faithful to the graph."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from builder.cli_graph import viz_command
from builder.outputs import ontology_triples
from builder.pagedata import PageModel, number_text
from builder.pipeline import Built, build
from builder.resolver import EntityLookupError
from builder.stores import to_ox
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
    """Entities counted with SPARQL, independently of the page code."""
    return len(list(graph.query(ENTITY_QUERY)))


def mini_graph() -> Graph:
    """The small valid example's data graph."""
    return build([str(MINI)]).graph()


def store_of(graph: Graph) -> ox.Store:
    """A store holding an rdflib graph and the ontology, as the build's page store does."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology_triples())
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store


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


def classes_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every class of the legend, across its families."""
    return [c for family in data["families"] for c in family["classes"]]


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    write_graph_html(build([str(MINI)]).store(), path)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article_data(article_built: Built) -> dict[str, Any]:
    """The page data of the real article."""
    page, _view = graph_html(article_built.store())
    return page_data(page.decode("utf-8"))


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
    own_script = mini_html.split("<script>", 2)[-1]
    assert "innerHTML" not in own_script and "insertAdjacentHTML" not in own_script
    assert "fetch(" not in own_script and "XMLHttpRequest" not in own_script


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
        "capped": False,
    }
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size[LKD + "luohu-gdp-2021-h1"] < size[LKD + "luohu"]  # a folded figure is smaller


def test_legend_groups_classes_into_families(article_data: dict[str, Any]) -> None:
    families = {f["key"]: f for f in article_data["families"]}
    assert list(families) == ["places", "agents", "work", "documents", "concepts", "figures"]
    colours = [f["colour"] for f in families.values()]
    assert len(set(colours)) == 6
    folded = {k for k, f in families.items() if f["folded"]}
    assert folded == {"concepts", "figures"}

    def keys(family: str) -> set[str]:
        return {c["key"] for c in families[family]["classes"]}

    assert {"District", "City", "Area"} <= keys("places")
    assert {"Person", "Post", "GovernmentBody"} <= keys("agents")
    assert {"UrbanRenewalProject", "GovernanceService", "Event"} <= keys("work")
    assert {"Quote", "NewsArticle", "PolicyDocument"} <= keys("documents")
    assert {"Indicator", "Domain", "Goal", "DataCategory"} <= keys("concepts")
    assert {"Observation", "FirstClaim", "ComparisonClaim", "TrendClaim"} <= keys("figures")
    # every class once, counts adding up to the entities
    every = classes_of(article_data)
    assert len({c["iri"] for c in every}) == len(every)
    assert sum(c["count"] for c in every) == article_data["stats"]["shown"]
    # classes of one family differ in colour or shape
    for family in families.values():
        looks = [(c["colour"], c["shape"]) for c in family["classes"]]
        assert len(set(looks)) == len(looks), family["key"]


def test_default_view_is_about_a_hundred_entities(article_data: dict[str, Any]) -> None:
    folded = {f["key"] for f in article_data["families"] if f["folded"]}
    shown = [n for n in article_data["nodes"] if n["fam"] not in folded]
    assert 60 <= len(shown) <= 110, len(shown)
    assert article_data["stats"]["shown"] == len(article_data["nodes"]) > 200


def test_figures_and_tags_are_folded_into_their_subjects(article_data: dict[str, Any]) -> None:
    project = article_data["info"][LKD + "dongmen-pedestrian-street-renovation-phase-1"]
    figures = {article_data["labels"][f][0] for f in project["figures"]}
    assert {"约5.4亿元", "29个月"} <= figures
    luohu = article_data["info"][LKD + "luohu"]
    gdp = next(
        f for f in luohu["figures"] if article_data["labels"][f][0].startswith("1268.19亿元")
    )
    keys = {r["p"][2]: r for r in article_data["info"][gdp]["key"]}
    assert keys["lk:value"]["en"] == "126,819,000,000 CNY"
    assert keys["lk:refPeriod"]["zh"] == "2021年上半年"
    concepts = {
        c["iri"] for f in article_data["families"] if f["key"] == "concepts" for c in f["classes"]
    }
    tags = [t for i in article_data["info"].values() for t in i.get("tags", [])]
    assert len(tags) > 50 and all(article_data["info"][t]["cls"] in concepts for t in tags)
    education = article_data["info"][LKD + "education-health-integration"]["tags"]
    assert set(education) == {LKD + "domain-health", LKD + "domain-education"}
    claims = [c for i in article_data["info"].values() for c in i.get("claims", [])]
    assert len(claims) == len(set(claims)) >= 5  # each claim listed on what it is about


def test_incoming_links_read_with_inverse_labels(article_data: dict[str, Any]) -> None:
    person = article_data["info"][LKD + "luo-yude"]
    holds = next(r for r in person["in"] if r["p"][2] == "org:heldBy")
    assert holds["p"][:2] == ["担任", "holds"]
    assert holds["source"] == LKD + "post-luohu-party-secretary"
    luohu = article_data["info"][LKD + "luohu"]
    within = [r for r in luohu["in"] if r["p"][2] == "lk:locatedIn"]
    assert within and all(r["p"][:2] == ["境内有", "has within"] for r in within)
    # every incoming link has an inverse label from the ontology (none falls back to "← …")
    fallbacks = {
        r["p"][2] for i in article_data["info"].values() for r in i["in"] if r["p"][0][0] == "←"
    }
    assert not fallbacks


def test_every_linking_property_has_an_inverse_label(article_built: Built) -> None:
    model = PageModel.read(article_built.store())
    used = {p for _s, p, _o in model.links}
    missing = sorted(p for p in used if model.inverse_label(p) is None)
    assert not missing
    # an owl:inverseOf pair: each one's inverse label is the other's label
    assert model.inverse_label(str(LK.hasPart)) == model.label(str(LK.partOf))
    assert model.inverse_label(str(LK.partOf)) == model.label(str(LK.hasPart))


def test_background_relation_has_no_quote(article_data: dict[str, Any]) -> None:
    edge = edge_between(article_data, LKD + "shenzhen", "lk:locatedIn", LKD + "guangdong")
    info = article_data["edgeInfo"][edge["id"]]
    assert info["ev"] == []  # not the quote of 深圳 itself
    basis = info["basis"]
    assert basis["kind"] == "background"
    assert basis["label"][:2] == ["背景知识(非原文)", "background knowledge (not in the text)"]
    assert "Guangdong" in basis["note"] and basis["noteLang"] == "en"
    assert basis["by"] == [["luohu-kg 数据整理者", "luohu-kg curators"]]
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
    spans = article_data["spans"]
    assert [spans[s]["x"] for s in info["ev"]] == [str(row[0]) for row in quotes]  # type: ignore[index]
    assert "罗育德" in spans[info["ev"][0]]["x"] and spans[info["ev"][0]]["l"] > 0
    assert spans[info["ev"][0]]["e"] == edge["id"]  # the read view opens this edge


def test_read_view_marks_every_quote(article_built: Built, article_text: str) -> None:
    page, _view = graph_html(article_built.store(), with_questions=False)
    data = page_data(page.decode("utf-8"))
    (article,) = data["articles"]
    text = article_built.graph().value(URIRef(article["id"]), SCHEMA.text)
    assert str(text) == article_text
    # the paragraphs put back together are the text's non-blank lines, in order
    lines = [line for line in article_text.split("\n") if line.strip()]
    assert ["".join(s[0] for s in p["segs"]) for p in article["paragraphs"]] == lines
    numbers = [p["line"] for p in article["paragraphs"]]
    assert [article_text.split("\n")[n - 1] for n in numbers] == lines
    # every evidence quote of the graph is marked, over exactly its words
    rows = article_built.graph().query(
        """PREFIX lk: <https://w3id.org/luohu-kg/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?fact ?exact WHERE {
          ?fact lk:hasEvidence ?ev . ?ev oa:hasSelector ?q , ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""
    )
    expected = sorted(str(r[1]) for r in rows)  # type: ignore[index]  # one per fact and quote
    marked: dict[str, list[str]] = {}
    for p in article["paragraphs"]:
        for seg in p["segs"]:
            for sid in seg[1]:
                marked.setdefault(sid, []).append(seg[0])
    assert len(data["spans"]) == len(expected) > 300
    found = []
    for sid, span in data["spans"].items():
        words = "".join(marked[sid])
        assert words == span["x"].replace("\n", ""), sid  # blank lines are not paragraphs
        found.append(span["x"])
    assert sorted(found) == expected
    # text no quote covers stays unmarked: the page chrome 查看原文 is skipped in coverage
    first = article["paragraphs"][0]["segs"]
    assert first == [["查看原文", [], None]]
    # overlapping quotes: some segment is covered by several
    assert any(len(seg[1]) > 1 for p in article["paragraphs"] for seg in p["segs"])
    headings = [
        "".join(s[0] for s in p["segs"]).strip() for p in article["paragraphs"] if p["heading"]
    ]
    assert headings == ["发展提质", "治理增效", "幸福上门"]


def test_figures_in_the_text_carry_their_value(article_data: dict[str, Any]) -> None:
    (article,) = article_data["articles"]
    figures = {}
    for p in article["paragraphs"]:
        for seg in p["segs"]:
            if seg[2]:
                figures.setdefault(seg[2], "")
                figures[seg[2]] += seg[0]
    gdp = next(f for f, words in figures.items() if words == "1268.19亿元")
    assert article["figures"][gdp] == {
        "v": ["1268.19亿元", "126,819,000,000 CNY"],
        "period": ["2021年上半年", "first half of 2021"],
    }
    assert len(figures) >= 30


def test_questions_are_answered_in_the_page(article_data: dict[str, Any]) -> None:
    asked = {q["name"]: q for q in article_data["questions"]}
    assert "officials" in asked and not [n for n in asked if n.endswith("-violation")]
    officials = asked["officials"]
    assert officials["title"].startswith("Officials")
    column = officials["columns"].index("official")
    names = {row[column]["v"] for row in officials["rows"]}
    assert "罗育德" in names
    iri = officials["columns"].index("personIri")
    assert {row[iri]["n"] for row in officials["rows"]} >= {LKD + "luo-yude"}
    quote = officials["columns"].index("quote")
    linked = [row[quote]["q"] for row in officials["rows"] if row[quote].get("q")]
    assert linked and all(q in article_data["spans"] for q in linked)
    assert all(q["total"] >= len(q["rows"]) for q in asked.values())


def test_number_text() -> None:
    assert number_text("126819000000") == "126,819,000,000"
    assert number_text("-1234.500") == "-1,234.5"
    assert number_text("0.25") == "0.25"
    assert number_text("abc") == "abc"


def test_deterministic(tmp_path: Path) -> None:
    write_graph_html(build([str(MINI)]).store(), tmp_path / "a.html")
    write_graph_html(build([str(MINI)]).store(), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert '"randomSeed":' in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_json_for_script_escapes() -> None:
    value = {"a": P_SCRIPT + P_IMG + "&amp;\u2028"}
    text = str(json_for_script(value))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_data_text_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    write_graph_html(store_of(xss_graph()), path)
    html = path.read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in html
    assert "<img" not in html and "<svg onload" not in html and 'href="javascript' not in html
    assert html.lower().count("</script") == len(parse(html).scripts) == 3
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "&lt;img src=x onerror=" in title.group(1)
    data = page_data(html)  # the JSON still holds the exact text
    assert data["info"][LKD + "luo-yude"]["zh"] == "罗育德" + P_IMG
    edge = edge_between(data, LKD + "luohu", "lk:locatedIn", LKD + "shenzhen")
    assert data["edgeInfo"][edge["id"]]["basis"]["note"] == "Known" + P_NOTE
    assert data["title"]["zh"].endswith(P_IMG + P_SCRIPT)
    assert any(P_SCRIPT in s["x"] for s in data["spans"].values())  # the read view's quote


def test_focus_and_depth() -> None:
    model = PageModel.read(build([str(MINI)]).store())
    view = select_view(model, focus="罗育德", depth=1)
    assert view.focus == LKD + "luo-yude"
    assert set(view.shown) == {
        LKD + "luo-yude",
        LKD + "post-luohu-party-secretary",
        LKD + "quote-luo-yude",
    }
    assert len(select_view(model, focus="Luo Yude", depth=2).shown) == 5
    assert select_view(model, focus=LKD + "luo-yude", depth=0).shown == [LKD + "luo-yude"]
    with pytest.raises(EntityLookupError, match="no entity is labelled '不存在'"):
        select_view(model, focus="不存在")
    assert select_view(model, focus="luo-yude", depth=0, base=LKD).focus == LKD + "luo-yude"
    with pytest.raises(EntityLookupError, match="no id matches"):
        select_view(model, focus="luo-yude", base="https://example.org/other/")


def test_focus_path_is_named_for_the_entity() -> None:
    assert focus_path(LKD + "luo-yude") == Path("out") / "graph-luo-yude.html"
    assert focus_path(LKD + "article/mini", Path("x")) == Path("x") / "graph-article-mini.html"
    assert focus_path("https://example.org/things#A b", base=LKD).name == "graph-A-b.html"


def test_max_nodes_keeps_the_most_central_and_says_so(tmp_path: Path) -> None:
    model = PageModel.read(build([str(MINI)]).store())
    view = select_view(model, max_nodes=3)
    ranked = sorted(view.rank, key=lambda i: (-round(view.rank[i], 12), i))
    assert view.shown == sorted(ranked[:3]) and view.capped
    assert view.notes == [
        "graph.html shows the 3 most central of 12 entities (PageRank); "
        "`luohu-kg viz --focus ENTITY` draws the neighbourhood of any other"
    ]
    focused = select_view(model, focus="夏凡", depth=5, max_nodes=2)
    assert LKD + "xia-fan" in focused.shown and len(focused.shown) == 2
    assert not select_view(model).capped and not select_view(model).notes
    page, _ = graph_html(build([str(MINI)]).store(), max_nodes=3)
    assert page_data(page.decode("utf-8"))["stats"] == {
        "entities": 12,
        "shown": 3,
        "links": view.links,
        "capped": True,
    }


def test_large_graphs_are_tuned() -> None:
    small, large = vis_options(250), vis_options(5000)
    assert small["physics"]["solver"] == "forceAtlas2Based"  # spreads a hub's neighbours
    assert large["physics"]["solver"] == "barnesHut"  # cheaper per step
    assert large["layout"]["improvedLayout"] is False
    assert large["physics"]["stabilization"]["iterations"] < 200
    assert large["edges"]["smooth"]["enabled"] is False
    assert small["layout"]["randomSeed"] == large["layout"]["randomSeed"]


def test_english_labels(tmp_path: Path) -> None:
    path = tmp_path / "en.html"
    write_graph_html(build([str(MINI)]).store(), path, lang="en")
    html = path.read_text(encoding="utf-8")
    data = page_data(html)
    assert data["lang"] == "en" and '<html lang="en">' in html
    assert data["labels"][LKD + "luo-yude"] == ["罗育德", "Luo Yude"]


def test_unlabelled_and_unknown_classes(tmp_path: Path) -> None:
    g = Graph()
    a, b = URIRef(LKD + "a"), URIRef(LKD + "b")
    g.add((a, RDF.type, LK.SomethingNew))
    g.add((b, RDF.type, LK.Person))
    g.add((a, LK.locatedIn, b))
    view = write_graph_html(store_of(g), tmp_path / "g.html")
    data = page_data((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert len(view.shown) == 2
    assert {c["key"] for c in classes_of(data)} == {"SomethingNew", "Person"}
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
    write_graph_html(build([str(MINI)]).store(), target)
    assert target.exists()
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]
