"""`luohu-kg draft`: the drafter's stages on sentences of the article and on sentences of
Chinese government news written for these tests, the draft file, and the command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.drafting import draft_article, segment
from builder.drafting.claims import first_claims
from builder.drafting.entities import suffix_names
from builder.drafting.figures import chinese_numbers, figures_in, indicator_words
from builder.drafting.linking import GraphIndex, Known, new_id, person_id
from builder.drafting.people import posts, quotes
from builder.drafting.periods import time_words
from builder.drafting.text import ArticleText, Span
from builder.errors import InputError
from builder.load import load_corpus
from builder.model import check_corpus
from builder.vocab import shipped_vocabulary

from .conftest import DATA, ROOT

ARTICLE = DATA / "articles" / "luohu-pilot-zone-2nd-anniversary"


def whole(text: str) -> Span:
    return Span(0, len(text), text)


@pytest.fixture(autouse=True)
def fresh_segmenter() -> None:
    """Every test starts from jieba's dictionary, without words taught by another."""
    segment.prepare([])


@pytest.fixture()
def bare(tmp_path: Path) -> Path:
    """A copy of the article folder with its text and article.yaml only."""
    folder = tmp_path / ARTICLE.name
    folder.mkdir()
    for name in ("article.txt", "article.yaml"):
        shutil.copy(ARTICLE / name, folder / name)
    return folder


# ------------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("今年上半年,罗湖交出了一张亮眼的高质量发展成绩单", "period", "2021-H1"),
        ("今年4月,该项目开始全面拆除", "period", "2021-04"),
        ("9月,罗湖未来学校等新学校将会开学", "period", "2021-09"),
        ("未来5-10年,还将释放180.47公顷产业土地", "period", "next-5-10-years"),
        ("截至目前,共为辖区近50万人次提供了服务", "as_of", "published"),
        ("2015年-2020年,罗湖通过城市更新", "period", "2015--2020"),
        ("根据《罗湖区教育发展“十四五”规划》", "period", "2021--2025"),
        ("截至6月底,全区累计建成", "as_of", "2021-06-30"),
        ("前三季度,全区规模以上工业增加值", "period", "2021-01--2021-09"),
        ("下半年将继续推进", "period", "2021-H2"),
        ("未来五年将新增学位", "period", "next-5-years"),
        ("1至10月,新开工保障性住房", "period", "2021-01--2021-10"),
    ],
)
def test_time_words_read_against_the_reference_year(text: str, kind: str, value: str) -> None:
    found = time_words(text, 0, 2021, "2021-11")
    assert found, text
    assert (found[0].kind, found[0].value) == (kind, value)
    assert text[found[0].start : found[0].end] == found[0].text  # the words are kept


def test_a_target_of_the_whole_year_is_not_a_time() -> None:
    found = time_words("完成全年目标任务的46.9%", 0, 2021)
    assert [t.text for t in found] == []


# ------------------------------------------------------------------------------- figures


def test_figures_of_the_half_year_sentence(article_text: str) -> None:
    article = ArticleText("a", article_text)
    sentence = next(s for s in article.sentences if "地区生产总值达" in s.text)
    found = figures_in(sentence)
    assert [f.text for f in found] == ["1268.19亿元", "690.71亿元", "192.73亿元", "46.9%"]
    gdp, retail, _, completion = found
    assert gdp.value == Decimal("126819000000") and gdp.unit.endswith("CCY_CNY")
    assert gdp.growth is not None and gdp.growth.text == "10.3%"
    assert gdp.comparison is not None and gdp.comparison[1:] == ("growth", "exceeds", "全市")
    assert retail.rank is not None and retail.rank.text == "全市第二"
    assert retail.comparison is not None and retail.comparison[2] == "leads"
    assert completion.rank is not None and completion.rank.text == "全市第一"


