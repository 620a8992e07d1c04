"""Named things of the text: places, organisations, projects, initiatives, documents (《…》),
people named by their posts, and the news organisations of the byline.

A name is found by its last word, which says what it is (…区 a district, …局 a government
body, …项目 a project, …平台 a digital platform; `SUFFIXES`); its first word is found with
jieba's words and parts of speech, going left from the last one while the words can belong
to a name (nouns, names, some verbs such as 改造 or 监管, a quoted term “…”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .segment import Token, tokens
from .text import ArticleText, Span

# (last words, type, English for them): the longest that fits wins
SUFFIXES: list[tuple[str, str, str]] = [
    ("省", "Province", "Province"), ("市", "City", ""), ("区", "District", "District"),
    ("县", "District", "County"), ("镇", "Area", "Town"), ("街道", "Area", "Subdistrict"),
    ("社区", "Community", "Community"), ("村", "Community", "Village"),
    ("重点片区", "Area", "Key Area"), ("统筹片区", "Area", "Coordinated Development Area"),
    ("片区", "Area", "Area"), ("地区", "Area", "area"), ("商圈", "Area", "Business District"),
    ("园区", "Area", "Park"), ("新区", "Area", "New Area"), ("经济带", "Area", "Economic Belt"),
    ("地块", "Area", "Plot"), ("墟", "Area", "Market Town"), ("口岸", "Facility", "Port"),
    ("火车站", "Facility", "Railway Station"), ("机场", "Facility", "Airport"),
    ("步行街", "Facility", "Pedestrian Street"), ("书院", "Facility", "Academy"),
    ("公园", "Facility", "Park"), ("广场", "Facility", "Square"),
    ("区委", "PartyOrganization", "District Committee"),
    ("市委", "PartyOrganization", "Municipal Committee"),
    ("党委", "PartyOrganization", "Party Committee"), ("党组", "PartyOrganization", "Party Group"),
    ("党支部", "PartyOrganization", "Party Branch"), ("党工委", "PartyOrganization",
                                                      "Party Working Committee"),
    ("政府", "GovernmentBody", "Government"), ("委员会", "GovernmentBody", "Committee"),
    ("局", "GovernmentBody", "Bureau"), ("办公室", "GovernmentBody", "Office"),
    ("工作站", "GovernmentBody", "Workstation"), ("国务院", "GovernmentBody", "State Council"),
    ("业委会", "Organization", "Owners' Committee"), ("医院", "Organization", "Hospital"),
    ("集团", "Organization", "Group"), ("公司", "Organization", "Company"),
    ("企业", "Organization", "Enterprises"), ("研究院", "Organization", "Research Institute"),
    ("联合会", "Organization", "Federation"), ("协会", "Organization", "Association"),
    ("日报", "NewsOrganization", "Daily"), ("晚报", "NewsOrganization", "Evening News"),
    ("电视台", "NewsOrganization", "TV"), ("小学", "School", "Primary School"),
    ("中学", "School", "Middle School"), ("学校", "School", "School"),
    ("幼儿园", "School", "Kindergarten"), ("大学", "School", "University"),
    ("项目", "Project", "Project"), ("工程", "Project", "Project"),
    ("棚改", "ShantytownRedevelopmentProject", "Shantytown Redevelopment"),
    ("改造", "Project", "Renovation"), ("平台", "DigitalPlatform", "Platform"),
    ("系统", "DigitalPlatform", "System"), ("模式", "GovernanceService", "Model"),
    ("机制", "GovernanceService", "Mechanism"), ("服务", "GovernanceService", "Service"),
    ("调解室", "GovernanceService", "Mediation Rooms"),
    ("服务室", "GovernanceService", "Service Rooms"), ("中心", "GovernanceService", "Centre"),
    ("试点", "Pilot", "Pilot"), ("改革", "Reform", "Reform"), ("医改", "Reform",
                                                               "Medical Reform"),
    ("医联体", "Reform", "Medical Alliance"), ("体系", "Programme", "System"),
    ("格局", "Programme", "Layout"), ("网络", "Programme", "Network"),
    ("行动", "Programme", "Campaign"), ("融合", "Programme", "Integration"),
    ("结合", "Programme", "Combination"), ("筛查", "Programme", "Screening"),
    ("建议书", "ProjectProposal", "Project Proposal"),
    ("项目建议书", "ProjectProposal", "Project Proposal"),
]  # fmt: skip
# words that are names by themselves: abbreviations of organisations, planning instruments
STANDALONE: dict[str, tuple[str, str]] = {
    "业委会": ("Organization", "homeowners' committee"),
    "居委会": ("Organization", "residents' committee"),
    "村委会": ("Organization", "villagers' committee"),
    "残联": ("Organization", "Disabled Persons' Federation"),
    "妇联": ("Organization", "Women's Federation"), "工会": ("Organization", "trade union"),
    "团委": ("PartyOrganization", "Communist Youth League committee"),
    "侨联": ("Organization", "Federation of Returned Overseas Chinese"),
    "城市更新": ("UrbanRenewalProject", "urban renewal"),
    "土地整备": ("LandConsolidationProject", "land consolidation"),
}  # fmt: skip
SUFFIXES.sort(key=lambda item: len(item[0]), reverse=True)
_SUFFIX = re.compile("|".join(re.escape(s) for s, _, _ in SUFFIXES))
SUFFIX_INFO = {s: (t, en) for s, t, en in SUFFIXES}
PLACE_TYPES = frozenset(
    {"Country", "Province", "City", "District", "Area", "Community", "Facility"}
)
ORG_TYPES = frozenset(
    {"GovernmentBody", "PartyOrganization", "Organization", "NewsOrganization", "School"}
)
# generic last words that make a name only with enough words before them
WEAK_SUFFIXES = frozenset(
    {
        "服务",
        "中心",
        "平台",
        "模式",
        "机制",
        "系统",
        "网络",
        "体系",
        "行动",
        "改造",
        "工程",
        "项目",
        "企业",
        "区",
        "市",
        "村",
        "镇",
        "局",
        "格局",
        "改革",
        "地区",
        "广场",
        "公园",
        "学校",
        "社区",
        "融合",
        "结合",
        "筛查",
    }
)
_NAME_FLAGS = (
    "n",
    "nr",
    "ns",
    "nt",
    "nz",
    "nrt",
    "vn",
    "j",
    "b",
    "an",
    "ng",
    "l",
    "eng",
    "s",
    "a",
    "zg",
    "vg",
    "g",
)
# verbs that occur inside names (改造提升工程, 监管平台) rather than before them
NAME_VERBS = frozenset(
    {
        "改造",
        "提升",
        "统筹",
        "监管",
        "保护",
        "调解",
        "融合",
        "联动",
        "治理",
        "管理",
        "更新",
        "整备",
        "示范",
        "协调",
        "嵌入",
        "支付",
        "扩建",
        "筹集",
        "提醒",
        "改",
        "棚",
    }
)
_INNER = frozenset("“”‘’—·+")
MAX_NAME = 24
PERSON_TITLES = re.compile(r"(?P<name>[\u4e00-\u9fff])(?P<t>女士|先生)")
_BYLINE = re.compile(
    r"(?:信息来源|来源|稿件来源)[:：]\s*(?P<org>[^\s:：]{2,12})(?:\s+(?P<who>[^\s]{2,4}))?"
)
_COMPILER = re.compile(r"(?:统筹整合|编辑整理|整理|编辑|统筹)[:：]\s*(?P<org>[^\s:：]{2,12})")
_IMAGE = re.compile(
    r"(?:图源|图片来源|来源)[:：]?\s*(?P<org>[^\s:：,，。]{2,8}?(?:网|日报|报|社|台))"
)
_DOCUMENT = re.compile(r"《(?P<title>[^《》\n]{2,80})》")
_ALIAS = re.compile(r"[(（](?:下称|以下简称|简称)[:：]?“(?P<alias>[^”]{1,20})”[)）]")
_ISSUERS = re.compile(r"^(?P<who>[^关]{2,30}?)关于")


@dataclass
class Mention:
    """Where an entity is named, and with which words."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A thing of the article the draft proposes (or links to an existing fact)."""

    type: str
    zh: str
    mentions: list[Mention]
    rule: str
    confidence: float
    en_suffix: str = ""
    alt_zh: list[str] = field(default_factory=list)
    zh_constructed: bool = False
    parent: str | None = None  # the zh of a place it is written inside (罗湖区清水河重点片区)
    parent_span: Span | None = None
    id: str = ""
    en: str = ""
    review: list[str] = field(default_factory=list)
    linked: bool = False
    written: bool = False  # a fact (or a link) of it is in the draft: facts may refer to it

    def forms(self) -> list[str]:
        """Every label: zh and the alternative ones."""
        return [self.zh, *self.alt_zh]


