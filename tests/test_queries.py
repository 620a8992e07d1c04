"""The query catalog: every question query answers with its defaults, renders in every format,
binds its parameters safely and gives the article's answers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from builder.pipeline import build
from builder.query import (
    CatalogQuery,
    Param,
    QueryError,
    bind,
    catalog,
    display_width,
    execute,
    render,
    resolve_entity,
    select_rows,
    store_from_triples,
)

DATA = Path(__file__).resolve().parent.parent / "data"
ARTICLE = DATA / "articles" / "luohu-pilot-zone-2nd-anniversary" / "article.txt"
BASE = "https://w3id.org/luohu-kg/id/"

# the `-violation` queries are checks that answer with no rows on a sound graph (tested elsewhere)
QUESTIONS = sorted(name for name in catalog() if not name.endswith("-violation"))
FORMATS = ["table", "csv", "tsv", "json"]

# queries with an answer test below, filled in by @answers at import time
ANSWERED: set[str] = set()
Row = dict[str, str]


def answers(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Marks a test as checking the answer of one catalog query."""

    def mark(test: Callable[..., None]) -> Callable[..., None]:
        ANSWERED.add(name)
        return test

    return mark


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The article's graph with the ontology, built once for this module."""
    return store_from_triples(build([str(DATA)]).parts().everything())


@pytest.fixture(scope="module")
def text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def run(store: ox.Store, name: str, **values: str) -> list[Row]:
    return select_rows(store, catalog()[name], values)


