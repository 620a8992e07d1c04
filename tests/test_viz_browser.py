"""The graph view in headless Chromium (Playwright), offline: counts, search, details, safety.

Needs Debian's /usr/bin/chromium (and fonts-noto-cjk for a readable screenshot). Skipped when
it is missing, unless the environment variable CI is set: then they fail instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from builder.pipeline import Built
from builder.viz import write_graph_html
from tests.test_viz import (
    ENTITY_QUERY,
    P_HREF,
    P_IMG,
    P_NOTE,
    P_QUOTES,
    P_SCRIPT,
    entity_count,
    xss_graph,
)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LK = "https://w3id.org/luohu-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
SELECTED = "window.__kg.network.getSelectedNodes()[0] === id"
TOOLTIP_SHOWN = (
    "(t => t && t.style.visibility !== 'hidden')(document.querySelector('div.vis-tooltip'))"
)


def _browser_or_skip() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk); CI runs it")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Page:
    """An opened graph page, with what it tried to fetch, its errors and dialogs."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def wait(self, expression: str, arg: Any = None, timeout: float = 60.0) -> Any:
        """Poll with evaluate (wait_for_function would need eval, which the page's CSP forbids)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression, arg)
            if value:
                return value
            self.page.wait_for_timeout(50)
        raise AssertionError(f"timed out waiting for {expression}")

    def node_position(self, node_id: str) -> tuple[float, float]:
        """Where a node is on the screen."""
        x, y = self.js(
            """id => {
              const n = window.__kg.network, p = n.canvasToDOM(n.getPosition(id));
              const r = document.getElementById("graph").getBoundingClientRect();
              return [r.left + p.x, r.top + p.y];
            }""",
            node_id,
        )
        return float(x), float(y)

    def edge_spot(self, edge_id: str) -> tuple[float, float]:
        """A point of the screen on the drawn edge, zoomed to, with no node or other edge on it."""
        spot = self.js(
            """id => {
              const n = window.__kg.network, curve = n.body.edges[id].edgeType;
              const r = document.getElementById("graph").getBoundingClientRect();
              for (const t of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75]) {
                const c = curve.getPoint(t);
                n.moveTo({position: c, scale: 2});
                const p = n.canvasToDOM(c);
                if (n.getNodeAt(p) === undefined && n.getEdgeAt(p) === id) {
                  return [r.left + p.x, r.top + p.y];
                }
              }
              return null;
            }""",
            edge_id,
        )
        assert spot, f"no free spot on edge {edge_id}"
        return float(spot[0]), float(spot[1])

    def click_edge(self, source: str, prop: str, target: str) -> str:
        """Click the edge from `source` to `target` over `prop` (a prefixed name); its id."""
        edge_id = self.js(
            """([s, p, o]) => {
              const d = window.__kg.data;
              const found = d.edges.filter(
                e => e.from === s && e.to === o && d.edgeInfo[e.id].p[2] === p);
              return found.length === 1 ? found[0].id : null;
            }""",
            [source, prop, target],
        )
        assert edge_id, (source, prop, target)
        self.js("document.getElementById('details').replaceChildren()")
        self.page.mouse.click(*self.edge_spot(edge_id))
        self.wait("id => window.__kg.network.getSelectedEdges().includes(id)", edge_id)
        self.wait("document.querySelector('#details h2.title') !== null")
        return str(edge_id)

    def empty_spot(self) -> tuple[float, float]:
        """A point of the canvas with no node or edge under it."""
        x, y = self.js(
            """() => {
              const n = window.__kg.network;
              const r = document.getElementById("graph").getBoundingClientRect();
              for (let y = 20; y < r.height; y += 20) {
                for (let x = 20; x < r.width; x += 20) {
                  if (n.getNodeAt({x, y}) === undefined && n.getEdgeAt({x, y}) === undefined) {
                    return [r.left + x, r.top + y];
                  }
                }
              }
              return [r.left + 2, r.top + 2];
            }"""
        )
        return float(x), float(y)


def open_page(browser: Any, html: Path, bypass_csp: bool = False) -> Page:
    """Open `html` from file:// with every other request blocked; wait for physics to stop."""
    context = browser.new_context(
        viewport={"width": 1500, "height": 900}, device_scale_factor=1, bypass_csp=bypass_csp
    )
    url = html.resolve().as_uri()
    opened = Page(context.new_page(), url)

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    opened.page.on("request", lambda request: opened.requests.append(request.url))
    opened.page.on("pageerror", lambda err: opened.errors.append(str(err)))
    opened.page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    opened.page.on("dialog", dialog)
    opened.page.goto(url)
    opened.wait("window.__physicsDone === true")
    return opened