# words never inside a name, whatever jieba calls them: adverbs of effort, time words
STOP_WORDS = frozenset(
    {
        "大力",
        "加快",
        "推进",
        "推动",
        "积极",
        "着力",
        "努力",
        "全面",
        "今年",
        "去年",
        "目前",
        "当前",
        "近日",
        "近年",
        "近年来",
        "不久",
        "以来",
        "此外",
        "同时",
        "其中",
        "建设",
        "深化",
        "进一步",
        "持续",
        "不断",
        # verbs whose object is a name: 启动X, 推出X, 成立X
        "启动",
        "推出",
        "开发",
        "成立",
        "建成",
        "设立",
        "建立",
        "打造",
        "开展",
        "搭建",
        "上线",
        "出台",
        "引进",
        "完成",
        "实施",
        "探索",
        "推行",
        "构建",
        "创建",
        "发布",
        "开通",
        "投用",
        "举办",
        "召开",
        "印发",
        "组建",
        "新建",
    }
)
_LEADING_VERBS = re.compile(r"(?:发展|建设|打造|推进|开展|实施|推行|构建|探索|创新)(?![”’])")
_PLACE_FLAGS = ("n", "nr", "ns", "nt", "nz", "nrt", "j", "b", "eng", "s", "t", "zg", "vg", "g")
# the first word of a place's proper name (清水河, 湖贝, 渔邨): a name, not a common noun
_PROPER_FLAGS = ("ns", "nz", "nr", "nrt", "j", "zg", "vg", "g", "eng", "m")