def one(rows: list[Row], **match: str) -> Row:
    """The single row whose columns have the given values."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} rows match {match}: {found}"
    return found[0]


def column(rows: list[Row], name: str) -> list[str]:
    return [r.get(name, "") for r in rows]


def iri(fact_id: str) -> str:
    return BASE + fact_id


def projected(query: CatalogQuery) -> set[str]:
    """The variables of the outer SELECT clause (between SELECT and the first WHERE)."""
    match = re.search(r"^SELECT\b(.*?)\bWHERE\b", query.text, re.S | re.M)
    assert match is not None, f"{query.name} is not a SELECT query"
    clause = re.sub(r"\(.*?\bAS\s+(\?\w+)\)", r"\1", match.group(1), flags=re.S)
    return set(re.findall(r"\?(\w+)", clause))


# ----------------------------------------------------------------------------- every query


def test_catalog_has_enough_questions() -> None:
    assert len(QUESTIONS) >= 16


@pytest.mark.parametrize("name", QUESTIONS)
def test_header_is_complete(name: str) -> None:
    query = catalog()[name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert query.title and query.title != name
    assert query.question.endswith("?")
    assert query.result
    for param in query.params:
        assert param.help, f"{name}: ?{param.name} has no help text"
        # pyoxigraph substitutes only variables of the SELECT clause
        assert param.name in projected(query), f"{name}: ?{param.name} is not projected"


@pytest.mark.parametrize("name", QUESTIONS)
def test_answers_with_its_defaults(store: ox.Store, name: str) -> None:
    assert len(run(store, name)) >= 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", QUESTIONS)
def test_renders_in_every_format(store: ox.Store, name: str, fmt: str) -> None:
    query = catalog()[name]
    expected = len(run(store, name))
    result = execute(store, query.text, bind(store, query, {}))
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    out = render(result, fmt).decode("utf-8")
    if fmt == "table":
        assert out.splitlines()[0].split()[0] == variables[0]
        assert out.rstrip().endswith(f"({expected} row{'s' if expected != 1 else ''})")
    elif fmt == "csv":
        parsed = list(csv.reader(io.StringIO(out)))
        assert parsed[0] == variables
        assert len(parsed) == expected + 1
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0].split("\t") == [f"?{v}" for v in variables]
        assert len(lines) == expected + 1
    else:
        parsed_json = json.loads(out)
        assert parsed_json["head"]["vars"] == variables
        assert len(parsed_json["results"]["bindings"]) == expected


def test_every_question_has_an_answer_test() -> None:
    assert set(QUESTIONS) <= ANSWERED, sorted(set(QUESTIONS) - ANSWERED)


# ----------------------------------------------------------------------------- injection


@pytest.mark.parametrize(
    "hostile", ['书记" } #', '书记" } # ', "书记' } UNION { ?entity ?p ?o } #"]
)
def test_text_parameter_is_bound_not_spliced(store: ox.Store, hostile: str) -> None:
    rows = run(store, "keyword-search", keyword=hostile)
    # no label of the graph contains these characters: nothing matches, nothing breaks
    assert all(hostile.lower() in r["matched"].lower() for r in rows)
    assert rows == []


def test_text_parameter_with_quotes_matches_literally(store: ox.Store) -> None:
    rows = run(store, "keyword-search", keyword="“反向办”")
    assert iri("reverse-service") in column(rows, "entity")
    assert all("“反向办”" in r["matched"] for r in rows)
    hostile = '大数据平台" ) } UNION { ?node ?p ?o } #'
    assert run(store, "facts-from-passage", text=hostile) == []


def test_entity_parameter_is_resolved_not_spliced(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="no entity"):
        run(store, "within-place", place='深圳市" } UNION { ?itemIri ?p ?o } #')
    # 罗湖区 is the district's label and an alternative label of its government:
    # the main label wins
    assert resolve_entity(store, "罗湖区") == ox.NamedNode(iri("luohu"))
    assert resolve_entity(store, "罗湖区政府") == ox.NamedNode(iri("luohu-government"))


# ----------------------------------------------------------------------------- answers


@answers("luohu-indicators-2021-h1")
def test_h1_2021_indicators(store: ox.Store) -> None:
    rows = run(store, "luohu-indicators-2021-h1")
    assert column(rows, "indicator") == [
        "地区生产总值",
        "社会消费品零售总额",
        "固定资产投资完成额",
        "固定资产投资全年目标任务完成率",
    ]
    gdp = one(rows, indicator="地区生产总值")
    assert (gdp["value"], gdp["unit"], gdp["valueText"]) == (
        "126819000000",
        "CCY_CNY",
        "1268.19亿元",
    )
    assert gdp["growth"] == "10.3" and "rank" not in gdp
    retail = one(rows, indicator="社会消费品零售总额")
    assert (retail["value"], retail["growth"], retail["rank"]) == ("69071000000", "36.1", "2")
    assert (retail["rankScope"], retail["rankText"]) == ("深圳", "全市第二")
    assert one(rows, indicator="固定资产投资完成额")["value"] == "19273000000"
    completion = one(rows, indicator="固定资产投资全年目标任务完成率")
    assert (completion["value"], completion["unit"], completion["rank"]) == ("46.9", "PERCENT", "1")
    assert completion["rankText"] == "全市第一"
    # the curators put the name together: the article only says 完成全年目标任务 / 完成率
    assert completion["constructedLabel"] == "true" and "constructedLabel" not in gdp
    assert set(column(rows, "status")) == {"Actual"}
    assert set(column(rows, "place")) == {iri("luohu")}
    assert set(column(rows, "periodEn")) == {"first half of 2021"}
    as_of = run(store, "luohu-indicators-2021-h1", period="as-of-2021-08")
    literacy = one(as_of, indicator="居民健康素养水平")
    assert (literacy["valueText"], literacy["periodZh"]) == ("41.59%", "截至2021年8月前后")
    assert "地区生产总值" not in column(as_of, "indicator")
    year = run(store, "luohu-indicators-2021-h1", period="2021")
    assert "居民健康素养水平" not in column(year, "indicator")  # 41.59% is as of Aug 2021


@answers("projects")
def test_projects(store: ox.Store) -> None:
    rows = run(store, "projects")
    dongmen = one(rows, projectIri=iri("dongmen-pedestrian-street-renovation-phase-1"))
    assert (dongmen["investment"], dongmen["investmentText"]) == ("540000000", "约5.4亿元")
    assert (dongmen["duration"], dongmen["durationText"]) == ("29", "29个月")
    assert (dongmen["phase"], dongmen["status"]) == ("一期", "项目建议书公示")
    assert dongmen["location"] == "东门商业步行街"
    assert dongmen["events"].startswith("2021-08 ")
    qingshuihe = one(rows, projectIri=iri("qingshuihe-shantytown-redevelopment"))
    assert qingshuihe["events"] == "2021-04 清水河棚改项目开始全面拆除"
    hub = one(rows, projectIri=iri("shenzhen-station-luohu-port-hub-renovation"))
    assert set(hub["location"].split("; ")) == {"深圳火车站", "罗湖口岸"}
    schools = one(rows, projectIri=iri("education-plan-school-building"))
    assert (schools["investment"], schools["investmentText"]) == ("10230000000", "约102.3亿元")
    assert schools["location"] == "罗湖区"
    assert rows[0]["projectIri"] == iri("qingshuihe-shantytown-redevelopment")  # article order
    in_area = run(store, "projects", place="清水河重点片区")
    assert column(in_area, "projectIri") == [iri("qingshuihe-shantytown-redevelopment")]
    in_luohu = run(store, "projects", place="罗湖")
    assert iri("dongmen-pedestrian-street-renovation-phase-1") in column(in_luohu, "projectIri")
    assert len(in_area) < len(in_luohu) <= len(rows)


@answers("officials")
def test_officials(store: ox.Store) -> None:
    rows = run(store, "officials")
    luo = [r for r in rows if r["official"] == "罗育德"]
    assert {r["post"] for r in luo} == {"罗湖区委书记"}
    assert {r["organisation"] for r in luo} == {"罗湖区委"}
    assert any("春天的故事" in r["quote"] for r in luo) and len(luo) == 2
    zhang = [r for r in rows if r["officialEn"] == "Zhang Feimeng"]
    assert {r["post"] for r in zhang} == {"深圳市商务局党组书记", "深圳市商务局局长"}
    assert "东门商圈" in one(zhang, post="深圳市商务局局长")["quote"]
    assert "quote" not in one(zhang, post="深圳市商务局党组书记")
    assert "何女士" not in column(rows, "official")  # quoted, but holds no post
    yin = run(store, "officials", person="殷刚")
    assert [(r["post"], r["organisation"]) for r in yin] == [("罗湖区教育局局长", "罗湖区教育局")]


@answers("initiatives-by-domain")
def test_initiatives_by_domain(store: ox.Store) -> None:
    rows = run(store, "initiatives-by-domain")
    assert "Indicator" not in column(rows, "type")
    platform = one(rows, itemIri=iri("transparent-property-management-platform"))
    assert (platform["firstIn"], platform["firstClaim"]) == ("深圳", "全市首个")
    reverse = [r for r in rows if r["itemIri"] == iri("reverse-service")]
    assert len(reverse) > 1 and {r["firstIn"] for r in reverse} == {"广东省"}
    assert {r["firstClaim"] for r in reverse} == {"全省率先"}
    # 率先 with no scope: a claim of being first, but first in no stated place
    alliance = one(rows, itemIri=iri("close-knit-medical-alliance"))
    assert alliance["firstClaim"] == "率先" and "firstIn" not in alliance
    assert "firstClaim" not in one(rows, itemIri=iri("yucun-model"), domainZh="党建")
    health = column(run(store, "initiatives-by-domain", domain="卫健"), "item")
    assert {"罗湖医改", "两癌筛查", "“反向办”数据治理新服务模式"} <= set(health)
    industry = run(store, "initiatives-by-domain", domain="产业")
    # commerce is a sub-domain of industry
    assert "东门商业步行街改造提升工程(一期)" in column(industry, "item")
    assert "商贸业" in column(industry, "domainZh")
    for domain in ["社会治理", "卫健", "教育", "住房", "商贸业", "产业"]:
        assert run(store, "initiatives-by-domain", domain=domain), domain
    housing = column(run(store, "initiatives-by-domain", domain="住房"), "item")
    assert "人才住房和保障性住房" in housing


@answers("firsts")
def test_firsts(store: ox.Store, text: str) -> None:
    rows = run(store, "firsts")
    assert [(r["item"], r.get("firstIn"), r.get("scope"), r["claim"]) for r in rows] == [
        ("“透明物管”监管平台", "深圳", "City", "全市首个"),
        ("未成年人“一站式”保护中心", "广东省", "Province", "全省首个"),
        ("“反向办”数据治理新服务模式", "广东省", "Province", "全省率先"),
        ("紧密型医联体", None, None, "率先"),  # the article gives no scope
    ]
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["claim"]
        assert text[int(row["quoteStart"]) : int(row["quoteEnd"])] == row["quote"]
        assert int(row["quoteStart"]) <= int(row["start"]) < int(row["end"])
        assert int(row["end"]) <= int(row["quoteEnd"])
    assert one(rows, claim="率先")["quote"] == "率先建立紧密型医联体"


@answers("within-place")
def test_within_place(store: ox.Store) -> None:
    rows = run(store, "within-place")
    items = set(column(rows, "itemIri"))
    assert {iri("luohu"), iri("yucun-community"), iri("plot-03-14")} <= items
    assert iri("shenzhen") not in items and iri("guangdong") not in items
    assert one(rows, itemIri=iri("luohu"))["type"] == "District"
    assert one(rows, itemIri=iri("plot-03-14"))["within"] == "莲塘地区"  # 3 steps down
    # through the inverse of lk:hasPart: a part of the Luohu medical reform
    assert iri("medical-public-health-integration") in items
    luohu = set(column(run(store, "within-place", place="罗湖区"), "itemIri"))
    initiatives = {
        "transparent-property-management-platform",
        "property-mediation-rooms",
        "community-psychological-service-rooms",
        "minors-one-stop-protection-centre",
        "reverse-service",
        "sms-reminder-service",  # part of the reverse service
        "luohu-education-14th-five-year-plan",
        "education-plan-school-building",  # a part of the plan
        "luohu-land-consolidation",
        "luohu-urban-renewal",
    }
    assert {iri(i) for i in initiatives} <= luohu
    assert iri("luohu") not in luohu and iri("shenzhen") not in luohu
    assert luohu < items
    yucun = run(store, "within-place", place="渔邨社区")
    assert {iri("yucun-model"), iri("yucun-party-committee")} <= set(column(yucun, "itemIri"))
    assert iri("luohu") not in column(yucun, "itemIri")


@answers("timeline")
def test_timeline(store: ox.Store) -> None:
    rows = run(store, "timeline")
    dates = column(rows, "date")
    assert dates == sorted(dates)
    assert ("2019-08-18", "《意见》发布") in {(r["date"], r["item"]) for r in rows}
    assert one(rows, item="清水河棚改项目开始全面拆除")["date"] == "2021-04"
    assert one(rows, item="新学校开学")["date"] == "2021-09"
    assert one(rows, kind="published")["date"] == "2021-08"
    half = one(rows, kind="figures", itemEn="first half of 2021")
    assert (half["date"], half["until"]) == ("2021-01-01", "2021-06-30")
    assert "地区生产总值" in half["involves"]
    plan = [r for r in rows if r["item"] == "罗湖区教育发展“十四五”规划"]
    assert {(r["kind"], r["date"]) for r in plan} == {("start", "2021"), ("end", "2025")}


@answers("entity-provenance")
def test_entity_provenance(store: ox.Store, text: str) -> None:
    rows = run(store, "entity-provenance")
    stated = [r for r in rows if r["basis"] == "text"]
    for row in stated:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert "basisNote" not in row
    # background knowledge is never shown with a quote, but with the curators' reason
    background = [r for r in rows if r["basis"] == "background knowledge"]
    assert {(r["property"], r["other"]) for r in background} == {
        ("hasDomain", "商贸业"),
        ("hasDomain", "消费"),
    }
    for row in background:
        assert "quote" not in row and "start" not in row and "evidence" not in row
        assert "curators" in row["basisNote"]
    assert rows[-len(background) :] == background  # listed after the article's words
    own = one(rows, role="own evidence")
    assert "东门商业步行街改造提升工程(一期)项目建议书公示" in own["quote"]
    assert one(rows, role="subject of", property="locatedIn")["other"] == "东门商业步行街"
    targets = [r["other"] for r in rows if r.get("property") == "targets"]
    assert set(targets) == {"国际潮流打卡地", "夜间经济示范街区"}
    assert one(rows, role="object of", property="involves")["quote"].startswith("近日")
    figures = [r["quote"] for r in rows if r["role"] == "figure"]
    assert len(figures) == 2
    assert any("约5.4亿元" in q for q in figures) and any("29个月" in q for q in figures)
    trendy = run(store, "entity-provenance", entity="国际潮流打卡地")
    assert one(trendy, role="quote")["property"] == "about"  # 张非梦 speaks about it
    luo = run(store, "entity-provenance", entity="罗育德")
    held = one(luo, role="object of", property="heldBy")
    assert (held["other"], held["quote"]) == ("罗湖区委书记", "罗湖区委书记罗育德")
    assert len([r for r in luo if r["role"] == "quote"]) == 2
    platform = run(store, "entity-provenance", entity="区大数据平台")
    restated = one(platform, role="figure restated")
    assert "逾40亿条" in restated["quote"] and restated["property"] == "restatedAs"
    alliance = run(store, "entity-provenance", entity="紧密型医联体")
    assert one(alliance, role="claim")["quote"] == "率先建立紧密型医联体"
    runner = one(alliance, property="carriedOutBy")
    assert runner["basis"] == "background knowledge" and "quote" not in runner


@answers("money-by-domain")
def test_money_by_domain(store: ox.Store) -> None:
    rows = run(store, "money-by-domain")
    totals = {r["domain"]: Decimal(r["total"]) for r in rows}
    assert totals["教育"] == Decimal("10230000000")
    assert totals["商贸业"] == totals["消费"] == Decimal("540000000")
    assert totals["产业"] == Decimal("540000000")  # commerce counts in industry
    assert totals["民生"] == Decimal("150000000")
    assert "高质量发展" not in totals  # the district's GDP has no domain
    assert list(totals.values()) == sorted(totals.values(), reverse=True)
    assert "约102.3亿元" in one(rows, domain="教育")["items"]


@answers("before-after")
def test_before_after(store: ox.Store) -> None:
    rows = run(store, "before-after")
    literacy = one(rows, indicatorZh="居民健康素养水平")
    assert (literacy["before"], literacy["after"]) == ("13.57", "41.59")
    assert (literacy["beforeText"], literacy["afterText"]) == ("13.57%", "41.59%")
    assert (literacy["beforePeriod"], literacy["afterPeriod"]) == (
        "as of 2015",
        "as of about August 2021",
    )
    assert (literacy["beforeStatus"], literacy["afterStatus"]) == ("Baseline", "Actual")
    assert Decimal(literacy["change"]) == Decimal("28.02") and literacy["unit"] == "PERCENT"
    assert literacy["changeUnit"] == "percentage points"  # 41.59% - 13.57% is not 28.02%
    assert literacy["subject"] == "罗湖区"
    # figures of one instant that are not a baseline are no pair
    assert "接入部门数" not in column(rows, "indicatorZh")
    assert len(run(store, "before-after", indicator="居民健康素养水平")) == 1
    assert run(store, "before-after", indicator="地区生产总值") == []


@answers("big-data-platform-figures")
def test_big_data_platform_figures(store: ox.Store) -> None:
    rows = run(store, "big-data-platform-figures")
    values = {r["valueText"]: (r["value"], r["unit"], r.get("countWord")) for r in rows}
    assert values == {
        "38个部门": ("38", "NUM", "部门"),
        "40.3亿条": ("4030000000", "NUM", "条"),
        "360项": ("360", "NUM", "项"),
        "655万次": ("6550000", "NUM", "次"),
        "超589万条": ("5890000", "NUM", "条"),
    }
    # the headline's 逾40亿条 is the same figure stated again, not a second one
    records = one(rows, valueText="40.3亿条")
    assert (records["indicator"], records["restatedAs"]) == ("汇集数据量", "逾40亿条")
    assert "qualifier" not in records
    assert one(rows, valueText="超589万条")["qualifier"] == "MoreThan"
    assert set(column(rows, "period")) == {"as of about August 2021"}
    assert rows[0]["valueText"] == "38个部门"  # article order


@answers("indicator-figures")
def test_indicator_figures(store: ox.Store) -> None:
    rows = run(store, "indicator-figures")
    assert {(r["subject"], r["value"], r["status"], r["qualifier"]) for r in rows} == {
        ("东门商业步行街改造提升工程(一期)", "540000000", "Estimate", "About"),
        ("新改扩建公办义务教育学校", "10230000000", "Target", "About"),
    }
    assert "period" not in rows[0]  # totals of a project have no calendar time
    literacy = run(store, "indicator-figures", indicator="居民健康素养水平")
    assert [(r["valueText"], r["period"], r["status"]) for r in literacy] == [
        ("13.57%", "as of 2015", "Baseline"),
        ("41.59%", "as of about August 2021", "Actual"),
    ]
    items = run(store, "indicator-figures", indicator="涉及事项数")
    assert [(r["valueText"], r["batch"]) for r in items] == [("10余个事项", "首批")]


@answers("education-plan-targets")
def test_education_plan_targets(store: ox.Store) -> None:
    rows = run(store, "education-plan-targets")
    assert column(rows, "valueText") == ["4.4万个以上", "41所", "约102.3亿元"]
    places = one(rows, valueText="4.4万个以上")
    assert (places["value"], places["countWord"], places["qualifier"]) == ("44000", "个", "AtLeast")
    assert one(rows, valueText="41所")["value"] == "41"
    money = one(rows, valueText="约102.3亿元")
    assert (money["value"], money["unit"]) == ("10230000000", "CCY_CNY")
    # the additions are flows over the plan's period (十四五, 2021-2025); the school building's
    # total investment has no time of its own and takes the plan's years
    assert one(rows, valueText="41所")["from"] == "2021-01-01"
    assert one(rows, valueText="41所")["to"] == "2025-12-31"
    assert (money["from"], money["to"]) == ("2021", "2025")
    # set for the plan or for its part, the school building
    assert set(column(rows, "about")) <= {"罗湖区教育发展“十四五”规划", "新改扩建公办义务教育学校"}
    assert one(rows, valueText="约102.3亿元")["about"] == "新改扩建公办义务教育学校"


@answers("policies-and-plans")
def test_policies_and_plans(store: ox.Store) -> None:
    rows = run(store, "policies-and-plans")
    opinions = [
        r for r in rows if r["documentIri"].endswith("opinions-shenzhen-pilot-demonstration-zone")
    ]
    assert {r["date"] for r in opinions} == {"2019-08-18"}
    assert {r["other"] for r in opinions if r["relation"] == "issued by"} == {"中共中央", "国务院"}
    assert len([r for r in opinions if r["relation"] == "requires"]) == 3
    answered = {r["other"] for r in opinions if r["relation"] == "answered by"}
    # 对此 ties the Opinions' call for smart governance to the big-data platform only
    assert answered == {"渔邨模式", "区大数据平台"}
    (smart,) = [r for r in opinions if r["relation"] == "requires" and "大数据" in r["other"]]
    assert "大数据、云计算、人工智能" in smart["quote"]
    plan = [r for r in rows if r["documentZh"] == "罗湖区教育发展“十四五”规划"]
    assert {r["date"] for r in plan} == {"2021–2025"}
    assert one(plan, relation="basis of")["other"] == "新改扩建公办义务教育学校"
    only = run(store, "policies-and-plans", document="《意见》")
    assert {r["documentIri"] for r in only} == {iri("opinions-shenzhen-pilot-demonstration-zone")}


@answers("organisations-and-posts")
def test_organisations_and_posts(store: ox.Store) -> None:
    rows = run(store, "organisations-and-posts")
    committee = one(rows, organisationZh="罗湖区委")
    assert (committee["post"], committee["holder"]) == ("罗湖区委书记", "罗育德")
    bureau = one(rows, organisationZh="深圳市商务局")
    assert (bureau["post"], bureau["holder"]) == ("深圳市商务局局长", "张非梦")
    assert "post" not in one(rows, organisationZh="南方日报")
    assert one(rows, organisationZh="社康中心")["parent"] == "集团"
    commerce = run(store, "organisations-and-posts", organisation="深圳市商务局")
    assert set(column(commerce, "organisationZh")) == {"深圳市商务局", "深圳市商务局党组"}
    assert set(column(commerce, "holder")) == {"张非梦"}


@answers("keyword-search")
def test_keyword_search(store: ox.Store) -> None:
    rows = run(store, "keyword-search")
    assert set(column(rows, "entity")) == {
        iri("post-luohu-party-secretary"),
        iri("post-commerce-bureau-party-secretary"),
    }
    assert set(column(rows, "type")) == {"Post"}
    english = run(store, "keyword-search", keyword="secretary OF THE cpc")
    assert column(english, "entity") == [iri("post-luohu-party-secretary")]
    alternative = run(store, "keyword-search", keyword="全市")
    assert one(alternative, entity=iri("shenzhen"))["matched"] == "全市"  # a skos:altLabel


@answers("counts-by-class")
def test_counts_by_class(store: ox.Store) -> None:
    rows = run(store, "counts-by-class")
    counts = {r["class"].rsplit("#", 1)[-1]: int(r["instances"]) for r in rows}
    assert counts["District"] == counts["City"] == counts["NewsArticle"] == 1
    assert counts["Quote"] == 5
    assert counts["Post"] == 4
    assert counts["Evidence"] == counts["TextQuoteSelector"] == counts["TextPositionSelector"]
    assert counts["Observation"] >= 30
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert not any(r["class"].startswith("http://www.w3.org/2002/07/owl#") for r in rows)
    assert one(rows, classEn="District")["classZh"] == "区"


@answers("quotes-by-person")
def test_quotes_by_person(store: ox.Store, text: str) -> None:
    rows = run(store, "quotes-by-person")
    assert column(rows, "speakerZh") == ["罗育德", "罗育德", "张非梦", "何女士", "殷刚"]
    for row in rows:
        assert row["quote"] in text[int(row["start"]) : int(row["end"])]
    assert "capacity" not in one(rows, speakerZh="何女士")
    assert one(rows, speakerZh="殷刚")["capacity"] == "罗湖区教育局局长"
    luo = run(store, "quotes-by-person", speaker="罗育德")
    assert {r["capacity"] for r in luo} == {"罗湖区委书记"} and len(luo) == 2
    assert any("春天的故事" in r["quote"] and "We are confident" in r["quoteEn"] for r in luo)


@answers("agents-and-work")
def test_agents_and_work(store: ox.Store) -> None:
    rows = run(store, "agents-and-work")
    assert one(rows, agentZh="社区党委", work="渔邨模式")["role"] == "carries out"
    assert one(rows, agentZh="罗育德")["work"] == "当好“急先锋”和“排头兵”"
    issuers = {r["agentZh"] for r in rows if r["role"] == "issued"}
    assert issuers == {"中共中央", "国务院"}
    party = run(store, "agents-and-work", agent="社区党委")
    assert {(r["role"], r["work"]) for r in party} >= {
        ("carries out", "渔邨模式"),
        ("carries out", "居民小区“党建+四位一体”模式"),
    }
    assert set(column(party, "role")) == {"carries out", "leads"}
    assert set(column(party, "agentZh")) == {"社区党委"}


@answers("goals")
def test_goals(store: ox.Store) -> None:
    rows = run(store, "goals")
    positioning = one(rows, goalZh="湾区枢纽、万象罗湖")
    assert (positioning["relation"], positioning["otherEn"]) == (
        "announced by",
        "Luohu District Government",
    )
    trendy = [r for r in rows if r["goalZh"] == "国际潮流打卡地"]
    assert ("targeted by", "东门商业步行街改造提升工程(一期)") in {
        (r["relation"], r["other"]) for r in trendy
    }
    parts = run(store, "goals", goal="八个方面,勇当先锋,先行示范")
    assert one(parts, goalZh="全面深化改革")["partOf"] == "八个方面,勇当先锋,先行示范"
    assert len({r["goalIri"] for r in parts}) == 9  # the goal and its eight areas
    assert "国际潮流打卡地" not in column(parts, "goalZh")


@answers("facts-from-passage")
def test_facts_from_passage(store: ox.Store, text: str) -> None:
    rows = run(store, "facts-from-passage")
    assert all("大数据平台" in r["quote"] for r in rows)
    assert one(rows, kind="fact", node=iri("district-big-data-platform"))["fact"] == "区大数据平台"
    assert "区大数据平台 carriedOutBy 罗湖区政府" in column(rows, "fact")
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    first = run(store, "facts-from-passage", text="全省首个")
    assert "未成年人“一站式”保护中心 firstIn 广东省" in column(first, "fact")
    assert one(first, kind="claim")["fact"] == "未成年人“一站式”保护中心:全省首个"
    headline = run(store, "facts-from-passage", text="逾40亿条")
    restated = one(headline, kind="restatement")
    assert restated["fact"].endswith("汇集数据量 restated as 逾40亿条")
    # background knowledge rests on no passage (小区党支部 subOrganizationOf 社区党委 is the
    # curators'): the passage that names the branches does not bring it back
    branches = run(store, "facts-from-passage", text="小区党支部")
    assert "小区党支部" in column(branches, "fact")
    assert not any("subOrganizationOf" in r["fact"] for r in branches)


@answers("articles")
def test_articles(store: ox.Store, text: str) -> None:
    (row,) = run(store, "articles")
    assert row["headline"] == "先行示范两周年!罗湖谱写“湾区枢纽、万象罗湖”新篇章"
    assert (row["publisher"], row["author"], row["compiledBy"]) == (
        "南方日报",
        "夏凡",
        "新时代新罗湖",
    )
    assert (row["published"], row["referenceYear"]) == ("2021-08", "2021")
    assert int(row["characters"]) == len(text)
    assert int(row["quotes"]) == 5
    observations = run(store, "counts-by-class")
    count = one(observations, classEn="Observation")["instances"]
    assert row["figures"] == count
    assert int(row["statements"]) > 0 and int(row["mentions"]) > 0
    assert int(row["background"]) > 0 and int(row["claims"]) == 9
    every = int(one(observations, classEn="Statement")["instances"])
    assert int(row["statements"]) + int(row["background"]) == every


@answers("claims")
def test_claims(store: ox.Store, text: str) -> None:
    rows = run(store, "claims")
    assert [(r["kind"], r["text"]) for r in rows] == [
        ("ComparisonClaim", "增速跑赢全市"),
        ("ComparisonClaim", "增速领先各区"),
        ("FirstClaim", "全市首个"),
        ("FirstClaim", "全省首个"),
        ("FirstClaim", "全省率先"),
        ("FirstClaim", "率先"),
        ("TrendClaim", "已升至"),
        ("TrendClaim", "显著降低"),
        ("TrendClaim", "大大减轻"),
    ]
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert row["text"] in row["quote"]
    gdp = one(rows, text="增速跑赢全市")
    assert (gdp["aboutZh"], gdp["reference"]) == ("罗湖区2021年上半年地区生产总值", "深圳")
    assert (gdp["aspect"], gdp["comparison"]) == ("growth rate", "exceeds")
    assert one(rows, text="增速领先各区")["comparison"] == "leads all districts of"
    assert "reference" not in one(rows, text="率先")  # no scope given
    assert one(rows, text="全省首个")["reference"] == "广东省"
    disease = one(rows, text="显著降低")
    assert (disease["aboutZh"], disease["direction"], disease["outcomeOf"]) == (
        "罗湖区",
        "decrease",
        "罗湖医改",
    )
    assert "发病率" in disease["indicator"]
    about = run(store, "claims", about="紧密型医联体")
    assert [(r["kind"], r["text"]) for r in about] == [("FirstClaim", "率先")]


@answers("rankings-and-comparisons")
def test_rankings_and_comparisons(store: ox.Store, text: str) -> None:
    rows = run(store, "rankings-and-comparisons")
    assert [(r["kind"], r["indicator"], r["text"]) for r in rows] == [
        ("comparison", "地区生产总值", "增速跑赢全市"),
        ("rank", "社会消费品零售总额", "全市第二"),
        ("comparison", "社会消费品零售总额", "增速领先各区"),
        ("rank", "固定资产投资全年目标任务完成率", "全市第一"),
    ]
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert text[int(row["textStart"]) : int(row["textEnd"])] == row["text"]
        assert (row["subject"], row["reference"], row["period"]) == (
            "罗湖区",
            "深圳",
            "2021年上半年",
        )
    second = one(rows, text="全市第二")
    assert (second["rank"], second["aspect"], second["valueText"]) == ("2", "value", "690.71亿元")
    assert "comparison" not in second
    assert one(rows, text="全市第一")["rank"] == "1"
    leads = one(rows, text="增速领先各区")
    assert (leads["aspect"], leads["comparison"], leads["growthText"]) == (
        "growth rate",
        "leads all districts of",
        "36.1%",
    )
    assert "rank" not in leads
    assert one(rows, text="增速跑赢全市")["comparison"] == "exceeds"
    assert run(store, "rankings-and-comparisons", place="清水河重点片区") == []


# ----------------------------------------------------------------------------- entity names


def test_entity_names_follow_the_one_rule(store: ox.Store) -> None:
    luohu = ox.NamedNode(iri("luohu"))
    for name in (
        "罗湖区",
        "Luohu District",
        "luohu",
        "lkd:luohu",
        iri("luohu"),
        f"<{iri('luohu')}>",
    ):
        assert resolve_entity(store, name) == luohu, name
    assert resolve_entity(store, "Luohu") == luohu  # an alternative label (no main label has it)
    with pytest.raises(QueryError, match=r"did you mean: 罗湖区 \(luohu\)"):
        resolve_entity(store, "罗湖去")
    with pytest.raises(QueryError, match="is not an entity"):
        resolve_entity(store, "lk:District")  # a class, not an entity
    with pytest.raises(QueryError, match="is not an entity"):
        resolve_entity(store, iri("statement/luohu.locatedIn.shenzhen"))  # provenance


def test_entity_names_resolve_as_in_the_entity_graph(store: ox.Store) -> None:
    from builder.analytics import EntityGraph, EntityLookupError

    eg = EntityGraph.from_rdf(build([str(DATA)]).graph())
    for name in (
        "罗湖区",
        "罗湖",
        "意见",
        "Total investment",
        "luohu-port",
        "罗湖去",
        "nobody",
        "区",
    ):
        try:
            expected = eg.resolve(name)
        except EntityLookupError as err:
            with pytest.raises(QueryError) as raised:
                resolve_entity(store, name)
            assert str(raised.value) == str(err)
        else:
            assert resolve_entity(store, name) == ox.NamedNode(expected)


# ----------------------------------------------------------------------------- parameters


def test_parameter_errors_are_query_errors(store: ox.Store) -> None:
    adhoc = CatalogQuery("sparql", "SELECT ?s WHERE { ?s a lk:District }", "", "", "", ())
    with pytest.raises(QueryError, match=r"does not select \?x \(its variables: \?s\)"):
        bind(store, adhoc, {"x": "1"})
    with pytest.raises(QueryError, match="'a-b' is not a parameter name"):
        bind(store, adhoc, {"a-b": "1"})
    with pytest.raises(QueryError, match="counts-by-class declares no parameters"):
        bind(store, catalog()["counts-by-class"], {"x": "1"})
    with pytest.raises(QueryError, match=r"it takes: place \(entity, default 深圳市\)"):
        bind(store, catalog()["within-place"], {"x": "1"})
    with pytest.raises(QueryError, match="parameter 'place': <http://a b> is not a valid IRI"):
        bind(store, catalog()["within-place"], {"place": "http://a b"})
    iri_param = CatalogQuery(
        "q", "SELECT ?t WHERE { ?s ?p ?o }", "", "", "", (Param("t", "iri", None, ""),)
    )
    with pytest.raises(QueryError, match="parameter 't': 'a b' is not an IRI"):
        bind(store, iri_param, {"t": "a b"})
    selected = CatalogQuery(
        "sparql", "SELECT ?label WHERE { ?s rdfs:label ?label }", "", "", "", ()
    )
    assert bind(store, selected, {"label": "罗湖区"}) == {
        ox.Variable("label"): ox.Literal("罗湖区")
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix 'foo:'"),
        ("PREFIX a: <http://a/>\nSELECT * WHERE {\n ?s a:b ?o ; zz:q ?x }", "at 3:"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "this is a SPARQL update (INSERT …)"),
        ("# c\nPREFIX x: <http://x#>\ndelete where { ?s ?p ?o }", "SPARQL update (DELETE …)"),
        ("SELEC ?x WHERE { ?x ?p ?o }", "starts with SELECT, ASK, CONSTRUCT or DESCRIBE"),
        ("SELECT ?x WHERE {\n  ?x a lk:District\n  FILTER(?x = }", "error at 3:"),
    ],
)
def test_syntax_errors_are_one_line(store: ox.Store, text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        execute(store, text, {})
    assert message in str(raised.value)
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 300


# ----------------------------------------------------------------------------- tables


def _solutions(rows: list[dict[str, str]], variables: list[str]) -> ox.QuerySolutions:
    """SELECT results with these rows (a missing key: an unbound variable)."""
    store, ex = ox.Store(), "http://example.org/"
    for n, row in enumerate(rows):
        subject = ox.NamedNode(f"{ex}row/{n:03}")
        store.add(ox.Quad(subject, ox.NamedNode(ex + "is"), ox.Literal("row")))
        for v, value in row.items():
            store.add(ox.Quad(subject, ox.NamedNode(ex + v), ox.Literal(value)))
    optional = " ".join(f"OPTIONAL {{ ?row <{ex}{v}> ?{v} }}" for v in variables)
    projected = " ".join(f"?{v}" for v in variables)
    text = f'SELECT {projected} WHERE {{ ?row <{ex}is> "row" {optional} }} ORDER BY ?row'
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _bars(line: str) -> list[int]:
    """Terminal columns at which the `|` of a table line are."""
    return [display_width(line[:i]) for i, c in enumerate(line) if c in "|+"]


WIDE_ROWS = [
    {
        "name": "罗湖区",
        "text": "罗湖区将牢记嘱托,向改革要动力、向开放要活力,继续当好“急先锋”",
        "en": "Luohu District will bear in mind the charge",
    },
    {"name": "Luohu", "text": "第一行\n第二行\r\n第三行", "en": "x"},
]


def test_line_breaks_stay_in_their_cell() -> None:
    out = render(_solutions(WIDE_ROWS, ["name", "text", "en"]), "table").decode("utf-8")
    lines = out.splitlines()
    assert len(lines) == 2 + 2 + 1  # header, rule, two rows, count
    assert "第一行⏎第二行⏎第三行" in out
    assert len({tuple(_bars(line)) for line in lines[:-1]}) == 1  # aligned with CJK


@pytest.mark.parametrize("width", [30, 50, 80])
def test_table_fits_a_width_and_stays_aligned(width: int) -> None:
    out = render(_solutions(WIDE_ROWS, ["name", "text", "en"]), "table", width=width).decode()
    lines = out.splitlines()
    assert all(display_width(line) <= width for line in lines[:-1]), out
    assert len({tuple(_bars(line)) for line in lines[:-1]}) == 1, out
    assert "…" in out and "--wide" in lines[-1]
    assert lines[-1].startswith("(2 rows; cut to")
    whole = render(_solutions(WIDE_ROWS, ["name", "text", "en"]), "table", width=500).decode()
    assert "…" not in whole and whole.splitlines()[-1] == "(2 rows)"


def test_fit_widths() -> None:
    from builder.tables import fit_widths

    assert fit_widths([5, 10], 100, 3) == [5, 10]
    assert fit_widths([5, 50, 50], 40, 3) == [5, 15, 14]  # narrow kept, the wide share
    assert sum(fit_widths([5, 50, 50], 40, 3)) + 6 == 40
    assert fit_widths([50, 50, 50], 5, 3) == [4, 4, 4]  # cannot fit: the floors
    assert fit_widths([20, 30], 30, 2, [20, 4]) == [20, 8]  # a column that is never cut


def test_records_format() -> None:
    out = render(_solutions(WIDE_ROWS, ["name", "text", "en"]), "records", width=40).decode()
    lines = out.splitlines()
    assert lines[0].startswith("-[ 1 ]") and lines[-1] == "(2 rows)"
    assert lines[1] == "name  罗湖区"
    assert all(display_width(line) <= 40 for line in lines)
    second = lines[lines.index(next(x for x in lines if x.startswith("-[ 2 ]"))) :]
    assert second[2:5] == ["text  第一行", "      第二行", "      第三行"]  # breaks as lines


def test_empty_parameter_columns_are_hidden() -> None:
    rows = [{"name": "a", "extra": ""}, {"name": "b"}]
    result = _solutions([{"name": "a"}, {"name": "b"}], ["place", "name"])
    out = render(result, "table", hide_empty=["place"]).decode()
    assert out.splitlines()[0] == "name"
    result = _solutions([{"name": "a", "place": "x"}, {"name": "b"}], ["place", "name"])
    assert render(result, "table", hide_empty=["place"]).decode().startswith("place | name")
    result = _solutions([{"name": "a"}, {"name": "b"}], ["place", "name"])
    assert render(result, "csv", hide_empty=["place"]).decode().startswith("place,name")
    assert rows  # only parameter columns go, and only in the formats for people


def test_csv_with_a_byte_order_mark() -> None:
    content = render(_solutions(WIDE_ROWS, ["name"]), "csv", bom=True)
    assert content.startswith(b"\xef\xbb\xbfname\r\n")
    assert content.decode("utf-8-sig").splitlines()[1] == "罗湖区"


def test_catalog_listing() -> None:
    from builder.query import catalog_listing

    listed = json.loads(catalog_listing(catalog().values(), "json"))
    within = next(q for q in listed if q["name"] == "within-place")
    assert within["params"] == [
        {
            "name": "place",
            "kind": "entity",
            "default": "深圳市",
            "help": catalog()["within-place"].params[0].help,
        }
    ]
    lines = catalog_listing(catalog().values(), "table", width=70).decode().splitlines()
    assert [line.split()[0] for line in lines] == list(catalog())  # names are never cut
    assert all(display_width(line) <= 70 for line in lines)
    wide = catalog_listing(catalog().values(), "table").decode().splitlines()
    assert next(x for x in wide if x.startswith("within-place ")).endswith("?place entity=深圳市")
    assert "?agent entity" in next(x for x in wide if x.startswith("agents-and-work "))
    records = catalog_listing([catalog()["within-place"]], "records").decode()
    assert "?place (entity, default 深圳市): the containing place" in records
