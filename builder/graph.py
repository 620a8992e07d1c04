"""Stage 3: turn the checked facts into RDF triples, with evidence for every statement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from .dates import DateValue, Period
from .errors import BaseIRIError
from .model import OBSERVATION_STATUSES, Article, Corpus, Evidence, Fact
from .quantities import decimal_text
from .terms import DCTERMS, LK, OA, PROV, QB, RDF, RDFS, SCHEMA, SKOS, TIME, XSD, Triple
from .vocab import Vocabulary

URIRef = ox.NamedNode


def check_base(base: str) -> str:
    """An absolute IRI ending in `/` or `#`; relative IRIs are refused."""
    scheme, sep, rest = base.partition(":")
    if not sep or not scheme.isascii() or not scheme[:1].isalpha() or not rest:
        raise BaseIRIError(f"base IRI {base!r} is not absolute (it needs a scheme, e.g. https:)")
    if not base.endswith(("/", "#")):
        raise BaseIRIError(f"base IRI {base!r} must end with '/' or '#'")
    if any(c in base for c in ' <>"{}|\\^`'):
        raise BaseIRIError(f"base IRI {base!r} contains characters not allowed in an IRI")
    return base


def _lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def _typed(text: str, datatype: URIRef) -> ox.Literal:
    return ox.Literal(text, datatype=datatype)


def _int(value: int, datatype: URIRef = XSD.integer) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)


def _date(value: DateValue) -> ox.Literal:
    return ox.Literal(value.text, datatype=URIRef(value.datatype))


@dataclass(frozen=True)
class Minter:
    """Mints every IRI of the data from ids, under one base."""

    base: str
    _facts: dict[str, URIRef] = field(default_factory=dict, compare=False, repr=False)

    def fact(self, fid: str) -> URIRef:
        node = self._facts.get(fid)
        if node is None:
            node = self._facts[fid] = URIRef(self.base + fid)
        return node

    def article(self, aid: str) -> URIRef:
        return URIRef(f"{self.base}article/{aid}")

    def dataset(self, aid: str) -> URIRef:
        return URIRef(f"{self.base}dataset/{aid}")

    def graph(self, aid: str) -> URIRef:
        return URIRef(f"{self.base}graph/{aid}")

    def evidence(self, key: str) -> URIRef:
        return URIRef(f"{self.base}evidence/{key}")

    def statement(self, key: str) -> URIRef:
        return URIRef(f"{self.base}statement/{key}")

    def period(self, key: str) -> URIRef:
        return URIRef(f"{self.base}period/{key}")


class _ArticleTriples:
    """Collects the triples of one article."""

    def __init__(self, corpus: Corpus, vocab: Vocabulary, mint: Minter, article: Article) -> None:
        self.corpus, self.vocab, self.mint, self.article = corpus, vocab, mint, article
        # each subject's triples are kept together, so the writers need not sort or group:
        # facts in `out`, evidence and statement nodes in `side`, periods once per article
        self.out: list[Triple] = []
        self.side: list[Triple] = []
        self.periods: dict[str, list[Triple]] = {}
        self.mentions: list[Triple] = []
        self.header_end = 0
        self.article_iri = mint.article(article.id)
        self.properties = {k: URIRef(str(v)) for k, v in vocab.object_properties.items()}

    def add(self, s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
        self.out.append(ox.Triple(s, p, o))

    def add_side(self, s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
        self.side.append(ox.Triple(s, p, o))

    def triples(self) -> tuple[list[Triple], list[Triple]]:
        """The article's own triples (header and mentions, facts, evidence), and its periods."""
        periods = [t for block in self.periods.values() for t in block]
        own = [*self.out[: self.header_end], *self.mentions, *self.out[self.header_end :],
               *self.side]  # fmt: skip
        return own, periods

    def evidence(self, key: str, ev: Evidence) -> URIRef:
        node = self.mint.evidence(key)
        quote, position = URIRef(f"{node.value}/quote"), URIRef(f"{node.value}/position")
        add = self.add_side
        add(node, RDF.type, LK.Evidence)
        add(node, OA.hasSource, self.article_iri)
        add(node, OA.hasSelector, quote)
        add(node, OA.hasSelector, position)
        # xsd:integer, not nonNegativeInteger: Oxigraph and other stores normalise the
        # derived integer types to xsd:integer, and the graph should read the same everywhere
        add(node, LK.line, _int(ev.line))
        add(quote, RDF.type, OA.TextQuoteSelector)
        add(quote, OA.exact, _lit(ev.quote))
        add(quote, OA.prefix, _lit(ev.prefix))
        add(quote, OA.suffix, _lit(ev.suffix))
        add(position, RDF.type, OA.TextPositionSelector)
        add(position, OA.start, _int(ev.start))
        add(position, OA.end, _int(ev.end))
        return node

    def period(self, period: Period) -> URIRef:
        node = self.mint.period(period.key)
        if period.key in self.periods:
            return node
        block = self.periods[period.key] = []

        def add(s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
            block.append(ox.Triple(s, p, o))

        add(node, RDF.type, TIME.ProperInterval)
        add(node, RDFS.label, _lit(period.label_zh, "zh"))
        add(node, RDFS.label, _lit(period.label_en, "en"))
        for prop, day, suffix in (
            (TIME.hasBeginning, period.start, "start"),
            (TIME.hasEnd, period.end, "end"),
        ):
            instant = URIRef(f"{node.value}/{suffix}")
            add(node, prop, instant)
            add(instant, RDF.type, TIME.Instant)
            add(instant, TIME.inXSDDate, _typed(day.isoformat(), XSD.date))
        return node

    def header(self) -> None:
        a, art, add = self.article, self.article_iri, self.add
        mint = self.mint
        add(art, RDF.type, LK.NewsArticle)
        add(art, RDFS.label, _lit(a.title_zh, "zh"))
        add(art, RDFS.label, _lit(a.title_en, "en"))
        add(art, SCHEMA.headline, _lit(a.title_zh, "zh"))
        add(art, SCHEMA.headline, _lit(a.title_en, "en"))
        add(art, SCHEMA.publisher, mint.fact(a.publisher))
        add(art, SCHEMA.author, mint.fact(a.author))
        if a.compiled_by is not None:
            add(art, LK.compiledBy, mint.fact(a.compiled_by))
        add(art, SCHEMA.datePublished, _date(a.published))
        add(art, SCHEMA.inLanguage, _lit("zh"))
        add(art, SCHEMA.text, _lit(a.text, "zh"))
        add(art, LK.referenceYear, _typed(str(a.reference_year), XSD.gYear))
        add(art, LK.dateAssumption, _lit(a.date_assumption, "en"))
        add(art, DCTERMS.rights, _lit(a.rights, "en"))
        self.header_end = len(self.out)
        dataset = mint.dataset(a.id)
        add(dataset, RDF.type, QB.DataSet)
        add(dataset, QB.structure, LK.ObservationStructure)
        add(dataset, RDFS.label, _lit(f"{a.title_zh}:数据", "zh"))
        add(dataset, RDFS.label, _lit(f"Figures reported in “{a.title_en}”", "en"))
        add(dataset, PROV.wasDerivedFrom, art)

    def fact(self, fact: Fact) -> None:
        node, add = self.mint.fact(fact.id), self.add
        cls = LK[fact.type]
        add(node, RDF.type, cls)
        own_evidence = self.evidence(fact.id, fact.evidence)
        add(node, PROV.wasDerivedFrom, own_evidence)
        add(node, LK.sourceArticle, self.article_iri)
        self.mentions.append(ox.Triple(self.article_iri, SCHEMA.mentions, node))
        if fact.note:
            add(node, RDFS.comment, _lit(fact.note, "en"))
        if fact.observation is not None:
            self.observation(node, fact)
        elif fact.quote is not None:
            self.quote(node, fact)
        else:
            self.entity(node, fact)
        if "date_text" in fact.texts:
            add(node, LK.dateText, _lit(fact.texts["date_text"], "zh"))
        for rel in fact.relations:
            prop = self.properties[rel.prop]
            target = self.mint.fact(rel.obj)
            key = f"{fact.id}/{rel.prop}/{rel.obj}"
            evidence = own_evidence if rel.evidence is None else self.evidence(key, rel.evidence)
            statement = self.mint.statement(key)
            add(node, prop, target)
            side = self.add_side
            side(statement, RDF.type, RDF.Statement)
            side(statement, RDF.subject, node)
            side(statement, RDF.predicate, prop)
            side(statement, RDF.object, target)
            side(statement, PROV.wasDerivedFrom, evidence)

    def entity(self, node: URIRef, fact: Fact) -> None:
        add = self.add
        add(node, RDFS.label, _lit(fact.zh, "zh"))
        add(node, RDFS.label, _lit(fact.en, "en"))
        if fact.type in {"Indicator", "Domain"}:
            add(node, SKOS.prefLabel, _lit(fact.zh, "zh"))
            add(node, SKOS.prefLabel, _lit(fact.en, "en"))
            scheme = LK.IndicatorScheme if fact.type == "Indicator" else LK.DomainScheme
            add(node, SKOS.inScheme, scheme)
        for alt in fact.alt_zh:
            add(node, SKOS.altLabel, _lit(alt, "zh"))
        for alt in fact.alt_en:
            add(node, SKOS.altLabel, _lit(alt, "en"))
        for key, prop in (("date", LK.date), ("start", LK.startDate), ("end", LK.endDate)):
            if key in fact.dates:
                add(node, prop, _date(fact.dates[key]))
        for key in ("phase", "status", "honour"):
            if key in fact.texts:
                add(node, LK[key], _lit(fact.texts[key], "zh"))

    def observation(self, node: URIRef, fact: Fact) -> None:
        obs = fact.observation
        assert obs is not None
        add, facts = self.add, self.corpus.facts
        subject, indicator = facts[obs.subject], facts[obs.indicator]
        add(node, QB.dataSet, self.mint.dataset(self.article.id))
        subject_zh = subject.zh or subject.id
        subject_en = subject.en or subject.id
        add(node, RDFS.label, _lit(f"{subject_zh}{obs.period.label_zh}{indicator.zh}", "zh"))
        label_en = f"{indicator.en}, {subject_en}, {obs.period.label_en}"
        add(node, RDFS.label, _lit(label_en, "en"))
        add(node, LK.indicator, self.mint.fact(obs.indicator))
        add(node, LK.observedEntity, self.mint.fact(obs.subject))
        add(node, LK.refPeriod, self.period(obs.period))
        add(node, LK.value, _typed(decimal_text(obs.value.value), XSD.decimal))
        add(node, LK.unit, URIRef(obs.value.unit))
        add(node, LK.valueText, _lit(obs.value.text))
        if obs.value.count_word:
            add(node, LK.countWord, _lit(obs.value.count_word, "zh"))
        if obs.value.qualifier:
            add(node, LK.qualifier, LK[obs.value.qualifier])
        if obs.growth is not None:
            add(node, LK.growthRate, _typed(decimal_text(obs.growth.value), XSD.decimal))
            add(node, LK.growthText, _lit(obs.growth.text))
        if obs.rank is not None and obs.rank_scope is not None:
            add(node, LK.rank, _int(obs.rank))
            add(node, LK.rankScope, self.mint.fact(obs.rank_scope))
            add(node, LK.rankText, _lit(obs.rank_text or "", "zh"))
        add(node, LK.observationStatus, LK[OBSERVATION_STATUSES[obs.status]])

    def quote(self, node: URIRef, fact: Fact) -> None:
        quote = fact.quote
        assert quote is not None
        add, speaker = self.add, self.corpus.facts[quote.speaker]
        short_zh = quote.text if len(quote.text) <= 24 else quote.text[:24] + "…"
        short_en = quote.en if len(quote.en) <= 60 else quote.en[:60].rsplit(" ", 1)[0] + "…"
        add(node, RDFS.label, _lit(f"{speaker.zh}:“{short_zh}”", "zh"))
        add(node, RDFS.label, _lit(f"{speaker.en}: “{short_en}”", "en"))
        add(node, SCHEMA.text, _lit(quote.text, "zh"))
        add(node, SCHEMA.text, _lit(quote.en, "en"))
        add(node, LK.spokenBy, self.mint.fact(quote.speaker))
        if quote.post is not None:
            add(node, LK.inCapacityOf, self.mint.fact(quote.post))
        for ref in quote.about:
            add(node, SCHEMA.about, self.mint.fact(ref))


def article_triples(
    corpus: Corpus, vocab: Vocabulary, base: str
) -> Iterator[tuple[Article, list[Triple], list[Triple]]]:
    """The triples of each article, in a stable order, each subject's together, no duplicates.

    A period used by several articles is described in each of them (articles are kept apart
    as named graphs in TriG); merging articles must drop those repeats.
    """
    mint = Minter(check_base(base))
    by_article: dict[str, list[Fact]] = {}
    for fact in corpus.facts.values():
        by_article.setdefault(fact.article_id, []).append(fact)
    for article in corpus.articles:
        collector = _ArticleTriples(corpus, vocab, mint, article)
        collector.header()
        for fact in by_article.get(article.id, []):
            collector.fact(fact)
        yield article, *collector.triples()


def graph_iri(base: str, article_id: str) -> URIRef:
    """The named graph holding one article's data in TriG."""
    return Minter(base).graph(article_id)
