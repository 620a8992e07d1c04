"""One rule for naming an entity, used by every command that takes one: the entity parameters
of `query`, `viz --focus`, `path` and `analyze --focus`.

A name is tried, in this order:

1. an IRI, written `<…>` or with a scheme (`https://…`, `urn:…`), or a prefixed name
   (`lkd:luohu`, `lk:…`), as the query tables show them;
2. a *main* label (rdfs:label or skos:prefLabel, zh or en, any case) or a fact id (the IRI
   after the base: `luohu`, `article/luohu-pilot-zone-2nd-anniversary`);
3. an *alternative* label (skos:altLabel).

The first level that names one entity wins: a main label beats an alternative one, so
罗湖区 is the district even though it is also an alternative label of the district
government. Two or more entities on the same level are an error that lists their ids; a
name that matches nothing is an error that suggests the nearest labels and ids (difflib).

Only entities can be named (the nodes `luohu-kg viz` draws): instances of an `lk:` class
other than the provenance classes (evidence, statements, restatements, the curators). The
module needs neither rdflib nor pyoxigraph: callers answer the three questions of
`EntityNames` from whatever holds the graph (an rdflib graph, a store, an endpoint).
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Protocol

from .errors import LuohuKGError
from .prefixes import ONTOLOGY_NS, PREFIXES

# provenance nodes: what states a fact or relation (and who), not things the article is about
NOT_ENTITY_CLASS_IRIS = frozenset(
    ONTOLOGY_NS + name for name in ("Evidence", "Statement", "Restatement", "Curators")
)
SUGGESTIONS = 5  # near names shown by "did you mean"
LISTED = 10  # entities listed when a name is ambiguous
CUTOFF = 0.6  # difflib ratio for a near name

_SCHEME_START = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|urn:)", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|^`\\]")
_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*):(?P<local>[^\s<>\"{}|^`\\]*)$")
_ID = re.compile(r"^[\w.~-]+(?:/[\w.~-]+)*$", re.ASCII)


class EntityLookupError(LuohuKGError, ValueError):
    """A name that matches no entity, or more than one (exit code 2)."""


def is_entity_class(cls: str) -> bool:
    """An `lk:` class whose instances are entities (every one but the provenance classes)."""
    return cls.startswith(ONTOLOGY_NS) and cls not in NOT_ENTITY_CLASS_IRIS


def is_entity(iri: str, classes: Iterable[str]) -> bool:
    """A node with these classes is an entity (terms of the ontology itself are not)."""
    return not iri.startswith(ONTOLOGY_NS) and any(is_entity_class(c) for c in classes)


class EntityNames(Protocol):
    """What the resolver needs to know about a graph's entities."""

    def is_entity(self, iri: str) -> bool:
        """Whether the IRI is one of the graph's entities."""

    def labelled(self, name: str) -> Iterable[tuple[str, bool]]:
        """Entities with a label equal to `name` ignoring case (SPARQL LCASE): (IRI, main)."""

    def every_label(self) -> Iterable[tuple[str, str, bool]]:
        """Every (IRI, label, main) of every entity (for suggestions)."""


class NameIndex:
    """`EntityNames` over labels held in memory: (IRI, label, main) for every entity."""

    def __init__(self, entities: Iterable[str], labels: Iterable[tuple[str, str, bool]]) -> None:
        self.entities = set(entities)
        self.labels = sorted({(i, lab, main) for i, lab, main in labels if i in self.entities})
        self.by_name: dict[str, list[tuple[str, bool]]] = {}
        for iri, label, main in self.labels:
            self.by_name.setdefault(fold(label), []).append((iri, main))

    def is_entity(self, iri: str) -> bool:
        return iri in self.entities

    def labelled(self, name: str) -> list[tuple[str, bool]]:
        return self.by_name.get(fold(name), [])

    def every_label(self) -> list[tuple[str, str, bool]]:
        return self.labels


def fold(text: str) -> str:
    """The case-insensitive form of a label: what SPARQL's LCASE gives."""
    return text.lower()


def entity_id(iri: str, base: str) -> str:
    """How messages name an entity: its id under the base, else `<IRI>`."""
    return iri[len(base) :] if iri.startswith(base) and len(iri) > len(base) else f"<{iri}>"