def test_qualifiers_and_counts_of_a_sentence_of_our_own() -> None:
    text = (
        "截至目前,全区共建成社区食堂逾120个,服务近3.5万人次,新增停车位2000个以上,总工期约18个月。"
    )
    found = {f.text: f for f in figures_in(whole(text))}
    assert found["逾120个"].qualifier == "MoreThan" and found["逾120个"].value == 120
    assert found["近3.5万人次"].value == 35000 and found["近3.5万人次"].qualifier == "Nearly"
    assert found["2000个以上"].qualifier == "AtLeast"
    assert found["约18个月"].unit.endswith("MO")


def test_codes_years_and_slogans_are_not_figures() -> None:
    text = "2019年8月18日,位于莲塘地区03-14地块的小学打造“1+4+2”体系。"
    assert figures_in(whole(text)) == []


def test_a_count_of_named_things_keeps_the_things_apart() -> None:
    text = "成立14个小区物业调解室,建成79个社区心理服务室"
    found = figures_in(whole(text))
    assert [(f.text, f.counted.text if f.counted else None) for f in found] == [
        ("14个", "小区物业调解室"), ("79个", "社区心理服务室")]  # fmt: skip


def test_indicator_words_drop_subject_time_and_verbs() -> None:
    text = "今年上半年,南山区规模以上工业增加值达2450.3亿元"
    sentence = whole(text)
    figure = figures_in(sentence)[0]
    name = Span(text.index("南山区"), text.index("南山区") + 3, "南山区")
    words = indicator_words(sentence, figure, [name])
    assert words is not None and words.text == "规模以上工业增加值"


def test_chinese_numerals_are_read() -> None:
    found = chinese_numbers(whole("在八个方面先行示范,迎来两周年,首批确定涉及五大领域"))
    assert [(n.text, n.value, n.kind) for n in found] == [
        ("八个", 8, "count"), ("两周年", 2, "anniversary"), ("首批", 1, "first"),
        ("五大", 5, "count")]  # fmt: skip


# ------------------------------------------------------------------------------- entities


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("罗湖区还开发全市首个“透明物管”监管平台", "“透明物管”监管平台", "DigitalPlatform"),
        ("伴随挖掘机隆隆的声响,罗湖区清水河重点片区", "罗湖区清水河重点片区", "Area"),
        (
            "近日,东门商业步行街改造提升工程(一期)项目建议书公示",
            "东门商业步行街改造提升工程(一期)",
            "Project",
        ),
        ("今年,宝安区新桥街道启动智慧养老服务平台建设", "智慧养老服务平台", "DigitalPlatform"),
        ("龙岗区坪地街道党工委书记表示", "龙岗区坪地街道党工委", "PartyOrganization"),
    ],
)
def test_names_by_their_last_word(text: str, name: str, kind: str) -> None:
    found = {(n.text, k) for n, k, _, _ in suffix_names(whole(text))}
    assert (name, kind) in found


def test_common_words_ending_like_names_are_not_names() -> None:
    text = "提升城区规划建设管理,建设国际消费中心城市核心区,屋顶平台绿意盎然"
    found = {n.text for n, _, _, _ in suffix_names(whole(text))}
    assert not found & {"提升城区", "国际消费中心", "屋顶平台"}


def test_posts_and_their_holders(article_text: str) -> None:
    found = {(p.zh, p.org, p.person, p.constructed) for p in posts(ArticleText("a", article_text))}
    assert ("罗湖区委书记", "罗湖区委", "罗育德", False) in found
    assert ("深圳市商务局党组书记", "深圳市商务局党组", "张非梦", False) in found
    assert ("深圳市商务局局长", "深圳市商务局", "张非梦", True) in found
    assert ("罗湖区教育局局长", "罗湖区教育局", "殷刚", False) in found


