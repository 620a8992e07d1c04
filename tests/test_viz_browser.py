"""The page in headless Chromium (Playwright), offline: graph, article, questions, any screen.

Needs Debian's /usr/bin/chromium (and fonts-noto-cjk for a readable screenshot). Skipped when
it is missing, unless the environment variable CI is set: then they fail instead. Screenshots
of every view, at desktop and phone size, go to tests/artifacts/.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from builder.pipeline import Built
from builder.query import catalog
from builder.viz import write_graph_html
from tests.test_viz import (
    P_HREF,
    P_IMG,
    P_NOTE,
    P_QUOTES,
    P_SCRIPT,
    entity_count,
    store_of,
    xss_graph,
)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LK = "https://w3id.org/luohu-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
LKD = "https://w3id.org/luohu-kg/id/"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SELECTED = "window.__kg.network.getSelectedNodes()[0] === id"
TOOLTIP_SHOWN = (
    "(t => t && t.style.visibility !== 'hidden')(document.querySelector('div.vis-tooltip'))"
)
# label boxes of the nodes whose label is drawn, in canvas units, and the pairs that overlap
LABEL_OVERLAPS = """() => {
  const k = window.__kg, n = k.network;
  const boxes = k.visible().filter(id => k.nodes.get(id).label).map(id => {
    const s = n.body.nodes[id].labelModule.size;
    return [id, s.left, s.top, s.left + s.width, s.top + s.height];
  });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a[1] < b[3] && a[3] > b[1] && a[2] < b[4] && a[4] > b[2]) { overlaps.push([a[0], b[0]]); }
    }
  }
  return {drawn: boxes.length, overlaps: overlaps};
}"""


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


@pytest.fixture(scope="module")
def article_html(article_built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = tmp_path_factory.mktemp("page") / "graph.html"
    write_graph_html(article_built.store(), html)
    return html


@dataclass
class Page:
    """An opened page, with what it tried to fetch, its errors and dialogs."""

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

    def settled(self) -> None:
        """Wait until no layout or animation runs, and the canvas has been drawn again."""
        self.wait("document.body.dataset.layout === 'done' && !document.body.dataset.moving")
        self.page.wait_for_timeout(250)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

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
        self.js("document.getElementById('details-body').replaceChildren()")
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


def open_page(
    browser: Any,
    html: Path,
    bypass_csp: bool = False,
    viewport: dict[str, int] = DESKTOP,
    fragment: str = "",
    touch: bool = False,
) -> Page:
    """Open `html` from file:// with every other request blocked; wait for the layout."""
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=1,
        bypass_csp=bypass_csp,
        has_touch=touch,
        is_mobile=touch,
    )
    url = html.resolve().as_uri()
    opened = Page(context.new_page(), url)

    def route(r: Any) -> None:
        if r.request.url.split("#")[0] == url:
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
    opened.page.goto(url + fragment)
    opened.wait("window.__physicsDone === true")
    opened.settled()
    return opened


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


def test_graph_starts_readable(browser: Any, article_built: Built, article_html: Path) -> None:
    graph = article_built.graph()
    page = open_page(browser, article_html)
    assert page.requests == [page.url]  # offline: nothing but the page itself
    assert page.js("document.scripts.length") == 3
    assert page.js("window.__kg.network.physics.options.enabled") is False
    assert page.js("window.__kg.nodes.length") == entity_count(graph)  # every entity is there

    # the default view: entities, not the concepts and figures folded into them
    visible = page.js("window.__kg.visible().length")
    assert 60 <= visible <= 110, visible
    folded = page.js(
        """window.__kg.visible().filter(id => {
             const fam = window.__kg.data.nodes.find(n => n.id === id).fam;
             return fam === 'concepts' || fam === 'figures'; }).length"""
    )
    assert folded == 0
    stats = page.js("document.getElementById('stats').textContent")
    assert stats.startswith(f"显示实体 {visible} / {entity_count(graph)}")

    # labels drawn at the first zoom do not overlap, and there are many of them
    labels = page.js(LABEL_OVERLAPS)
    assert labels["overlaps"] == [] and labels["drawn"] >= 40, labels
    assert page.js("document.getElementById('graph').getAttribute('aria-label')").startswith(
        "知识图谱:显示"
    )
    page.shot("graph-desktop")

    # the legend: six families, each a colour, classes inside
    families = page.js("[...document.querySelectorAll('.family')].map(f => f.dataset.family)")
    assert families == ["places", "agents", "work", "documents", "concepts", "figures"]
    checked = page.js(
        "[...document.querySelectorAll('.family .fam-head input')].map(i => i.checked)"
    )
    assert checked == [True, True, True, True, False, False]

    # switching the figures on re-runs the layout and updates both counters
    page.page.check(".family[data-family=figures] .fam-head input")
    page.settled()
    more = page.js("window.__kg.visible().length")
    figures = page.js("window.__kg.data.nodes.filter(n => n.fam === 'figures').length")
    assert more == visible + figures
    assert page.js("document.getElementById('stats').textContent").startswith(f"显示实体 {more} ")
    count = page.js("document.querySelector('.family[data-family=figures] .count').textContent")
    assert count == f"{figures} / {figures}"
    assert page.js(LABEL_OVERLAPS)["overlaps"] == []
    page.page.click("#show-default")
    page.settled()
    assert page.js("window.__kg.visible().length") == visible
    assert page.errors == [] and page.dialogs == []


