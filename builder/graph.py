"""Stage 3: turn the checked facts into RDF triples, with evidence for every statement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from .dates import DateValue, Instant, Period
from .errors import BaseIRIError, escaped
from .model import (
    ASPECTS,
    BATCHES,
    COMPARISONS,
    DIRECTIONS,
    MEASURES,
    OBSERVATION_STATUSES,
    Article,
    Corpus,
    Evidence,
    Fact,
    ObservationData,
    Proposal,
    Relation,
)
from .quantities import Quantity, decimal_text
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
    try:  # the full IRI syntax (RFC 3987): one `#`, `%` and two hex digits, a closed [host]
        URIRef(base + "x")
    except ValueError as err:
        raise BaseIRIError(f"base IRI {base!r} is not an IRI: {escaped(str(err))}") from err
    return base


def _lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def _typed(text: str, datatype: URIRef) -> ox.Literal:
    return ox.Literal(text, datatype=datatype)


def _int(value: int, datatype: URIRef = XSD.integer) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)


def _date(value: DateValue) -> ox.Literal:
    return ox.Literal(value.text, datatype=URIRef(value.datatype))


# Parts of a minted IRI are joined with "." (never in an id), so that each IRI is one CURIE
# under the prefixes of data_prefixes(): statement:luohu.locatedIn.shenzhen, no escaped "/"
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

    def attributes(self, aid: str) -> URIRef:
        """The data set of figures with no time (durations, capacities, totals of a project)."""
        return URIRef(f"{self.base}dataset/{aid}.attributes")

    def curators(self) -> URIRef:
        return URIRef(f"{self.base}curators")

    def restatement(self, fid: str, n: int) -> URIRef:
        return URIRef(f"{self.base}restatement/{fid}.{n}")

    def graph(self, aid: str) -> URIRef:
        return URIRef(f"{self.base}graph/{aid}")

    def draft_graph(self, aid: str) -> URIRef:
        """The named graph of the facts an article's draft files propose (graph:ID.draft)."""
        return URIRef(f"{self.base}graph/{aid}{DRAFT_GRAPH}")

    def evidence(self, key: str) -> URIRef:
        return URIRef(f"{self.base}evidence/{key}")

    def statement(self, key: str) -> URIRef:
        return URIRef(f"{self.base}statement/{key}")

    def period(self, key: str) -> URIRef:
        return URIRef(f"{self.base}period/{key}")


# an article's proposed facts (from its draft files) go into a named graph of their own: the
# article's graph IRI and this (an article id has no "."), e.g. graph:luohu-article.draft
DRAFT_GRAPH = ".draft"