def test_a_post_of_our_own_sentence() -> None:
    text = "“我们将全力推进重点项目建设。”南山区发展和改革局局长李明华表示。"
    found = posts(ArticleText("a", text))
    assert [(p.zh, p.person) for p in found] == [("南山区发展和改革局局长", "李明华")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("福田区委副书记、区长周立衡表示,", [("福田区委副书记", "福田区委", False),
                                          ("福田区区长", "福田区", True)]),
        ("南海区政务服务数据管理局局长谭卓文介绍,", [("南海区政务服务数据管理局局长",
                                                 "南海区政务服务数据管理局", False)]),
    ],
)  # fmt: skip
def test_posts_of_party_and_government(text: str, expected: list[tuple[str, str, bool]]) -> None:
    found = posts(ArticleText("a", text))
    assert [(p.zh, p.org, p.constructed) for p in found] == expected


def test_direct_and_reported_quotes(article_text: str) -> None:
    article = ArticleText("a", article_text)
    found = quotes(article, ["罗育德", "张非梦", "殷刚", "何女士"])
    by = {(q.speaker, q.direct, q.text[:8]) for q in found}
    assert ("罗育德", False, "罗湖区将牢记嘱托") in by  # reported speech after 表示,
    assert ("罗育德", True, "我们有信心在续写") in by  # the direct quote that follows
    assert ("张非梦", True, "改造后的东门商圈") in by
    assert ("何女士", True, "我以前从来不知道") in by
    for quote in found:
        assert article.is_unique(quote.span.text)


def test_first_claims_with_and_without_scope() -> None:
    text = "龙华区在全省率先推出“秒批”服务,并建成全市首个无人机配送站,率先建立紧密型医联体。"
    article = ArticleText("a", text)
    found = [(c.words.text, c.scope, text[c.object_start : c.object_start + 4])
             for c in first_claims(article, len(text))]  # fmt: skip
    assert found == [("全省率先", "全省", "“秒批”"), ("全市首个", "全市", "无人机配"),
                     ("率先", None, "紧密型医")]  # fmt: skip


# ------------------------------------------------------------------------------- quotes


def test_a_unique_quote_is_grown_until_unique(article_text: str) -> None:
    article = ArticleText("a", article_text)
    at = article_text.index("罗湖区委书记") + 2  # 区委 occurs more than once
    span = article.unique_quote(at, at + 2)
    assert span is not None and article.is_unique(span.text)
    assert article_text[span.start : span.end] == span.text and "区委" in span.text
    with pytest.raises(ValueError):
        article.evidence("罗湖")


# ------------------------------------------------------------------------------- linking


def test_linking_by_label_and_ambiguity() -> None:
    index = GraphIndex()
    index.add(Known("luohu", "District", "罗湖区", ("罗湖",), "Luohu District"))
    index.add(Known("luohu-government", "GovernmentBody", "罗湖区政府", ("罗湖",), ""))
    assert index.lookup(["罗湖区"]) == ("luohu", [])
    assert index.lookup(["罗湖"]) == (None, ["luohu", "luohu-government"])  # not guessed
    assert index.lookup(["福田区"]) == (None, [])


def test_new_ids_are_pinyin_and_unique() -> None:
    taken = {"luohuqu"}
    assert new_id("罗湖区", taken) == "luohuqu-2"
    assert person_id("殷刚", taken) == "yin-gang"
    assert person_id("欧阳明", taken) == "ouyang-ming"
    assert new_id("罗湖区教育局局长", taken, "post").startswith("post-")


# ------------------------------------------------------------------------------- the draft


def test_the_draft_passes_the_builders_checks(bare: Path) -> None:
    """Loaded with drafts included, in a folder without the curated files, the draft gives no
    problem at all: every quote is unique and at its offsets, every reference defined."""
    text = draft_article(bare).text()
    (bare / "draft.yaml").write_text(text, encoding="utf-8")
    raws = load_corpus([str(bare)], include_drafts=True)
    corpus = check_corpus(raws, shipped_vocabulary())
    article_text = (bare / "article.txt").read_text(encoding="utf-8")
    facts = list(corpus.facts.values())
    assert len(facts) > 100
    for fact in facts:
        ev = fact.evidence
        assert article_text[ev.start : ev.end] == ev.quote
        assert article_text.count(ev.quote) == 1
    kinds = {f.type for f in facts}
    assert {"Observation", "Post", "Quote", "FirstClaim", "District", "Person"} <= kinds
    draft = yaml.safe_load(text)
    assert draft["draft"] is True
    assert all("proposed_by" in f and 0 < f["confidence"] <= 1 for f in draft["facts"])