def test_selection_dims_and_reads_right(
    browser: Any, article_built: Built, article_html: Path
) -> None:
    graph = article_built.graph()
    page = open_page(browser, article_html)
    person, post = LKD + "luo-yude", LKD + "post-luohu-party-secretary"
    assert page.js("id => window.__kg.focusNode(id)", person)
    page.settled()
    x, y = page.node_position(person)
    page.page.mouse.click(x, y)
    page.wait(f"id => document.body.dataset.selected === id && ({SELECTED})", person)
    # outside the neighbourhood everything is dimmed
    opacity = page.js(
        """id => Object.fromEntries(
             window.__kg.visible().map(n => [n, window.__kg.nodes.get(n).opacity]))""",
        person,
    )
    assert opacity[person] == 1 and opacity[post] == 1
    assert opacity[LKD + "shenzhen"] < 0.5
    # the incoming link from the post reads 担任 (holds), not 任职者 (held by)
    rows = page.js(
        """[...document.querySelectorAll('#details [data-inverse]')]
             .map(d => [d.dataset.inverse, d.closest('tr').querySelector('th').textContent,
                        d.textContent])"""
    )
    assert ["org:heldBy", "担任", "罗湖区委书记"] in rows
    details = page.js("document.getElementById('details').innerText")
    assert all(q in details for q in _quotes_of(graph, person))
    page.shot("details-luo-yude")
    page.page.click(".langs button[data-lang=en]")
    rows = page.js(
        """[...document.querySelectorAll('#details [data-inverse]')]
             .map(d => [d.closest('tr').querySelector('th').textContent, d.textContent])"""
    )
    assert ["holds", "Secretary of the CPC Luohu District Committee"] in rows or any(
        r[0] == "holds" for r in rows
    )
    page.page.click(".langs button[data-lang=zh]")

    # a project's key figures are in its panel, with unit, period and evidence
    project = LKD + "dongmen-pedestrian-street-renovation-phase-1"
    assert page.js("id => window.__kg.focusNode(id)", project)
    figures = page.js(
        "[...document.querySelectorAll('#details .figure .amount')].map(e => e.textContent)"
    )
    assert {"约5.4亿元", "29个月"} <= set(figures)
    assert "about 540,000,000 CNY" in page.js("document.getElementById('details').textContent")

    # a quote's Chinese words come first on the Chinese page, its translation after, marked
    quote = LKD + "quote-luo-yude-spring-story"
    assert page.js("id => window.__kg.focusNode(id)", quote)
    texts = page.js(
        """[...document.querySelectorAll('#details tr')]
             .filter(tr => tr.querySelector('th').title === 'schema:text')
             .map(tr => [...tr.querySelectorAll('td > div')].map(d => d.textContent))[0]"""
    )
    assert texts[0].startswith("我们有信心") and texts[1].startswith("We are confident")
    assert texts[1].endswith("英文")

    # an English-only note is marked as English in the Chinese page
    obs = LKD + "dongmen-phase-1-total-investment"
    assert page.js("id => window.__kg.focusNode(id)", obs)
    tags = page.js("[...document.querySelectorAll('#details td .tag')].map(t => t.textContent)")
    assert "英文" in tags

    # double-click expands a node's hidden neighbours (its figures), and again collapses them
    page.page.click("#show-default")  # the figure opened above is folded again
    page.settled()
    before = page.js("window.__kg.visible().length")
    assert page.js("id => window.__kg.focusNode(id)", project)
    page.settled()
    x, y = page.node_position(project)
    page.page.mouse.dblclick(x, y)
    page.settled()
    after = page.js("window.__kg.visible()")
    assert LKD + "dongmen-phase-1-total-investment" in after and len(after) > before
    page.shot("graph-expanded")
    x, y = page.node_position(project)
    page.page.mouse.dblclick(x, y)
    page.settled()
    assert LKD + "dongmen-phase-1-total-investment" not in page.js("window.__kg.visible()")

    # the focus control: only what is within one link of the selected node
    assert page.js("id => window.__kg.focusNode(id)", person)
    page.settled()
    page.page.select_option("#focus-depth", "1")
    page.page.click("#focus-apply")
    page.settled()
    around = set(page.js("window.__kg.visible()"))
    assert person in around and post in around and LKD + "shenzhen" not in around
    page.shot("graph-focus")
    page.page.click("#focus-clear")
    page.settled()
    assert LKD + "shenzhen" in page.js("window.__kg.visible()")
    assert page.errors == []


