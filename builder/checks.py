"""The graph checks that `build` and `validate` both run: SHACL shapes and the *-violation
queries, each finding reported at the fact it concerns (`FILE:LINE: FACT-ID: message`)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem
from .model import Corpus
from .outputs import Names
from .pipeline import Built
from .query import violations

SHACL_AUTO_LIMIT = 200_000  # pySHACL needs minutes on a million triples


@dataclass(frozen=True)
class CheckReport:
    """What the checks found, and which of them ran."""

    problems: list[Problem]
    shacl_run: bool
    triples: int


class Sources:
    """Maps a node of the graph back to the fact file, line and fact it was made from."""

    def __init__(self, corpus: Corpus, base: str) -> None:
        self.corpus, self.base = corpus, base
        self.articles = {a.id: a for a in corpus.articles}

    def locate(self, iri: str) -> tuple[str, int, str] | None:
        """(file, line, fact id) of the fact behind a node, or None for shared nodes."""
        if not iri.startswith(self.base):
            return None
        kind, _, rest = iri[len(self.base) :].partition("/")
        parts = [kind, *rest.split(".")] if rest else [kind]
        facts = self.corpus.facts
        if parts[0] in facts and len(parts) == 1:
            own = facts[parts[0]]
            return own.file, own.line, own.id
        if parts[0] in {"evidence", "statement", "restatement"} and len(parts) > 1:
            fact = facts.get(parts[1])
            if fact is None:
                return None
            if parts[0] != "restatement" and len(parts) >= 4:
                for rel in fact.relations:
                    if rel.prop == parts[2] and rel.obj == parts[3]:
                        return fact.file, rel.line, fact.id
            return fact.file, fact.line, fact.id
        if parts[0] in {"article", "dataset"} and len(parts) > 1 and parts[1] in self.articles:
            article = self.articles[parts[1]]
            return article.meta_file, 1, article.id
        return None

    def relation_line(self, focus: str, path: str, value: str) -> Problem | None:
        """Where the relation `focus path value` is written, when it is a fact's relation."""
        where = self.locate(focus)
        if where is None or where[2] not in self.corpus.facts:
            return None
        name = path.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        for rel in self.corpus.facts[where[2]].relations:
            if rel.prop == name and value == f"{self.base}{rel.obj}":
                return Problem(where[0], rel.line, where[2], "")
        return None

    def problem(self, nodes: list[str], message: str) -> Problem:
        """A problem located at the first node that comes from a fact."""
        found = [where for node in nodes if (where := self.locate(node)) is not None]
        # a fact's own line beats the article's (a data set, the article node)
        found.sort(key=lambda where: where[2] not in self.corpus.facts)
        if found:
            return Problem(*found[0], message)
        return Problem("(graph)", 0, nodes[0] if nodes else "-", message)


def _short(iri: str, base: str) -> str:
    return iri[len(base) :] if iri.startswith(base) else iri


def check_graph(built: Built, shacl: str = "auto") -> CheckReport:
    """Run the violation queries (always) and SHACL (`auto`: up to SHACL_AUTO_LIMIT triples)."""
    everything = built.parts().everything()
    sources = Sources(built.corpus, built.base)
    problems = []
    for name, rows in violations(built.store()).items():
        for row in rows:
            shown = ", ".join(f"{k}={_short(v, built.base)}" for k, v in row.items())
            problems.append(sources.problem(list(row.values()), f"{name}: {shown}"))
    run_shacl = shacl == "always" or (shacl == "auto" and len(everything) <= SHACL_AUTO_LIMIT)
    if run_shacl:
        from .shacl import check_shapes  # pySHACL is slow to import: only when it runs

        names = Names(built.parts().prefixes)
        for result in check_shapes(built.graph(with_ontology=True)).results:
            path = f" ({names.curie(result.path) or result.path})" if result.path else ""
            value = f" [value {_short(result.value, built.base)}]" if result.value else ""
            message = f"SHACL{path}: {result.message}{value}"
            at = sources.relation_line(result.focus, result.path, result.value)
            if at is not None:
                problems.append(Problem(at.file, at.line, at.fact_id, message))
            else:
                problems.append(sources.problem([result.focus], message))
    return CheckReport(sorted(set(problems)), run_shacl, len(everything))