def test_the_draft_names_what_it_proposes(bare: Path) -> None:
    draft = yaml.safe_load(draft_article(bare).text())
    facts = draft["facts"]
    by_zh = {f.get("zh"): f for f in facts}
    gdp = next(f for f in facts if f.get("value") == "1268.19亿元")
    assert gdp["period"] == "2021-H1" and gdp["growth"] == "10.3%"
    assert by_zh[None if gdp["subject"] not in {f["id"] for f in facts} else "罗湖区"]["id"] == (
        gdp["subject"])  # fmt: skip
    assert by_zh["罗湖区"]["en"] == "Luohu District" and "罗湖" in by_zh["罗湖区"]["alt_zh"]
    assert by_zh["罗育德"]["en"] == "Luo Yude"
    assert by_zh["深圳市商务局局长"]["zh_constructed"] is True


def test_linking_reuses_existing_ids(tmp_path: Path, bare: Path) -> None:
    """Drafted against the curated data of (a copy of) the article under another id, the
    draft refers to 罗湖区 and its posts' holders by the existing ids."""
    other = tmp_path / "data" / "articles" / "other"
    shutil.copytree(ARTICLE, other)
    meta = (other / "article.yaml").read_text(encoding="utf-8")
    (other / "article.yaml").write_text(meta.replace(ARTICLE.name, "other", 1), "utf-8")
    draft = yaml.safe_load(draft_article(bare, [str(tmp_path / "data")]).text())
    linked = {link["id"] for link in draft["links"]}
    assert {"luohu", "luo-yude", "shenzhen"} <= linked
    assert not any(f.get("zh") == "罗湖区" for f in draft["facts"])  # no second node
    gdp = next(f for f in draft["facts"] if f.get("value") == "1268.19亿元")
    assert gdp["subject"] == "luohu"


def test_the_article_itself_is_never_read_for_linking(bare: Path) -> None:
    """Its curated files (in data/, under the same id) are hidden from the drafter."""
    draft = yaml.safe_load(draft_article(bare, [str(ARTICLE)]).text())
    assert draft["links"] == []
    assert any(f.get("zh") == "罗湖区" for f in draft["facts"])


def test_the_draft_is_deterministic(bare: Path) -> None:
    env = dict(os.environ)
    outputs = []
    for seed in ("1", "2"):
        env["PYTHONHASHSEED"] = seed
        done = subprocess.run(
            [sys.executable, "-m", "builder", "draft", str(bare), "-o", "-"],
            capture_output=True, env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"# Draft")


# ------------------------------------------------------------------------------- loader


def test_the_loader_skips_drafts_unless_asked(bare: Path) -> None:
    (bare / "draft.yaml").write_text("draft: true\nfacts:\n  - id: x\n", encoding="utf-8")
    (bare / "more.draft.yaml").write_text("facts: [\n", encoding="utf-8")  # not even YAML
    raw = load_corpus([str(bare)])[0]
    assert raw.facts == [] and raw.draft_files == []
    with pytest.raises(InputError) as caught:
        load_corpus([str(bare)], include_drafts=True)
    assert any("more.draft.yaml" in str(p) for p in caught.value.problems)