def _iri_of(graph: Graph, zh: str) -> str:
    rows = list(
        graph.query(
            "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l . "
            "FILTER(STR(?l) = ?name) }",
            initBindings={"name": __import__("rdflib").Literal(zh)},
        )
    )
    assert len(rows) == 1, rows
    return str(rows[0][0])  # type: ignore[index]


def _quotes_of(graph: Graph, iri: str) -> list[str]:
    query = f"""
    SELECT ?q WHERE {{
      <{iri}> <{LK}hasEvidence>/<http://www.w3.org/ns/oa#hasSelector> ?s .
      ?s <http://www.w3.org/ns/oa#exact> ?q }}"""
    return [str(row[0]) for row in graph.query(query)]  # type: ignore[index]


def _statement_quotes(graph: Graph, source: str, prop: str, target: str) -> list[str]:
    """The quotes of the statement of a relation, read with SPARQL."""
    query = f"""
    SELECT ?q WHERE {{
      ?st <{LK}statementSubject> <{source}> ; <{LK}statementPredicate> <{prop}> ;
          <{LK}statementObject> <{target}> ;
          <{LK}hasEvidence>/<{OA}hasSelector>/<{OA}exact> ?q }}"""
    return [str(row[0]) for row in graph.query(query)]  # type: ignore[index]


def _basis_note(graph: Graph, source: str, prop: str, target: str) -> str:
    query = f"""
    SELECT ?note WHERE {{
      ?st <{LK}statementSubject> <{source}> ; <{LK}statementPredicate> <{prop}> ;
          <{LK}statementObject> <{target}> ; <{LK}basis> <{LK}BackgroundKnowledge> ;
          <{LK}basisNote> ?note }}"""
    rows = [str(row[0]) for row in graph.query(query)]  # type: ignore[index]
    assert len(rows) == 1, rows
    return rows[0]


def test_relation_basis_in_details(browser: Any, article_built: Built, tmp_path: Path) -> None:
    graph = article_built.graph()
    html = tmp_path / "graph.html"
    write_graph_html(graph, html)
    page = open_page(browser, html)
    details = "document.getElementById('details')"
    shenzhen, guangdong = _iri_of(graph, "深圳"), _iri_of(graph, "广东省")
    post, person = _iri_of(graph, "罗湖区委书记"), _iri_of(graph, "罗育德")
    ARTIFACTS.mkdir(exist_ok=True)

    # 深圳 locatedIn 广东省 is background knowledge: marked so, with the note, and no quote
    assert not _statement_quotes(graph, shenzhen, LK + "locatedIn", guangdong)
    note = _basis_note(graph, shenzhen, LK + "locatedIn", guangdong)
    edge = page.click_edge(shenzhen, "lk:locatedIn", guangdong)
    assert page.js("id => window.__kg.edges.get(id).dashes", edge) is True  # drawn dashed
    text = page.js(f"{details}.innerText")
    assert "位于" in text and "深圳" in text and "广东省" in text
    assert page.js("document.querySelector('#details .basis').dataset.basis") == "background"
    assert "背景知识(非原文)" in text and note in text and "luohu-kg 数据整理者" in text
    assert page.js("document.querySelectorAll('#details mark, #details blockquote').length") == 0
    assert "原文证据" not in text  # no evidence heading: there is no quote to show
    page.js("ids => window.__kg.network.fit({nodes: ids, animation: false})", [shenzhen, guangdong])
    page.page.mouse.move(*page.empty_spot())
    page.page.screenshot(path=str(ARTIFACTS / "graph-background-relation.png"))
    page.page.click(".langs button[data-lang=en]")
    text = page.js(f"{details}.innerText")
    assert "background knowledge (not in the text)" in text and note in text
    assert "luohu-kg curators" in text and "Evidence" not in text
    page.page.click(".langs button[data-lang=zh]")

    # the node's own panel marks exactly its background relations (out and in), with the note
    assert page.js("id => window.__kg.focusNode(id)", shenzhen)
    tags = page.js(
        """[...document.querySelectorAll('#details td .bg-tag')]
             .map(t => [t.parentElement.textContent, t.title])"""
    )
    assert ["广东省背景知识", note] in tags
    query = f"""
    SELECT ?name ?note WHERE {{
      ?st <{LK}basis> <{LK}BackgroundKnowledge> ; <{LK}basisNote> ?note .
      {{ ?st <{LK}statementSubject> <{shenzhen}> ; <{LK}statementObject> ?other }}
      UNION {{ ?st <{LK}statementObject> <{shenzhen}> ; <{LK}statementSubject> ?other }}
      ?other <http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(LANG(?name) = "zh") }}"""
    expected = sorted([f"{row[0]}背景知识", str(row[1])] for row in graph.query(query))  # type: ignore[index]
    assert sorted(tags) == expected and len(expected) >= 2
    page.wait("!document.body.dataset.moving")
    page.page.mouse.move(*page.empty_spot())
    page.page.screenshot(path=str(ARTIFACTS / "graph-background-tags.png"))

    # 罗湖区委书记 heldBy 罗育德 is stated by the article: its own quote, highlighted
    quotes = _statement_quotes(graph, post, "http://www.w3.org/ns/org#heldBy", person)
    assert quotes and all("罗育德" in q for q in quotes)
    page.click_edge(post, "org:heldBy", person)
    text = page.js(f"{details}.innerText")
    assert page.js("document.querySelector('#details .basis').dataset.basis") == "text"
    assert "原文陈述" in text and "背景知识" not in text
    marks = page.js("[...document.querySelectorAll('#details mark')].map(m => m.textContent)")
    assert marks == quotes
    assert "原文证据" in text and "第 " in text  # the evidence heading and the line
    page.js("ids => window.__kg.network.fit({nodes: ids, animation: false})", [post, person])
    page.page.mouse.move(*page.empty_spot())
    page.page.screenshot(path=str(ARTIFACTS / "graph-text-relation.png"))
    assert page.errors == [] and page.dialogs == []
    assert page.requests == [page.url]