def test_search_lists_matches_and_keys_move(browser: Any, article_html: Path) -> None:
    page = open_page(browser, article_html)
    page.page.focus("#search")
    page.page.keyboard.type("罗湖区")
    page.wait("!document.getElementById('search-list').hidden")
    options = page.js(
        "[...document.querySelectorAll('#search-list li[role=option]')].map(li => li.dataset.id)"
    )
    assert len(options) > 5 and options[0] == LKD + "luohu"  # the exact label first
    assert (
        page.js("document.querySelector('#search-list li').getAttribute('aria-selected')") == "true"
    )
    page.page.keyboard.press("ArrowDown")
    page.page.keyboard.press("ArrowDown")
    assert (
        page.js("document.getElementById('search').getAttribute('aria-activedescendant')")
        == "match-2"
    )
    page.shot("search-list")
    page.page.keyboard.press("Enter")
    page.wait(f"id => {SELECTED}", options[2])
    assert page.js("document.getElementById('search-list').hidden") is True
    # ids and English labels are found too
    page.page.fill("#search", "")
    page.page.keyboard.type("luo-yude")
    page.page.keyboard.press("Enter")
    page.wait(f"id => {SELECTED}", LKD + "luo-yude")
    page.page.fill("#search", "")
    page.page.keyboard.type("Dongmen business")
    page.page.keyboard.press("Enter")
    page.wait(f"id => {SELECTED}", LKD + "dongmen-business-district")
    # keyboard only: Tab from the heading reaches the tabs, the search box and the canvas
    page.js("document.activeElement.blur()")
    page.page.click("#heading")
    names = []
    for _ in range(40):
        page.page.keyboard.press("Tab")
        names.append(page.js("document.activeElement.id || document.activeElement.textContent"))
    assert names[:2] == ["tab-graph", "search"] and "graph" in names, names
    assert page.errors == []


def test_deep_links(browser: Any, article_html: Path) -> None:
    page = open_page(browser, article_html, fragment="#luo-yude")
    page.wait(f"id => {SELECTED}", LKD + "luo-yude")
    assert page.js("document.querySelector('#details h2').textContent") == "罗育德"
    page.js("location.hash = '#q=' + encodeURIComponent('张非梦')")
    page.wait(f"id => {SELECTED}", LKD + "zhang-feimeng")
    assert page.js("document.getElementById('search').value") == "张非梦"
    # a folded entity (a figure) is shown when linked to
    page.js("location.hash = '#dongmen-phase-1-total-investment'")
    page.wait(f"id => {SELECTED}", LKD + "dongmen-phase-1-total-investment")
    assert LKD + "dongmen-phase-1-total-investment" in page.js("window.__kg.visible()")
    page.js("location.hash = '#read'")
    page.wait("document.body.dataset.view === 'read'")
    assert page.errors == []