def test_draft_fields_only_in_draft_files(bare: Path) -> None:
    fact = "facts:\n  - {id: x, type: District, zh: 罗湖区, en: L, evidence: 罗湖区委书记, "
    (bare / "facts.yaml").write_text(fact + "proposed_by: r, confidence: 0.5}\n", "utf-8")
    with pytest.raises(InputError) as caught:
        check_corpus(load_corpus([str(bare)]), shipped_vocabulary())
    assert any("unknown field `confidence`" in p.message for p in caught.value.problems)
    (bare / "facts.yaml").unlink()
    (bare / "draft.yaml").write_text("draft: true\n" + fact + "proposed_by: r, confidence: 0.5}\n",
                                     "utf-8")  # fmt: skip
    raws = load_corpus([str(bare)], include_drafts=True)
    assert raws[0].draft_fields and "confidence" not in raws[0].facts[0][1]
    (bare / "draft.yaml").write_text(fact + "proposed_by: r}\n", "utf-8")  # no draft: true
    with pytest.raises(InputError, match="draft: true"):
        load_corpus([str(bare)], include_drafts=True)


# ------------------------------------------------------------------------------- command


def test_cli_writes_draft_yaml(runner: CliRunner, bare: Path) -> None:
    result = runner.invoke(main, ["draft", str(bare)])
    assert result.exit_code == 0, result.output
    assert (bare / "draft.yaml").read_text(encoding="utf-8").startswith("# Draft")
    assert "proposed facts" in result.stderr
    again = runner.invoke(main, ["draft", str(bare)])  # a draft may be replaced
    assert again.exit_code == 0


def test_cli_stdout(runner: CliRunner, bare: Path) -> None:
    result = runner.invoke(main, ["draft", str(bare), "-o", "-"])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["article"] == ARTICLE.name
    assert not (bare / "draft.yaml").exists()


def test_cli_never_overwrites_curated_facts(runner: CliRunner, bare: Path) -> None:
    curated = bare / "places.yaml"
    curated.write_text("facts: []\n", encoding="utf-8")
    result = runner.invoke(main, ["draft", str(bare), "-o", str(curated)])
    assert result.exit_code == 2 and "draft.yaml" in result.stderr
    assert curated.read_text(encoding="utf-8") == "facts: []\n"
    lookalike = bare / "draft.yaml"
    lookalike.write_text("facts: []\n", encoding="utf-8")  # named like a draft, but is not one
    result = runner.invoke(main, ["draft", str(bare)])
    assert result.exit_code == 2 and "not a draft" in result.stderr
    assert lookalike.read_text(encoding="utf-8") == "facts: []\n"


def test_cli_bad_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["draft", str(tmp_path)])
    assert result.exit_code == 2 and "article.yaml" in result.stderr


OWN_ARTICLE = """南山区上半年经济稳中有进

今年上半年,南山区地区生产总值达3612.5亿元,同比增长4.1%,增速居全市第一。
南山区委书记王晓东表示,南山区将加快推进科技创新,“我们有信心完成全年目标任务。”
不久后,位于蛇口片区的南山实验学校将迎来新学期,这所学校将有48个班。
截至目前,“一网通办”政务服务平台首批确定涉及民政、教育、人社3大领域共20余个事项。
南山实验学校新校区建设项目由南山区教育局负责实施,总投资约8.6亿元。
南山区还建成全省首个“智慧社区”综合服务中心。
区长陈立新介绍,下半年南山区将继续推进重大项目建设。

信息来源:南山日报 李文
"""