def test_article_page(browser: Any, article_built: Built, tmp_path: Path) -> None:
    graph = article_built.graph()
    html = tmp_path / "graph.html"
    write_graph_html(graph, html)
    page = open_page(browser, html)

    # offline: nothing but the page itself was requested
    assert page.requests == [page.url]
    assert not [u for u in page.requests if u.startswith(("http:", "https:"))]
    assert page.js("document.scripts.length") == 3
    assert page.js("window.__physicsMs") > 0
    assert page.js("window.__kg.network.physics.options.enabled") is False

    # one vis node per entity, counted independently with SPARQL
    assert page.js("window.__kg.nodes.length") == entity_count(graph)

    # the legend lists every class of an entity
    types = {str(row[0]) for row in graph.query(ENTITY_QUERY.replace("?s WHERE", "?c WHERE"))}  # type: ignore[index]
    per_entity = graph.query(
        ENTITY_QUERY.replace("DISTINCT ?s", "?s (COUNT(?c) AS ?n)") + " GROUP BY ?s"
    )
    assert {int(row[1]) for row in per_entity} == {1}  # type: ignore[index]
    legend = page.js("[...document.querySelectorAll('#legend-list li')].map(e => e.dataset.class)")
    assert sorted(legend) == sorted(t[len(LK) :] for t in types)

    # the search focuses 罗育德
    person = _iri_of(graph, "罗育德")
    page.page.fill("#search", "罗育德")
    page.wait(f"id => {SELECTED}", person)
    assert page.js("window.__kg.network.getSelectedNodes()") == [person]
    assert page.js("document.body.dataset.focused") == person
    page.wait("!document.body.dataset.moving")  # the focus animation

    # clicking the node shows its evidence quote in the details panel
    page.js(
        "document.getElementById('details').replaceChildren(); window.__kg.network.unselectAll()"
    )
    x, y = page.node_position(person)
    page.page.mouse.click(x, y)
    page.wait(f"id => document.body.dataset.selected === id && ({SELECTED})", person)
    details = page.js("document.getElementById('details').innerText")
    quotes = _quotes_of(graph, person)
    assert quotes and all(q in details for q in quotes)
    assert page.js("document.querySelector('#details mark').textContent") in quotes
    assert "罗育德" in details and "Luo Yude" in details

    # hovering shows the tooltip, built from text
    page.page.mouse.move(x + 1, y + 1)
    page.wait(TOOLTIP_SHOWN)
    tooltip = page.js("document.querySelector('div.vis-tooltip').textContent")
    assert "罗育德" in tooltip and "Luo Yude" in tooltip
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.mouse.move(*page.empty_spot())  # hides the tooltip
    page.wait("document.querySelector('div.vis-tooltip').style.visibility === 'hidden'")
    page.page.screenshot(path=str(ARTIFACTS / "graph.png"))

    # the language switch relabels nodes, legend and panel
    page.page.click(".langs button[data-lang=en]")
    assert page.js("id => window.__kg.nodes.get(id).label", person) == "Luo Yude"
    assert page.js("document.querySelector('#details h2').textContent") == "Luo Yude"
    assert "Person" in page.js("document.getElementById('legend-list').textContent")
    page.page.click(".langs button[data-lang=zh]")

    # the class filter hides a class and its links
    page.page.uncheck("#legend-list li[data-class=Person] input")
    hidden = page.js("window.__kg.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    persons = [str(r[0]) for r in graph.query(f"SELECT ?s WHERE {{ ?s a <{LK}Person> }}")]  # type: ignore[index]
    assert sorted(hidden) == sorted(persons)
    assert page.js("window.__kg.edges.get({filter: e => e.hidden}).length") > 0
    page.page.check("#legend-list li[data-class=Person] input")
    assert page.js("window.__kg.nodes.get({filter: n => n.hidden}).length") == 0

    # an overview for people to look at
    page.js("window.__kg.network.unselectAll()")
    page.page.click("#fit")
    page.wait("!document.body.dataset.moving")
    page.page.screenshot(path=str(ARTIFACTS / "graph-overview.png"))
    assert page.errors == [] and page.dialogs == []
    assert page.requests == [page.url]


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["no-csp", "with-csp"])
def test_data_never_runs_as_code(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    graph = xss_graph()
    html = tmp_path / "xss.html"
    write_graph_html(graph, html)
    page = open_page(browser, html, bypass_csp=bypass_csp)  # without CSP: escaping alone

    assert page.js("window.__kg.nodes.length") == entity_count(graph)
    heading = page.js("document.getElementById('heading').textContent")
    assert heading.endswith("罗湖样例" + P_IMG + P_SCRIPT)
    assert page.js("document.title").endswith(P_IMG + P_SCRIPT)

    person = "https://w3id.org/luohu-kg/id/luo-yude"
    page.page.fill("#search", "罗育德")
    page.page.press("#search", "Enter")
    page.wait(f"id => {SELECTED}", person)
    assert page.js("document.querySelector('#details h2').textContent") == "罗育德" + P_IMG
    marks = page.js("[...document.querySelectorAll('#details mark')].map(m => m.textContent)")
    assert "罗湖区委书记罗育德" + P_SCRIPT + P_HREF in marks
    assert P_HREF + " & " + P_QUOTES in page.js("document.getElementById('details').textContent")
    page.wait("!document.body.dataset.moving")
    page.click_edge(
        "https://w3id.org/luohu-kg/id/luohu",
        "lk:locatedIn",
        "https://w3id.org/luohu-kg/id/shenzhen",
    )
    assert "Known" + P_NOTE in page.js("document.querySelector('#details .basis').textContent")
    assert page.js("document.querySelectorAll('#details b, #details [onmouseover]').length") == 0
    assert page.js("id => window.__kg.focusNode(id)", person)

    page.wait("!document.body.dataset.moving")
    x, y = page.node_position(person)
    page.page.mouse.move(x, y)
    page.wait(TOOLTIP_SHOWN)
    assert "罗育德" + P_IMG in page.js("document.querySelector('div.vis-tooltip').textContent")

    page.page.click(".langs button[data-lang=en]")
    assert page.js("document.querySelector('#details h2').textContent") == "Luo Yude" + P_QUOTES
    observation = "https://w3id.org/luohu-kg/id/luohu-gdp-2021-h1"
    assert page.js("id => window.__kg.focusNode(id)", observation)
    assert "1268.19亿元" + P_SCRIPT in page.js("document.getElementById('details').textContent")
    page.page.click(".langs button[data-lang=zh]")
    assert page.js("id => window.__kg.nodes.get(id).label", observation).startswith("1268.19亿元<")

    page.page.wait_for_timeout(300)
    assert page.js("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert (
        page.js("document.querySelectorAll('img, [onerror], [onload], a[href], iframe').length")
        == 0
    )
    assert page.js("document.scripts.length") == 3
    assert page.errors == []
    assert not [u for u in page.requests if u != page.url]


def test_labels_that_name_object_members_are_found(
    browser: Any, article_built: Built, tmp_path: Path
) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    graph = Graph()
    for triple in article_built.graph():
        graph.add(triple)
    renamed = {"luo-yude": "constructor", "zhang-feimeng": "__proto__"}
    for fact_id, name in renamed.items():
        node = URIRef(f"https://w3id.org/luohu-kg/id/{fact_id}")
        for label in list(graph.objects(node, RDFS.label)):
            if isinstance(label, Literal) and label.language == "zh":
                graph.remove((node, RDFS.label, label))
        graph.add((node, RDFS.label, Literal(name, lang="zh")))
    html = tmp_path / "names.html"
    write_graph_html(graph, html)
    page = open_page(browser, html)
    options = page.js("[...document.querySelectorAll('#search-list option')].map(o => o.value)")
    assert {"constructor", "__proto__"} <= set(options)
    page.page.fill("#search", "__proto__")
    page.page.press("#search", "Enter")
    page.wait(f"id => {SELECTED}", "https://w3id.org/luohu-kg/id/zhang-feimeng")
    assert page.errors == []