def test_read_view(browser: Any, article_built: Built, article_html: Path) -> None:
    graph = article_built.graph()
    page = open_page(browser, article_html)
    page.page.click("#tab-read")
    page.wait("document.body.dataset.view === 'read'")
    # every quote of every fact is marked (the page's spans are checked against the graph in
    # test_viz.py): count the marks' span ids here
    marked = page.js(
        """new Set([...document.querySelectorAll('#read-view mark.ev')]
             .flatMap(m => m.dataset.spans.split(' '))).size"""
    )
    assert marked == len(page.js("Object.keys(window.__kg.data.spans)")) > 300
    headings = page.js("[...document.querySelectorAll('.toc a')].map(a => a.textContent)")
    assert headings == ["发展提质", "治理增效", "幸福上门"]
    page.shot("read-desktop")

    # clicking the mark of 罗育德's post opens a panel holding that fact's quote
    post = LKD + "post-luohu-party-secretary"
    spans = page.js(
        """id => Object.entries(window.__kg.data.spans)
             .filter(([k, s]) => s.n === id && !s.e).map(([k]) => k)""",
        post,
    )
    assert spans
    mark = f"#read-view mark[data-spans~='{spans[0]}']"
    page.page.locator(mark).first.scroll_into_view_if_needed()
    page.page.locator(mark).first.click()
    page.wait("id => document.body.dataset.openedSpan !== undefined", None)
    opened = page.js("document.body.dataset.openedSpan")
    quote = page.js("id => window.__kg.data.spans[id].x", opened)
    details_marks = page.js(
        "[...document.querySelectorAll('#details mark')].map(m => m.textContent)"
    )
    assert quote in details_marks
    assert page.js("document.querySelector('#details h2').textContent") in (
        "罗湖区委书记",
        "任职者",
        "以…身份",
        "讲话人",
    ) or quote in page.js("document.getElementById('details').textContent")
    # the graph was centred on it, in the background
    assert page.js("window.__kg.network.getSelectedNodes().length") == 1

    # hovering a figure shows its normalised value and period
    fig = "#read-view .fig"
    gdp = page.page.locator(fig, has_text="1268.19亿元").first
    gdp.scroll_into_view_if_needed()
    gdp.hover()
    tip = page.wait("(t => !t.hidden && t.textContent)(document.getElementById('read-tip'))")
    assert "126,819,000,000 CNY" in tip and "2021年上半年" in tip
    page.shot("read-figure-tip")

    # from an entity's panel, "show in article" scrolls to its quote and flashes it
    person = LKD + "luo-yude"
    page.page.click("#tab-graph")
    assert page.js("id => window.__kg.focusNode(id)", person)
    page.page.locator("#details .actions .show-in-article").click()
    page.wait("document.body.dataset.view === 'read'")
    flashed = page.js("document.body.dataset.flashed")
    assert page.js("id => window.__kg.data.spans[id].n", flashed) == person
    assert page.js("document.querySelector('#read-view mark.flash').textContent")
    assert _quotes_of(graph, person)[0].startswith(
        page.js("document.querySelector('#read-view mark.flash').textContent")[:4]
    )
    page.page.click(".langs button[data-lang=en]")
    assert page.js("document.querySelector('.read-cover').textContent").startswith(
        "Evidence quotes cover"
    )
    page.shot("read-desktop-en")
    assert page.errors == []


def test_questions_view(browser: Any, article_html: Path) -> None:
    page = open_page(browser, article_html)
    page.page.click("#tab-questions")
    page.wait("document.body.dataset.view === 'questions'")
    titles = page.js("[...document.querySelectorAll('.question h3')].map(h => h.textContent)")
    asked = [q for name, q in catalog().items() if not name.endswith("-violation")]
    assert titles == [q.title for q in asked] and len(titles) > 20
    officials = "#q-officials"
    assert "罗育德" in page.js(f"document.querySelector('{officials} table').textContent")
    page.shot("questions-desktop")
    # an entity cell opens the graph on it
    page.page.locator(f"{officials} a.entity", has_text="罗育德").first.click()
    page.wait("document.body.dataset.view === 'graph'")
    page.wait(f"id => {SELECTED}", LKD + "luo-yude")
    # a quote cell opens the article at that quote
    page.page.click("#tab-questions")
    link = page.page.locator(f"{officials} button.quote-link").first
    span = link.get_attribute("data-span")
    link.click()
    page.wait("document.body.dataset.view === 'read'")
    assert page.js("document.body.dataset.flashed") == span
    assert page.errors == []