def test_a_news_text_of_our_own(tmp_path: Path) -> None:
    """Rules for government news in general, on a text written for this test."""
    folder = tmp_path / "nanshan-own"
    folder.mkdir()
    (folder / "article.txt").write_text(OWN_ARTICLE, encoding="utf-8")
    (folder / "article.yaml").write_text(
        "id: nanshan-own\ntext: article.txt\ntitle_zh: 南山区上半年经济稳中有进\n"
        "title_en: Nanshan\npublished: 2022-08\npublisher: nanshan-daily\nauthor: li-wen\n"
        "reference_year: 2022\ndate_assumption: test\nrights: test\n",
        encoding="utf-8",
    )
    text = draft_article(folder).text()
    (folder / "draft.yaml").write_text(text, encoding="utf-8")
    facts = {f["id"]: f for f in yaml.safe_load(text)["facts"]}
    by_zh = {f.get("zh"): f for f in facts.values()}
    gdp = next(f for f in facts.values() if f.get("value") == "3612.5亿元")
    assert (gdp["period"], gdp["growth"]) == ("2022-H1", "4.1%")
    assert "rank" not in gdp and "全市第一" in gdp["note"]  # the text names no city for 全市
    assert facts[gdp["subject"]]["zh"] == "南山区"
    assert facts[gdp["indicator"]]["zh"] == "地区生产总值"
    classes = next(f for f in facts.values() if f.get("value") == "48个班")
    assert facts[classes["subject"]]["zh"] == "南山实验学校" and "period" not in classes
    items = next(f for f in facts.values() if f.get("value") == "20余个事项")
    assert items["as_of"] == "published" and items["batch"] == "首批"
    platform = facts[items["subject"]]
    assert platform["type"] == "DigitalPlatform" and "一网通办" in platform["alt_zh"]
    domains = {facts[r["object"]]["zh"] for r in platform.get("relations", [])}
    assert domains == {"民政", "教育", "人社"}
    school = by_zh["南山实验学校"]
    assert {"property": "locatedIn", "object": by_zh["蛇口片区"]["id"]}.items() <= (
        school["relations"][0].items())  # fmt: skip
    project = by_zh["南山实验学校新校区建设项目"]
    assert any(r["property"] == "carriedOutBy" and r["object"] == by_zh["南山区教育局"]["id"]
               for r in project["relations"])  # fmt: skip
    post = by_zh["南山区委书记"]
    assert [r["object"] for r in post["relations"]] == [by_zh["南山区委"]["id"], "wang-xiaodong"]
    said = [f for f in facts.values() if f["type"] == "Quote"]
    assert [(q["speaker"], q["text"]) for q in said] == [
        ("wang-xiaodong", "南山区将加快推进科技创新"),
        ("wang-xiaodong", "我们有信心完成全年目标任务。"),
        ("chen-lixin", "下半年南山区将继续推进重大项目建设"),
    ]
    first = next(f for f in facts.values() if f["type"] == "FirstClaim")
    assert first["text"] == "全省首个" and facts[first["about"]]["zh"].endswith("综合服务中心")
    assert by_zh["南山日报"]["id"] == "nanshan-daily" and by_zh["李文"]["id"] == "li-wen"
    head = by_zh["南山区区长"]  # 区长陈立新介绍: the head of the article's one district
    assert head["zh_constructed"] is True and head["alt_zh"] == ["区长"]
    assert head["relations"] == [{"property": "heldBy", "object": "chen-lixin"}]
    check_corpus(load_corpus([str(folder)], include_drafts=True), shipped_vocabulary())


# ---------------------------------------------------------------- dated events
def _events(text: str, year: int = 2021, published: str = "2021-08") -> list[tuple[str, str, str]]:
    from builder.drafting.events import dated_events
    from builder.drafting.text import ArticleText

    return [
        (e.date, e.time.text, e.zh) for e in dated_events(ArticleText("t", text), year, published)
    ]


def test_events_of_the_main_article() -> None:
    text = (
        "时针拨回2019年8月18日,《中共中央 国务院关于支持深圳建设中国特色社会主义先行示范区的意见》"
        "(下称“《意见》”)发布。9月,罗湖未来学校(罗湖未来教育研究院)、翠园实验学校等新学校将会开学。"
        "近日,东门商业步行街改造提升工程(一期)项目建议书公示。"
    )
    assert _events(text) == [
        ("2019-08-18", "2019年8月18日", "《意见》发布"),
        ("2021-09", "9月", "新学校开学"),
        ("2021-08", "近日", "东门商业步行街改造提升工程项目建议书公示"),
    ]