def _allowed(token: Token, place: bool, org: bool = False) -> bool:
    """Whether a word can be part of a name (of a place: no verbs, no joining dash)."""
    if token.word in STOP_WORDS:
        return False
    if re.fullmatch(r"[0-9]+(?:-[0-9]+)?", token.word):
        return True
    if token.word in {"-", "—"}:
        return not place or token.word == "-"
    if any(ch in _INNER for ch in token.word) and len(token.word) == 1:
        return True
    if token.flag == "x":
        return False
    if place:
        return token.flag.startswith(_PLACE_FLAGS) and not token.flag.startswith("vn")
    if org:
        return (
            token.flag.startswith((*_PLACE_FLAGS, "l"))
            or token.flag in {"a", "vn"}
            or token.word in NAME_VERBS
        )
    return token.word in NAME_VERBS or token.flag.startswith((*_NAME_FLAGS, "t"))


def _quoted_runs(text: str, offset: int) -> list[tuple[int, int]]:
    """The spans of “…” and ‘…’ in the text (absolute offsets)."""
    return [(offset + m.start(), offset + m.end()) for m in re.finditer(r"“[^“”]{1,14}”", text)]


def name_before(
    clause: Span,
    suffix_start: int,
    suffix_end: int,
    words: list[Token],
    place: bool = False,
    org: bool = False,
) -> Span:
    """The name ending at `suffix_end`: the suffix and the name words before it."""
    start = suffix_start
    quoted = _quoted_runs(clause.text, clause.start)
    for token in reversed([t for t in words if t.end <= suffix_start or t.start < suffix_start]):
        if token.start >= start:
            continue
        inside = next((q for q in quoted if q[0] <= token.start < q[1]), None)
        if inside is not None:
            start = inside[0]
            continue
        if token.word in {")", "）"}:  # 工程(一期)项目建议书: a bracket inside the name
            opening = max(
                clause.text.rfind("(", 0, token.start - clause.start),
                clause.text.rfind("（", 0, token.start - clause.start),
            )
            if opening >= 0 and token.start - clause.start - opening <= 6:
                start = clause.start + opening
                continue
        too_long = suffix_end - token.start > MAX_NAME
        if token.end < start or not _allowed(token, place, org) or too_long:
            break
        if token.word in {"的", "和", "与", "及", "等"}:
            break
        start = token.start
    rel = start - clause.start
    if rel >= 2 and clause.text[rel - 2 : rel] == "”的":  # “社区党委领导、…”的统筹联动机制
        opening = clause.text.rfind("“", 0, rel)
        if opening >= 0 and rel - opening <= 32:
            start = clause.start + opening
    text = clause.text[start - clause.start : suffix_end - clause.start]
    close = max(text.rfind("”"), text.rfind("’"))
    if close >= 0 and "“" not in text[:close] and "‘" not in text[:close]:
        text, start = text[close + 1 :], start + close + 1  # the end of a longer quote
    while text and text[0] in "—-·+":
        text, start = text[1:], start + 1
    lead = _LEADING_VERBS.match(text)
    if lead is not None and lead.end() < len(text) - 1:  # 发展社区嵌入式养老服务
        text, start = text[lead.end() :], start + lead.end()
    if text.startswith(("“", "‘")) and not re.search("[”’]", text):
        text, start = text[1:], start + 1
    return Span(start, suffix_end, text)