class _ArticleTriples:
    """Collects the triples of one article: its curated facts, or (`proposed`) the facts and
    relations its draft files propose."""

    def __init__(
        self,
        corpus: Corpus,
        vocab: Vocabulary,
        mint: Minter,
        article: Article,
        proposed: bool = False,
    ) -> None:
        self.corpus, self.vocab, self.mint, self.article = corpus, vocab, mint, article
        self.proposed = proposed
        # each subject's triples are kept together, so the writers need not sort or group:
        # facts in `out`, evidence and statement nodes in `side`, periods once per article
        self.out: list[Triple] = []
        self.side: list[Triple] = []
        self.periods: dict[str, list[Triple]] = {}
        self.mentions: list[Triple] = []
        self.header_end = 0
        self.article_iri = mint.article(article.id)
        self.properties = {k: URIRef(str(v)) for k, v in vocab.object_properties.items()}
        self.evidence_seen: set[URIRef] = set()
        self.top_concepts: list[Triple] = []  # written after the facts, grouped by scheme
        # skos:narrower is written on the broader concept, inverse of each stated skos:broader
        self.narrower: dict[str, list[str]] = {}
        for fact in corpus.facts.values():
            for rel in fact.relations:
                if (
                    rel.prop == "broader"
                    and fact.article_id == article.id
                    and (rel.proposal is not None) == proposed
                ):
                    self.narrower.setdefault(rel.obj, []).append(fact.id)

    def add(self, s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
        self.out.append(ox.Triple(s, p, o))

    def add_side(self, s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
        self.side.append(ox.Triple(s, p, o))

    def triples(self) -> tuple[list[Triple], list[Triple]]:
        """The article's own triples (header and mentions, facts, evidence), and its periods."""
        periods = [t for block in self.periods.values() for t in block]
        schemes = sorted(self.top_concepts, key=lambda t: str(t.subject))  # stable: by scheme
        own = [*self.out[: self.header_end], *self.mentions, *self.out[self.header_end :],
               *self.side, *schemes]  # fmt: skip
        return own, periods

    def evidence(self, key: str, ev: Evidence) -> URIRef:
        node = self.mint.evidence(key)
        if node in self.evidence_seen:
            return node
        self.evidence_seen.add(node)
        quote, position = URIRef(f"{node.value}.quote"), URIRef(f"{node.value}.position")
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

    def _shared(self, key: str) -> list[Triple] | None:
        """A new block of triples shared by articles (periods, the curators), or None if made."""
        if key in self.periods:
            return None
        block: list[Triple] = []
        self.periods[key] = block
        return block

    def period(self, period: Period) -> URIRef:
        node = self.mint.period(period.key)
        block = self._shared(period.key)
        if block is None:
            return node

        def add(s: URIRef, p: URIRef, o: URIRef | ox.Literal) -> None:
            block.append(ox.Triple(s, p, o))

        add(node, RDF.type, TIME.ProperInterval)
        add(node, RDFS.label, _lit(period.label_zh, "zh"))
        add(node, RDFS.label, _lit(period.label_en, "en"))
        start = URIRef(f"{node.value}.start")
        add(node, TIME.hasBeginning, start)
        if period.end_range is None:
            end = URIRef(f"{node.value}.end")
            add(node, TIME.hasEnd, end)
        else:  # an uncertain end (未来5-10年): bounds instead of an end instant
            earliest, latest = period.end_range
            add(node, LK.earliestEnd, _typed(earliest.isoformat(), XSD.date))
            add(node, LK.latestEnd, _typed(latest.isoformat(), XSD.date))
        if period.approximate:
            add(node, LK.approximate, _typed("true", XSD.boolean))
        add(start, RDF.type, TIME.Instant)
        if period.start_value is not None:
            add(start, _instant_property(period.start_value), _date(period.start_value))
        else:
            add(start, TIME.inXSDDate, _typed(period.start.isoformat(), XSD.date))
        if period.end_range is None:
            add(end, RDF.type, TIME.Instant)
            add(end, TIME.inXSDDate, _typed(period.end.isoformat(), XSD.date))
        return node

    def instant(self, instant: Instant) -> URIRef:
        node = self.mint.period(instant.key)
        block = self._shared(instant.key)
        if block is None:
            return node
        block.append(ox.Triple(node, RDF.type, TIME.Instant))
        block.append(ox.Triple(node, RDFS.label, _lit(instant.label_zh, "zh")))
        block.append(ox.Triple(node, RDFS.label, _lit(instant.label_en, "en")))
        block.append(ox.Triple(node, _instant_property(instant.value), _date(instant.value)))
        if instant.approximate:
            block.append(ox.Triple(node, LK.approximate, _typed("true", XSD.boolean)))
        return node

    def curators(self) -> URIRef:
        node = self.mint.curators()
        block = self._shared("curators")
        if block is not None:
            block.append(ox.Triple(node, RDF.type, LK.Curators))
            block.append(ox.Triple(node, RDFS.label, _lit("luohu-kg 数据整理者", "zh")))
            block.append(ox.Triple(node, RDFS.label, _lit("luohu-kg curators", "en")))
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
        attributes = mint.attributes(a.id)
        add(attributes, RDF.type, QB.DataSet)
        add(attributes, QB.structure, LK.AttributeStructure)
        add(attributes, RDFS.label, _lit(f"{a.title_zh}:无时间的数据(工期、容量、总量)", "zh"))
        label = f"Figures with no time (durations, capacities, totals) reported in “{a.title_en}”"
        add(attributes, RDFS.label, _lit(label, "en"))
        add(attributes, PROV.wasDerivedFrom, art)

    def fact(self, fact: Fact, drafts: _ArticleTriples | None = None) -> None:
        """A fact's triples; those of its proposed relations go to `drafts` (a curated fact
        has one when a proposed claim states it, e.g. firstIn)."""
        node, add = self.mint.fact(fact.id), self.add
        cls = LK[fact.type]
        add(node, RDF.type, cls)
        own_evidence = self.evidence(fact.id, fact.evidence)
        add(node, LK.hasEvidence, own_evidence)
        add(node, LK.sourceArticle, self.article_iri)
        self.mentions.append(ox.Triple(self.article_iri, SCHEMA.mentions, node))
        if fact.note:
            add(node, RDFS.comment, _lit(fact.note, "en"))
        if fact.observation is not None:
            self.observation(node, fact)
        elif fact.quote is not None:
            self.quote(node, fact)
        elif fact.claim is not None:
            self.claim(node, fact)
        else:
            self.entity(node, fact)
        if "date_text" in fact.texts:
            add(node, LK.dateText, _lit(fact.texts["date_text"], "zh"))
        for child in sorted(self.narrower.pop(fact.id, [])):
            add(node, SKOS.narrower, self.mint.fact(child))
        if fact.proposal is not None:
            self.proposal(node, fact.proposal)
        for rel in fact.relations:
            if rel.proposal is not None and not self.proposed and drafts is not None:
                drafts.relation(fact, rel, None)
            else:
                self.relation(fact, rel, own_evidence)

    def relation(self, fact: Fact, rel: Relation, own_evidence: URIRef | None) -> None:
        """One relation of a fact: its direct triple and its statement."""
        key = f"{fact.id}.{rel.prop}.{rel.obj}"
        if rel.background is not None:
            self.statement(
                fact.id, rel.prop, rel.obj, None, background=rel.background, proposal=rel.proposal
            )
            return
        if rel.evidence is not None:
            evidence = self.evidence(key, rel.evidence)
        else:
            evidence = own_evidence or self.evidence(fact.id, fact.evidence)
        self.statement(fact.id, rel.prop, rel.obj, evidence, rel.mention, proposal=rel.proposal)

    def proposal(self, node: URIRef, proposal: Proposal, side: bool = False) -> None:
        """A proposed fact or statement: awaiting review, by which rule, how sure."""
        add = self.add_side if side else self.add
        add(node, LK.reviewStatus, LK.Proposed)
        if proposal.proposed_by is not None:
            add(node, LK.proposedBy, _lit(proposal.proposed_by))
        if proposal.confidence is not None:
            add(node, LK.confidence, _typed(decimal_text(proposal.confidence), XSD.decimal))
        for field_name in proposal.review:
            add(node, LK.toReview, _lit(field_name))

    def finish(self) -> None:
        """skos:narrower on broader concepts this collector did not describe (a proposed
        concept under a curated one of the same article)."""
        for parent in sorted(self.narrower):
            target = self.corpus.facts.get(parent)
            if target is None or target.article_id != self.article.id:
                continue  # as for curated facts: narrower only within an article
            for child in sorted(self.narrower[parent]):
                self.add(self.mint.fact(parent), SKOS.narrower, self.mint.fact(child))
        self.narrower.clear()

    def statement(
        self,
        subject_id: str,
        prop_name: str,
        object_id: str,
        evidence: URIRef | None,
        mention: str | None = None,
        background: str | None = None,
        proposal: Proposal | None = None,
    ) -> None:
        """The direct triple, and its statement node: the quote that states it, or, for what
        the article does not state, the curators' background knowledge and why it is there;
        a proposed relation's statement says it awaits review."""
        node, prop = self.mint.fact(subject_id), self.properties[prop_name]
        target = self.mint.fact(object_id)
        self.add(node, prop, target)
        statement = self.mint.statement(f"{subject_id}.{prop_name}.{object_id}")
        side = self.add_side
        side(statement, RDF.type, LK.Statement)
        side(statement, LK.statementSubject, node)
        side(statement, LK.statementPredicate, prop)
        side(statement, LK.statementObject, target)
        if evidence is not None:
            side(statement, LK.basis, LK.TextEvidence)
            side(statement, LK.hasEvidence, evidence)
            if mention is not None:
                side(statement, LK.mention, _lit(mention, "zh"))
        else:
            side(statement, LK.basis, LK.BackgroundKnowledge)
            side(statement, PROV.wasAttributedTo, self.curators())
            side(statement, LK.basisNote, _lit(background or "", "en"))
        if proposal is not None:
            self.proposal(statement, proposal, side=True)

    def entity(self, node: URIRef, fact: Fact) -> None:
        add = self.add
        add(node, RDFS.label, _lit(fact.zh, "zh"))
        add(node, RDFS.label, _lit(fact.en, "en"))
        if fact.type in CONCEPT_SCHEMES:
            # asserted, not only inferred from lk:Indicator ⊑ skos:Concept: SKOS tools and the
            # Data Cube checks (IC-19) read the graph without inference
            scheme = LK[CONCEPT_SCHEMES[fact.type]]
            add(node, RDF.type, SKOS.Concept)
            add(node, SKOS.prefLabel, _lit(fact.zh, "zh"))
            add(node, SKOS.prefLabel, _lit(fact.en, "en"))
            add(node, SKOS.inScheme, scheme)
            if not any(rel.prop == "broader" for rel in fact.relations):
                add(node, SKOS.topConceptOf, scheme)
                self.top_concepts.append(ox.Triple(scheme, SKOS.hasTopConcept, node))
        if fact.zh_constructed:
            add(node, LK.constructedLabel, _typed("true", XSD.boolean))
        if fact.measure is not None:
            add(node, LK.measureType, LK[MEASURES[fact.measure]])
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
        timed = obs.period or obs.as_of
        dataset = self.mint.dataset if timed is not None else self.mint.attributes
        add(node, QB.dataSet, dataset(self.article.id))
        subject_zh = subject.zh or subject.id
        subject_en = subject.en or subject.id
        time_zh = timed.label_zh if timed is not None else ""
        add(node, RDFS.label, _lit(f"{subject_zh}{time_zh}{indicator.zh}", "zh"))
        time_en = f", {timed.label_en}" if timed is not None else ""
        add(node, RDFS.label, _lit(f"{indicator.en}, {subject_en}{time_en}", "en"))
        add(node, LK.indicator, self.mint.fact(obs.indicator))
        add(node, LK.observedEntity, self.mint.fact(obs.subject))
        if obs.period is not None:
            add(node, LK.refPeriod, self.period(obs.period))
        elif obs.as_of is not None:
            add(node, LK.refPeriod, self.instant(obs.as_of))
        self.amount(node, obs.value)
        if obs.batch is not None:
            add(node, LK.batch, LK[BATCHES[obs.batch]])
            add(node, LK.batchText, _lit(obs.batch, "zh"))
        for n, again in enumerate(obs.restated, start=1):
            restated = self.mint.restatement(fact.id, n)
            add(node, LK.restatedAs, restated)
            evidence = self.evidence(f"{fact.id}.restated.{n}", again.evidence)
            self.add_side(restated, RDF.type, LK.Restatement)
            self.add_side(restated, LK.hasEvidence, evidence)
            self.amount(restated, again.value, side=True)
        self._growth_rank(node, obs)

    def amount(self, node: URIRef, value: Quantity, side: bool = False) -> None:
        """Value, unit, count word, qualifier and the text of a quantity."""
        add = self.add_side if side else self.add
        add(node, LK.value, _typed(decimal_text(value.value), XSD.decimal))
        add(node, LK.unit, URIRef(value.unit))
        add(node, LK.valueText, _lit(value.text))
        if value.count_word:
            add(node, LK.countWord, _lit(value.count_word, "zh"))
        if value.qualifier:
            add(node, LK.qualifier, LK[value.qualifier])

    def _growth_rank(self, node: URIRef, obs: ObservationData) -> None:
        add = self.add
        if obs.growth is not None:
            add(node, LK.growthRate, _typed(decimal_text(obs.growth.value), XSD.decimal))
            add(node, LK.growthText, _lit(obs.growth.text))
        if obs.rank is not None and obs.rank_scope is not None:
            add(node, LK.rank, _int(obs.rank))
            add(node, LK.rankScope, self.mint.fact(obs.rank_scope))
            add(node, LK.rankText, _lit(obs.rank_text or "", "zh"))
        add(node, LK.observationStatus, LK[OBSERVATION_STATUSES[obs.status]])

    def claim(self, node: URIRef, fact: Fact) -> None:
        """A claim of the article, as its own node: what it is about, in the article's words."""
        claim = fact.claim
        assert claim is not None
        add, facts, mint = self.add, self.corpus.facts, self.mint
        add(node, LK.claimText, _lit(claim.text, "zh"))
        topic = facts[claim.about or claim.subject or ""]
        topic_zh, topic_en = _topic_labels(facts, topic)
        if fact.type == "FirstClaim":
            add(node, LK.claimAbout, mint.fact(str(claim.about)))
            where = ""
            if claim.scope is not None:
                add(node, LK.claimScope, mint.fact(claim.scope))
                where = f" in {facts[claim.scope].en}"
            add(node, RDFS.label, _lit(f"{topic_zh}:{claim.text}", "zh"))
            add(node, RDFS.label, _lit(f"{topic_en}: first of its kind{where}", "en"))
        elif fact.type == "ComparisonClaim":
            reference = facts[str(claim.reference)]
            add(node, LK.claimAbout, mint.fact(str(claim.about)))
            add(node, LK.comparedAspect, LK[ASPECTS[str(claim.aspect)]])
            add(node, LK.comparison, LK[COMPARISONS[str(claim.comparison)]])
            add(node, LK.comparedWith, mint.fact(str(claim.reference)))
            how = {"exceeds": "above that of", "leads": "highest among the districts of"}
            what = "growth" if claim.aspect == "growth" else "value"
            label_en = f"{topic_en}: {what} {how[str(claim.comparison)]} {reference.en}"
            add(node, RDFS.label, _lit(f"{topic_zh}:{claim.text}", "zh"))
            add(node, RDFS.label, _lit(label_en, "en"))
        else:
            indicator = facts[str(claim.indicator)]
            add(node, LK.claimAbout, mint.fact(str(claim.subject)))
            add(node, LK.claimIndicator, mint.fact(str(claim.indicator)))
            add(node, LK.direction, LK[DIRECTIONS[str(claim.direction)]])
            if claim.about is not None:
                add(node, LK.outcomeOf, mint.fact(claim.about))
            add(node, RDFS.label, _lit(f"{topic_zh}:{claim.text}", "zh"))
            label_en = f"{topic_en}: {indicator.en} {claim.direction}d"
            add(node, RDFS.label, _lit(label_en, "en"))

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


CONCEPT_SCHEMES = {
    "Indicator": "IndicatorScheme",
    "Domain": "DomainScheme",
    "DataCategory": "DataCategoryScheme",
}


def _instant_property(value: DateValue) -> URIRef:
    """OWL-Time's datatype property for an instant at the precision of the date."""
    if value.datatype.endswith("gYear"):
        return TIME.inXSDgYear
    if value.datatype.endswith("gYearMonth"):
        return TIME.inXSDgYearMonth
    return TIME.inXSDDate


def _topic_labels(facts: dict[str, Fact], fact: Fact) -> tuple[str, str]:
    """(zh, en) labels of what a claim is about: an entity, or an observation's subject and
    indicator."""
    obs = fact.observation
    if obs is None:
        return fact.zh or fact.id, fact.en or fact.id
    subject, indicator = facts[obs.subject], facts[obs.indicator]
    return f"{subject.zh}{indicator.zh}", f"{indicator.en} of {subject.en}"


def article_triples(
    corpus: Corpus, vocab: Vocabulary, base: str
) -> Iterator[tuple[Article, list[Triple], list[Triple], list[Triple]]]:
    """The triples of each article, in a stable order, each subject's together, no duplicates:
    its own, the shared ones (periods), and those of what its draft files propose (empty
    without drafts), which go into a named graph of their own.

    A period used by several articles is described in each of them (articles are kept apart
    as named graphs in TriG); merging articles must drop those repeats. The proposed triples
    hold the periods they use too, and may add to subjects of the article's graph (the
    article mentions a proposed fact; a curated concept has a proposed narrower one).
    """
    mint = Minter(check_base(base))
    by_article: dict[str, list[Fact]] = {}
    for fact in corpus.facts.values():
        by_article.setdefault(fact.article_id, []).append(fact)
    for article in corpus.articles:
        collector = _ArticleTriples(corpus, vocab, mint, article)
        collector.header()
        drafts = _ArticleTriples(corpus, vocab, mint, article, proposed=True)
        facts = by_article.get(article.id, [])
        for fact in facts:
            if fact.proposal is None:
                collector.fact(fact, drafts)
        for fact in facts:
            if fact.proposal is not None:
                drafts.fact(fact)
        drafts.finish()
        own, shared = collector.triples()
        proposed_own, proposed_shared = drafts.triples()
        yield article, own, shared, [*proposed_own, *proposed_shared]


NODE_KINDS = ("article", "dataset", "evidence", "statement", "restatement", "period", "graph")


def data_prefixes(base: str) -> dict[str, str]:
    """Prefixes for the data under `base`: `lkd:` and one per kind of minted node."""
    return {"lkd": base, **{kind: f"{base}{kind}/" for kind in NODE_KINDS}}


def graph_iri(base: str, article_id: str) -> URIRef:
    """The named graph holding one article's data in TriG."""
    return Minter(base).graph(article_id)


def draft_graph_iri(base: str, article_id: str) -> URIRef:
    """The named graph holding what one article's draft files propose, in TriG."""
    return Minter(base).draft_graph(article_id)