def test_events_of_corpus_sentences() -> None:
    assert _events("深港国际联合研发中心二期项目今年3月开工。", 2022, "2022-07") == [
        ("2022-03", "今年3月", "深港国际联合研发中心二期项目开工")
    ]
    assert _events(
        "区政府近日印发《福田区关于进一步稳经济促增长的若干措施》。", 2022, "2022-07"
    ) == [("2022-07", "近日", "区政府印发《福田区关于进一步稳经济促增长的若干措施》")]
    # 9月 after the publication month (January), of a thing done: last year's September
    assert _events("桂城街道、大沥镇两所新建九年一贯制学校于9月如期开学。", 2023, "2023-01") == [
        ("2022-09", "9月", "桂城街道、大沥镇两所新建九年一贯制学校开学")
    ]
    # a figure is not an event; nor a press conference (发布会)
    assert _events("南海区去年完成老旧小区改造126个。1月10日,记者从新闻发布会上获悉。") == []


def test_events_of_an_own_sentence() -> None:
    assert _events("2020年5月,市图书馆新馆正式落成。去年3月,该中心揭牌成立。") == [
        ("2020-05", "2020年5月", "市图书馆新馆落成"),
        ("2020-03", "去年3月", "该中心揭牌"),
    ]


# ------------------------------------------------------------- what the graph already holds


def _new_article(tmp_path: Path, text: str) -> Path:
    """A new article folder beside a copy of the data (the data's facts are linked to)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    folder = data / "articles" / "sample"
    folder.mkdir()
    (folder / "article.txt").write_text(text, encoding="utf-8")
    meta = (ARTICLE / "article.yaml").read_text(encoding="utf-8")
    meta = meta.replace("id: luohu-pilot-zone-2nd-anniversary", "id: sample")
    meta = re.sub(r"(?m)^title_zh: .*$", "title_zh: 罗湖样例", meta)
    (folder / "article.yaml").write_text(meta, encoding="utf-8")
    return folder


def test_a_known_indicator_and_post_are_linked_not_made_again(tmp_path: Path) -> None:
    text = (
        "罗湖样例\n\n今年上半年,罗湖区地区生产总值达1300亿元,增长8.5%。\n\n"
        "罗湖区委书记罗育德表示:“我们将继续深化改革,扩大开放,推动高质量发展。”\n"
    )
    folder = _new_article(tmp_path, text)
    draft = yaml.safe_load(draft_article(folder, [str(folder.parent.parent)]).text())
    types = [f["type"] for f in draft["facts"]]
    assert "Indicator" not in types and "Post" not in types
    (figure,) = [f for f in draft["facts"] if f["type"] == "Observation"]
    assert figure["indicator"] == "gdp" and figure["subject"] == "luohu"
    (quote,) = [f for f in draft["facts"] if f["type"] == "Quote"]
    assert quote["speaker"] == "luo-yude" and quote["post"] == "post-luohu-party-secretary"
    assert quote["text"] == "我们将继续深化改革,扩大开放,推动高质量发展。"
    assert quote["proposed_by"] == "speaker-then-quote"
    linked = [link["id"] for link in draft["links"]]
    assert {"gdp", "post-luohu-party-secretary", "luo-yude"} <= set(linked)
    assert len(linked) == len(set(linked))
    (folder / "draft.yaml").write_text(draft_article(folder, [str(folder.parent.parent)]).text())
    result = CliRunner().invoke(
        main, ["validate", "--data", str(folder.parent.parent), "--include-drafts"]
    )
    assert result.exit_code == 0, result.output


def test_a_direct_quote_after_its_speaker() -> None:
    article = ArticleText("a", "深圳市商务局局长张非梦指出:“商圈要留住历史印记,也要吸引年轻人。”")
    (found,) = quotes(article, ["张非梦"])
    assert (found.speaker, found.direct, found.rule) == ("张非梦", True, "speaker-then-quote")
    assert found.text == "商圈要留住历史印记,也要吸引年轻人。"