def suffix_names(clause: Span) -> list[tuple[Span, str, str, str]]:
    """(name, type, suffix, rule) for every name of the clause that ends in a known suffix."""
    words = tokens(clause.text, clause.start)
    found = []
    for m in _SUFFIX.finditer(clause.text):
        suffix = m.group()
        start, end = clause.start + m.start(), clause.start + m.end()
        following = clause.text[m.end() : m.end() + 1]
        if suffix in {"区", "市", "省", "县"} and following in {"委", "政", "长"}:
            continue  # 罗湖区委, 市政府: the suffix of a longer word
        if clause.text[m.end() : m.end() + 1] in {"(", "（"}:
            close = re.match(r"[(（][^()（）]{1,6}期[)）]", clause.text[m.end() :])
            if close is not None:
                end += close.end()
        kind, _ = SUFFIX_INFO[suffix]
        if not _ends_word(clause.start + m.end(), words):
            continue  # 党组 in 党组织, 局 in 局长: not the end of a word
        if _is_modifier(clause.start + m.end(), kind, words, suffix):
            continue  # 国际消费中心城市: the name of a kind of thing, not a thing
        place = kind in PLACE_TYPES
        name = name_before(clause, start, clause.start + m.end(), words, place, kind in ORG_TYPES)
        if kind in {"Area", "Community"}:
            stem = [t for t in words if name.start <= t.start and t.end <= start]
            if not any(t.flag.startswith(_PROPER_FLAGS) for t in stem):
                continue  # 调度社区, 这片区: no proper name before the last word
        before = len(name.text) - len(suffix)
        if before < 1 or (suffix in WEAK_SUFFIXES and before < 2):
            continue
        if end != name.end:
            name = Span(
                name.start, end, clause.text[name.start - clause.start : end - clause.start]
            )
        rel_end = name.end - clause.start
        opening = name.text.rfind("“")
        if opening > name.text.rfind("”") and clause.text.startswith("”", rel_end):
            name = Span(
                name.start + opening + 1, name.end, name.text[opening + 1 :]
            )  # 免费“两癌筛查”
        if not _whole_quotes(name.text, clause.text, name.end - clause.start):
            continue  # 一主两区 in “一主两区三带”, 站城一体、产城融合: part of a slogan
        quoted = clause.text[name.start - clause.start - 1 : name.start - clause.start] == "“"
        if kind in PLACE_TYPES and quoted and clause.text.startswith("”", rel_end):
            continue  # “智慧社区”综合服务中心: a quoted term, not a place
        if _DEMONSTRATIVE.match(name.text):
            continue  # 这间学校: a thing named before, not a name
        if kind in {"Province", "City", "District"} and not _proper_place(name, words):
            continue  # 城区, 提升城区: a common word that happens to end in 区
        if kind == "DigitalPlatform" and not re.search(_DIGITAL, name.text):
            continue  # 观景平台, 屋顶平台: a platform of stone
        if suffix == "服务" and (len(name.text) < 6 or "、" in name.text):
            continue
        found.append((name, kind, suffix, "suffix-name"))
    return [  # a project inside a longer one of the same start (…改造 in …改造提升工程)
        item for item in found
        if item[1] in PLACE_TYPES or item[1] in ORG_TYPES or not any(
            other[0].start == item[0].start and other[0].end > item[0].end
            and other[1] == item[1] for other in found)
    ]  # fmt: skip