def test_phone(browser: Any, article_html: Path) -> None:
    page = open_page(browser, article_html, viewport=PHONE, touch=True)
    width = page.js("document.getElementById('graph').getBoundingClientRect().width")
    assert width >= 300, width
    assert page.js("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    assert page.js("getComputedStyle(document.getElementById('legend')).position") == "absolute"
    assert page.js(LABEL_OVERLAPS)["overlaps"] == []
    page.shot("graph-phone")
    # tap a node: its details open in a drawer
    person = LKD + "luohu"
    x, y = page.node_position(person)
    page.page.touchscreen.tap(x, y)
    page.wait("document.getElementById('details').classList.contains('open')")
    page.wait(
        "(h => h !== null && h.textContent === '罗湖区')(document.querySelector('#details h2'))"
    )
    page.page.wait_for_timeout(300)
    page.shot("details-phone")
    page.page.click("#details .drawer-close")
    page.wait("!document.getElementById('details').classList.contains('open')")
    page.page.click("#open-legend")
    page.wait("document.getElementById('legend').classList.contains('open')")
    page.page.wait_for_timeout(300)
    page.shot("legend-phone")
    page.page.keyboard.press("Escape")
    page.page.click("#tab-read")
    page.wait("document.body.dataset.view === 'read'")
    assert page.js("document.documentElement.scrollWidth") <= PHONE["width"]
    page.shot("read-phone")
    mark = page.page.locator("#read-view mark.ev").nth(3)
    mark.scroll_into_view_if_needed()
    mark.tap()
    page.wait("document.getElementById('details').classList.contains('open')")
    page.page.wait_for_timeout(300)
    page.shot("read-phone-fact")
    page.page.keyboard.press("Escape")
    page.page.click("#tab-questions")
    page.wait("document.body.dataset.view === 'questions'")
    assert page.js("document.documentElement.scrollWidth") <= PHONE["width"]
    page.shot("questions-phone")
    assert page.errors == []


def test_relation_basis_in_details(browser: Any, article_built: Built, article_html: Path) -> None:
    graph = article_built.graph()
    page = open_page(browser, article_html)
    details = "document.getElementById('details')"
    shenzhen, guangdong = LKD + "shenzhen", LKD + "guangdong"
    post, person = LKD + "post-luohu-party-secretary", LKD + "luo-yude"

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
    assert "原文证据" not in text
    page.shot("graph-background-relation")
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

    # 罗湖区委书记 heldBy 罗育德 is stated by the article: its own quote, highlighted
    quotes = _statement_quotes(graph, post, "http://www.w3.org/ns/org#heldBy", person)
    assert quotes and all("罗育德" in q for q in quotes)
    page.settled()
    page.click_edge(post, "org:heldBy", person)
    text = page.js(f"{details}.innerText")
    assert page.js("document.querySelector('#details .basis').dataset.basis") == "text"
    assert "原文陈述" in text and "背景知识" not in text
    marks = page.js("[...document.querySelectorAll('#details mark')].map(m => m.textContent)")
    assert marks == quotes
    assert "原文证据" in text and "第 " in text
    page.shot("graph-text-relation")
    assert page.errors == [] and page.dialogs == []
    assert page.requests == [page.url]


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["no-csp", "with-csp"])
def test_data_never_runs_as_code(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    graph = xss_graph()
    html = tmp_path / "xss.html"
    write_graph_html(store_of(graph), html)
    page = open_page(browser, html, bypass_csp=bypass_csp)  # without CSP: escaping alone

    assert page.js("window.__kg.nodes.length") == entity_count(graph)
    heading = page.js("document.getElementById('heading').textContent")
    assert heading.endswith("罗湖样例" + P_IMG + P_SCRIPT)
    assert page.js("document.title").endswith(P_IMG + P_SCRIPT)

    person = LKD + "luo-yude"
    page.page.fill("#search", "罗育德")
    page.page.press("#search", "Enter")
    page.wait(f"id => {SELECTED}", person)
    assert page.js("document.querySelector('#details h2').textContent") == "罗育德" + P_IMG
    marks = page.js("[...document.querySelectorAll('#details mark')].map(m => m.textContent)")
    assert "罗湖区委书记罗育德" + P_SCRIPT + P_HREF in marks
    assert P_HREF + " & " + P_QUOTES in page.js("document.getElementById('details').textContent")
    page.settled()
    page.click_edge(LKD + "luohu", "lk:locatedIn", LKD + "shenzhen")
    assert "Known" + P_NOTE in page.js("document.querySelector('#details .basis').textContent")
    assert page.js("document.querySelectorAll('#details b, #details [onmouseover]').length") == 0
    assert page.js("id => window.__kg.focusNode(id)", person)
    page.settled()
    x, y = page.node_position(person)
    page.page.mouse.move(x, y)
    page.wait(TOOLTIP_SHOWN)
    assert "罗育德" + P_IMG in page.js("document.querySelector('div.vis-tooltip').textContent")

    page.page.click(".langs button[data-lang=en]")
    assert page.js("document.querySelector('#details h2').textContent") == "Luo Yude" + P_QUOTES
    observation = LKD + "luohu-gdp-2021-h1"
    assert page.js("id => window.__kg.focusNode(id)", observation)
    assert "1268.19亿元" + P_SCRIPT in page.js("document.getElementById('details').textContent")
    page.page.click(".langs button[data-lang=zh]")

    # the read view: the quote with the script-like text is shown as text
    page.page.click("#tab-read")
    assert page.js("document.querySelector('#read-view h2').textContent") == (
        "罗湖样例" + P_IMG + P_SCRIPT
    )
    sid = page.js(
        "id => Object.keys(window.__kg.data.spans).find(k => window.__kg.data.spans[k].n === id)",
        person,
    )
    mark = page.page.locator(f"#read-view mark[data-spans~='{sid}']").first
    mark.hover()
    tip = page.wait("(t => !t.hidden && t.textContent)(document.getElementById('read-tip'))")
    assert "(+" in tip  # several facts quote these words: the innermost is named first
    page.js("id => window.__kg.openSpan(id)", sid)
    assert page.js("document.querySelector('#details h2').textContent") == "罗育德" + P_IMG
    marks = page.js("[...document.querySelectorAll('#details mark')].map(m => m.textContent)")
    assert "罗湖区委书记罗育德" + P_SCRIPT + P_HREF in marks
    # the questions: labels with script-like text in the answers, as text
    page.page.click("#tab-questions")
    questions = page.js("document.getElementById('questions-view').textContent")
    assert "罗育德" + P_IMG in questions
    page.shot(f"xss-questions-{'no-csp' if bypass_csp else 'csp'}")

    page.page.wait_for_timeout(300)
    assert page.js("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert (
        page.js("document.querySelectorAll('img, [onerror], [onload], a[href], iframe').length")
        == 0
    )
    assert page.js("document.scripts.length") == 3
    assert page.errors == []
    assert not [u for u in page.requests if u.split("#")[0] != page.url]


def test_labels_that_name_object_members_are_found(
    browser: Any, article_built: Built, tmp_path: Path
) -> None:
    graph = Graph()
    for triple in article_built.graph():
        graph.add(triple)
    renamed = {"luo-yude": "constructor", "zhang-feimeng": "__proto__"}
    for fact_id, name in renamed.items():
        node = URIRef(f"{LKD}{fact_id}")
        for label in list(graph.objects(node, RDFS.label)):
            if isinstance(label, Literal) and label.language == "zh":
                graph.remove((node, RDFS.label, label))
        graph.add((node, RDFS.label, Literal(name, lang="zh")))
    html = tmp_path / "names.html"
    write_graph_html(store_of(graph), html)
    page = open_page(browser, html)
    page.page.focus("#search")
    page.page.keyboard.type("__proto__")
    page.wait("!document.getElementById('search-list').hidden")
    first = page.js("document.querySelector('#search-list li').dataset.id")
    assert first == LKD + "zhang-feimeng"
    page.page.keyboard.press("Enter")
    page.wait(f"id => {SELECTED}", LKD + "zhang-feimeng")
    page.page.fill("#search", "constructor")
    page.page.keyboard.press("Enter")
    page.wait(f"id => {SELECTED}", LKD + "luo-yude")
    assert page.errors == []