def as_iri(name: str, base: str, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """The IRI a name spells out (`<…>`, `https://…`, `lkd:luohu`), or None for a label/id."""
    if name.startswith("<") and name.endswith(">"):
        return _checked(name[1:-1].strip())
    if _SCHEME_START.match(name):
        return _checked(name)
    curie = _CURIE.match(name)
    if curie is not None:
        namespaces = {**prefixes, "lkd": base}
        if curie["prefix"] in namespaces:
            return _checked(namespaces[curie["prefix"]] + curie["local"])
    return None


def _checked(iri: str) -> str:
    bad = _NOT_IN_IRI.search(iri)
    if bad is not None:
        shown = "a space" if bad[0] == " " else repr(bad[0])
        visible = repr(iri)[1:-1]  # control characters escaped, CJK kept
        raise EntityLookupError(f"<{visible}> is not a valid IRI: it contains {shown}")
    if not _ABSOLUTE.match(iri):
        raise EntityLookupError(
            f"<{iri}> is not an absolute IRI (give the id {iri} without <>, or the full IRI)"
        )
    return iri


def resolve(
    name: str, names: EntityNames, base: str, prefixes: Mapping[str, str] = PREFIXES
) -> str:
    """The IRI of the one entity `name` names (see the module docstring for the rule)."""
    wanted = name.strip()
    if not wanted:
        raise EntityLookupError("an entity name cannot be empty")
    iri = as_iri(wanted, base, prefixes)
    if iri is not None:
        if names.is_entity(iri):
            return iri
        local = iri[len(base) :] if iri.startswith(base) else iri.rsplit("/", 1)[-1]
        raise EntityLookupError(
            f"<{iri}> is not an entity of the graph{_hint(local, names, base, ids_only=True)}"
        )
    found = list(names.labelled(wanted))
    main = [i for i, is_main in found if is_main]
    if _ID.match(wanted):
        for candidate in dict.fromkeys((wanted, wanted.lower())):
            if names.is_entity(base + candidate):
                main.append(base + candidate)
                break
    alternative = [i for i, is_main in found if not is_main]
    for level, how in ((main, ""), (alternative, " by alternative label")):
        named = sorted(set(level))
        if len(named) == 1:
            return named[0]
        if named:
            listed = ", ".join(entity_id(i, base) for i in named[:LISTED])
            more = f" and {len(named) - LISTED} more" if len(named) > LISTED else ""
            raise EntityLookupError(
                f"{wanted!r} names {len(named)} entities{how}: {listed}{more}; "
                "give one of these ids (or its IRI) instead"
            )
    hint = _hint(wanted, names, base) or (
        "; look for it with: luohu-kg query keyword-search --param "
        + shlex.quote(f"keyword={wanted}")
    )
    raise EntityLookupError(
        f"no entity is labelled {wanted!r} (zh, en or alternative label) and no id matches it"
        + hint
    )


def _hint(wanted: str, names: EntityNames, base: str, ids_only: bool = False) -> str:
    near = suggestions(wanted, names, base, ids_only)
    if not near:
        return ""
    return "; did you mean: " + ", ".join(near) + "?"


def suggestions(wanted: str, names: EntityNames, base: str, ids_only: bool = False) -> list[str]:
    """Near labels and ids, best first, as `label (id)`: a difflib ratio of at least CUTOFF, or
    one containing the other. A label is shown only where it would name its entity."""
    query = fold(wanted)
    labels = list(names.every_label())
    naming: dict[str, tuple[set[str], set[str]]] = {}
    for iri, label, main in labels:
        naming.setdefault(fold(label), (set(), set()))[0 if main else 1].add(iri)
    pool = [] if ids_only else list(labels)
    pool += [
        (i, entity_id(i, base), True) for i in sorted({i for i, *_ in labels}) if i.startswith(base)
    ]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)
    best: dict[str, tuple[float, str]] = {}
    for iri, label, main in pool:
        folded = fold(label)
        contains = len(query) >= 2 and (query in folded or (len(folded) >= 2 and folded in query))
        matcher.set_seq1(folded)
        if not contains and (matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF):
            continue
        score = matcher.ratio()
        if score < CUTOFF and not contains:
            continue
        # close and containing it first; then main labels (what the entity is called) first
        score += (1.0 if query in folded and score >= CUTOFF else 0.0) + (0.15 if main else 0.0)
        old = best.get(iri)
        if old is None or score > old[0] or (score == old[0] and label < old[1]):
            best[iri] = (score, label)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))

    def names_it(label: str, iri: str) -> bool:
        mains, alternatives = naming.get(fold(label), (set(), set()))
        return (mains or alternatives) == {iri}

    shown = []
    for iri, (_score, label) in ranked[:SUGGESTIONS]:
        ident = entity_id(iri, base)
        if label != ident and not names_it(label, iri):  # an alternative label of others too
            own = [lab for i, lab, main in labels if i == iri and main and names_it(lab, iri)]
            label = max(own, key=lambda lab: (_ratio(query, fold(lab)), lab)) if own else ident
        shown.append(f"{label} ({ident})" if label != ident else ident)
    return shown


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