_DIGITAL = r"数据|数字|智慧|信息|监管|政务|网|云|系统|管理|服务|在线|线上|交易"
# words after a project's last word that say what is done with it, not what it is
_PROCESS_WORDS = frozenset({"规划", "设计", "建设", "工作", "进度", "方案"})


# 中心城市, 服务体系, 地区生产总值: last words that also describe a noun after them
ATTRIBUTIVE = frozenset({"中心", "服务", "平台", "系统", "网络", "地区"})


def _is_modifier(end: int, kind: str, words: list[Token], suffix: str) -> bool:
    """Whether a name ending at `end` is followed by a noun that it only describes (中心城市);
    places and organisations may be written inside longer names (东门商业步行街改造)."""
    if suffix not in ATTRIBUTIVE or (kind in PLACE_TYPES | ORG_TYPES and suffix != "地区"):
        return False
    after = next((t for t in words if t.start == end), None)
    if after is None or after.word in _PROCESS_WORDS:
        return False
    return after.flag.startswith(("n", "vn")) and not after.flag.startswith("nr")


_DEMONSTRATIVE = re.compile(r"^(?:该|这|此|本|其|那)")


def _ends_word(end: int, words: list[Token]) -> bool:
    """Whether a word ends at `end` (党组 in 党组织 does not), or the word there was made by
    the model of unknown characters (深圳墟历史: 墟历), whose cut says little."""
    for token in words:
        if token.end == end:
            return True
        if token.start < end < token.end:
            return token.flag in {"nz", "u", "g"}
    return False


def _whole_quotes(name: str, clause: str, end: int) -> bool:
    """Whether every quote mark of a name is closed inside it, and the name does not end
    inside a quoted term that goes on after it (一主两区 in “一主两区三带”)."""
    opened = name.count("“") - name.count("”")
    if opened != 0 or ("、" in name and not re.search(r"“[^”]*、[^”]*”", name)):
        return False
    return not any(q.start() < end < q.end() - 1 for q in _QUOTED_TERM.finditer(clause))


_QUOTED_TERM = re.compile(r"“[^“”]{1,14}”")


def _proper_place(name: Span, words: list[Token]) -> bool:
    """罗湖区, 深圳市: a place name (jieba: ns), or a name's words before its 区/市/省."""
    inside = [t for t in words if name.start <= t.start and t.end <= name.end]
    if not inside:
        return False
    last = inside[-1]
    if len(inside) > 1 and len(last.word) > 1 and last.flag not in _PLACE_NAME_FLAGS:
        return False  # 共为辖区, 提升城区: 区 ends a common word (辖区, 城区)
    if len(inside) == 1:
        return last.flag in _PLACE_NAME_FLAGS and len(name.text) <= 5
    return inside[0].flag in _PLACE_NAME_FLAGS and len(name.text) <= 6


_PLACE_NAME_FLAGS = frozenset({"ns", "nz", "j", "nrt", "nr"})


def standalone_names(clause: Span) -> list[tuple[Span, str]]:
    """Names that are whole words by themselves (业委会, 残联, 城市更新)."""
    words = tokens(clause.text, clause.start)
    starts, ends = {t.start for t in words}, {t.end for t in words}
    found = []
    for m in _STANDALONE.finditer(clause.text):
        start, end = clause.start + m.start(), clause.start + m.end()
        if start in starts and end in ends:
            found.append((Span(start, end, m.group()), STANDALONE[m.group()][0]))
    return found


_STANDALONE = re.compile("|".join(sorted(STANDALONE, key=len, reverse=True)))


def documents(article: ArticleText) -> list[Entity]:
    """《…》: policy documents and plans, with the short name given in brackets after them."""
    found: dict[str, Entity] = {}
    for m in _DOCUMENT.finditer(article.text):
        title = m["title"]
        kind = "Plan" if re.search(r"(?:规划|计划|方案)$", title) else "PolicyDocument"
        entity = found.get(title)
        if entity is None:
            for other in found.values():
                if "《" + title + "》" in other.alt_zh:
                    entity = other
                    break
        mention = Mention(m.start(), m.end(), m.group())
        if entity is not None:
            entity.mentions.append(mention)
            continue
        entity = Entity(kind, title, [mention], "document-title", 0.9)
        alias = _ALIAS.match(article.text, m.end())
        if alias is not None:
            short = alias["alias"].strip("《》")
            entity.alt_zh += [alias["alias"], short] if alias["alias"] != short else [short]
        found[title] = entity
    return list(found.values())


def issuers(document: Entity) -> list[tuple[str, str]]:
    """(name, type) of who issued a document, from its title (中共中央 国务院关于…的意见)."""
    m = _ISSUERS.match(document.zh)
    if m is None:
        return []
    names = [n for n in re.split(r"[\s、]+", m["who"]) if n]
    if not names or any(len(n) > 12 for n in names):
        return []
    typed = []
    for name in names:
        kind = (
            "PartyOrganization"
            if name.startswith("中共") or name.endswith("委")
            else ("GovernmentBody")
        )
        typed.append((name, kind))
    return typed


def byline(article: ArticleText) -> list[Entity]:
    """The source, author, compiler and image source named by a WeChat article's byline."""
    found = []
    for pattern, rule in (
        (_BYLINE, "byline-source"),
        (_COMPILER, "byline-compiler"),
        (_IMAGE, "image-source"),
    ):
        for m in pattern.finditer(article.text):
            org = m["org"]
            found.append(
                Entity(
                    "NewsOrganization", org, [Mention(m.start("org"), m.end("org"), org)], rule, 0.8
                )  # fmt: skip
            )
            who = m.groupdict().get("who")
            if who:
                found.append(
                    Entity(
                        "Person",
                        who,
                        [Mention(m.start("who"), m.end("who"), who)],
                        "byline-author",
                        0.7,
                    )  # fmt: skip
                )
    return found


def titled_people(article: ArticleText) -> list[Entity]:
    """何女士, 王先生: people named by a title of address."""
    found = []
    for m in PERSON_TITLES.finditer(article.text):
        name = m.group()
        if m["name"][-1] in "位名":
            continue
        found.append(
            Entity("Person", name, [Mention(m.start(), m.end(), name)], "title-of-address", 0.8)
        )
    return found


def place_words(article: ArticleText, clause: Span) -> list[tuple[Span, str]]:
    """Place names jieba knows (ns) that no suffix marks: 罗湖, 深圳, 中国."""
    found = []
    for token in tokens(clause.text, clause.start):
        if token.flag == "ns" and len(token.word) >= 2 and not _SUFFIX.fullmatch(token.word):
            kind = "Country" if token.word in COUNTRIES else "Area"
            found.append((Span(token.start, token.end, token.word), kind))
    return found


COUNTRIES = frozenset({"中国", "中华人民共和国"})
