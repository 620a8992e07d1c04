"""The command line, driven through click's runner."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from builder import __version__
from builder.cli import main
from builder.query import catalog
from builder.tables import display_width

BASE = "https://w3id.org/luohu-kg/id/"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_build_writes_every_format(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--data", str(mini), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "graph.html", "luohu-kg-data.ttl", "luohu-kg.context.jsonld", "luohu-kg.jsonld",
        "luohu-kg.nt", "luohu-kg.trig", "luohu-kg.ttl",
    ]  # fmt: skip
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_validate_conforms(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["validate", "--data", str(mini)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")


def test_export_formats_parse(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    sizes = {}
    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}  # fmt: skip
    for fmt, ox_format in formats.items():
        target = tmp_path / f"g.{fmt}"
        result = runner.invoke(
            main, ["export", "--data", str(mini), "--format", fmt, "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        sizes[fmt] = len(list(ox.parse(target.read_bytes(), format=ox_format)))
    assert len(set(sizes.values())) == 1
    assert json.loads((tmp_path / "g.jsonld").read_text("utf-8"))


def test_export_to_stdout_data_only(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["export", "--data", str(mini), "--no-ontology"])
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert "罗育德" in {str(o) for o in graph.objects()}


def test_stats_counts_classes(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["stats", "--data", str(mini)])
    assert result.exit_code == 0
    lines = {
        line.split()[0]: line.split()[-1] for line in result.output.splitlines() if line.strip()
    }
    assert lines["lk:Person"] == "2"
    assert lines["lk:Observation"] == "1"


def test_bad_base_iri_is_a_usage_error(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["build", "--data", str(mini), "--base", "id/", "--out", "x"])
    assert result.exit_code == 2
    assert "not absolute" in result.stderr


def test_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_coverage_of_the_small_example_is_reported(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["coverage", "--data", str(mini)])
    # "2021" in nothing but the title line? every number of the mini text is in a fact
    assert "numbers:" in result.output
    assert result.exit_code == 0, result.output


def test_build_can_write_only_some_outputs(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", "--data", str(mini), "--out", str(out), "--no-html", "--output", "ttl"]
    result = runner.invoke(main, [*args, "--output", "nt"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["luohu-kg.nt", "luohu-kg.ttl"]


# --------------------------------------------------------------------- one way to name entities

# a district government whose alternative labels are the district's name and its committee's
GOVERNMENT = """
  - id: luohu-government
    type: GovernmentBody
    zh: 罗湖区政府
    zh_constructed: true
    en: Luohu District Government
    alt_zh: [罗湖区, 罗湖区委]
    evidence: 罗湖区地区生产总值
"""
WHICH = """# title: which entity
# param: ?e entity -- the entity
SELECT DISTINCT ?e WHERE { ?e ?p ?o }
"""
NAMES = {
    "罗湖区": "luohu",  # the district's label beats the government's alternative label
    "Luohu District": "luohu",
    "luohu": "luohu",  # the fact id
    "lkd:luohu": "luohu",
    "https://w3id.org/luohu-kg/id/luohu": "luohu",
    "<https://w3id.org/luohu-kg/id/luohu>": "luohu",
    "全市": "shenzhen",  # an alternative label
    "罗湖区政府": "luohu-government",
    "罗湖区委": "names 2 entities by alternative label: luohu-government, luohu-party-committee",
    "罗湖去": "did you mean: 罗湖区 (luohu)",  # a typo
    "https://w3id.org/luohu-kg/id/luohuu": "is not an entity of the graph; did you mean: luohu",
    "lk:District": "is not an entity of the graph",
    "http://a b": "is not a valid IRI: it contains a space",
    "nobody": "no entity is labelled 'nobody'",
}


def _outcomes(runner: CliRunner, data: Path, name: str, tmp: Path) -> dict[str, str]:
    """What query, viz, path and analyze make of one name: an id, or their error message."""
    (tmp / "which.rq").write_text(WHICH, encoding="utf-8")
    found = {}
    args = ["--data", str(data)]
    query = runner.invoke(
        main, ["query", str(tmp / "which.rq"), *args, "--param", f"e={name}", "--format", "csv"]
    )
    if query.exit_code == 0:
        found["query"] = query.stdout.splitlines()[1].removeprefix(BASE)
    else:
        assert query.exit_code == 2, query.output
        found["query"] = query.stderr.removeprefix("error: parameter 'e': ")
    viz = runner.invoke(main, ["viz", *args, "--focus", name, "-o", str(tmp / "v.html")])
    assert viz.exit_code in (0, 2), viz.output
    if viz.exit_code == 0:
        page = (tmp / "v.html").read_text(encoding="utf-8")
        found["viz"] = re.findall(r'"focus": ?"([^"]*)"', page)[0].removeprefix(BASE)
    else:
        found["viz"] = viz.stderr.removeprefix("error: ")
    path = runner.invoke(main, ["path", *args, name, BASE + found["query"]])
    if path.exit_code == 0:  # no links: the same entity as the query's
        found["path"] = found["query"] if path.stdout.endswith("(0 links)\n") else path.stdout
    else:
        found["path"] = path.stderr.removeprefix("error: ")
    analyze = runner.invoke(main, ["analyze", *args, "--top", "0", "--focus", name])
    if analyze.exit_code == 0:
        found["analyze"] = re.findall(r"^\S+ \(([^,]+), \w+\):$", analyze.stdout, re.M)[0]
    else:
        found["analyze"] = analyze.stderr.removeprefix("error: ")
    return found


def test_every_command_names_entities_the_same_way(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    facts = mini / "articles" / "mini" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + GOVERNMENT, encoding="utf-8")
    for name, expected in NAMES.items():
        found = _outcomes(runner, mini, name, tmp_path)
        assert len(set(found.values())) == 1, (name, found)  # the same id or the same error
        answer = found["query"]
        if " " in expected:  # an error: one line, exit code 2 (checked in _outcomes)
            assert expected in answer and answer.count("\n") == 1, (name, found)
        else:
            assert answer == expected, (name, found)


# --------------------------------------------------------------------- query: where it reads


def test_query_warns_when_the_last_build_is_older_than_the_data(
    runner: CliRunner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(mini, tmp_path / "data")
    built = runner.invoke(main, ["build", "--no-html", "--output", "ttl"])
    assert built.exit_code == 0, built.output
    graph = tmp_path / "out" / "luohu-kg.ttl"
    ask = ["query", "--sparql", "ASK { lkd:luohu a lk:District }"]
    fresh = runner.invoke(main, ask)
    assert (fresh.exit_code, fresh.stdout, fresh.stderr) == (0, "true\n", "")
    facts = tmp_path / "data" / "articles" / "mini" / "facts.yaml"
    later = graph.stat().st_mtime + 60
    os.utime(facts, (later, later))
    stale = runner.invoke(main, ask)
    assert stale.exit_code == 0 and stale.stdout == "true\n"
    assert stale.stderr.startswith("warning: out/luohu-kg.ttl (built ")
    assert f"older than {Path('data', 'articles', 'mini', 'facts.yaml')}" in stale.stderr
    assert "run `luohu-kg build`" in stale.stderr and "--data data" in stale.stderr
    in_memory = runner.invoke(main, [*ask, "--data", "data"])  # built from the facts: no warning
    assert (in_memory.exit_code, in_memory.stderr) == (0, "")
    assert "warning" in runner.invoke(main, ["query", "--help"]).stdout  # documented


# --------------------------------------------------------------------- query: tables for people

LONG = "SELECT ?d ?label ?comment WHERE { ?d a lk:District ; rdfs:label ?label } ORDER BY ?label"


def test_query_list_shows_parameters(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("within-place "))
    assert line.endswith("?place entity=深圳市")
    listed = json.loads(runner.invoke(main, ["query", "--list", "--format", "json"]).stdout)
    assert [q["name"] for q in listed] == list(catalog())
    within = next(q for q in listed if q["name"] == "within-place")
    assert within["params"][0]["default"] == "深圳市" and within["params"][0]["kind"] == "entity"
    result = runner.invoke(main, ["query", "--list", "--width", "60"])
    assert all(display_width(x) <= 60 for x in result.stdout.splitlines())
    assert runner.invoke(main, ["query", "--list", "--format", "csv"]).exit_code == 2


def test_query_fits_the_terminal(
    runner: CliRunner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.cli

    officials = ["query", "officials", "--data", str(mini)]
    whole = runner.invoke(main, officials)  # not a terminal: whole cells
    assert whole.exit_code == 0, whole.output
    assert max(display_width(x) for x in whole.stdout.splitlines()) > 60
    assert whole.stdout.splitlines()[0].startswith("official ")  # ?person: empty, hidden
    monkeypatch.setattr(builder.cli, "terminal_columns", lambda: 60)
    fitted = runner.invoke(main, officials)
    assert all(display_width(x) <= 60 for x in fitted.stdout.splitlines()[:-1])
    assert "--wide" in fitted.stdout.splitlines()[-1]
    assert runner.invoke(main, [*officials, "--wide"]).stdout == whole.stdout
    target = tmp_path / "t.txt"
    assert runner.invoke(main, [*officials, "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == whole.stdout  # a file is not a terminal
    labels = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s"
    quotes = ["query", "--sparql", labels, "--data", str(mini), "--width", "40"]
    narrow = runner.invoke(main, quotes)
    assert narrow.exit_code == 0, narrow.output
    assert all(display_width(x) <= 40 for x in narrow.stdout.splitlines()[:-1]), narrow.stdout
    records = runner.invoke(main, [*officials, "--format", "records"])
    assert records.stdout.startswith("-[ 1 ]") and "\nofficial        罗育德\n" in records.stdout
    assert all(display_width(x) <= 60 for x in records.stdout.splitlines())
    bad = runner.invoke(main, [*officials, "--width", "40", "--wide"])
    assert bad.exit_code == 2 and "not both" in bad.stderr


def test_query_csv_with_bom(runner: CliRunner, mini: Path) -> None:
    args = ["query", "--data", str(mini), "--sparql", LONG, "--format", "csv", "--bom"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfd,label,comment\r\n")
    assert "罗湖区" in result.stdout_bytes.decode("utf-8-sig")
    table = runner.invoke(main, ["query", "--data", str(mini), "--sparql", LONG, "--bom"])
    assert table.exit_code == 2 and "--bom is for --format csv or tsv" in table.stderr


# --------------------------------------------------------------------- query: messages


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sparql", "SELECT * WHERE { ?s foo:bar ?o }"], "unknown prefix 'foo:'"),
        (["--sparql", "INSERT DATA { <a:b> <a:c> <a:d> }"], "SPARQL update (INSERT …)"),
        (["counts-by-class", "--param", "x=1"], "counts-by-class declares no parameters"),
        (["--sparql", "SELECT ?d WHERE { ?d a lk:District }", "--param", "x=1"], "?d)"),
        (["within-place", "--param", "x=1"], "it takes: place (entity, default 深圳市)"),
        (["within-place", "--param", "place=http://a b"], "not a valid IRI"),
        (["--sparql", "SELECT ?d WHERE { ?d ?p ?o }", "--param", "a-b=1"], "not a parameter name"),
        (["within-place", "--param", "place=罗湖去"], "did you mean: 罗湖区 (luohu)"),
    ],
)
def test_query_errors_are_one_line(
    runner: CliRunner, mini: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(main, ["query", "--data", str(mini), *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "command",
    [
        "query",
        "viz",
        "path",
        "analyze",
        "build",
        "validate",
        "coverage",
        "stats",
        "export",
    ],
)
def test_missing_data_folder(runner: CliRunner, command: str) -> None:
    extra = {"query": ["--sparql", "ASK {}"], "path": ["a", "b"]}.get(command, [])
    result = runner.invoke(main, [command, "--data", "/nope/data", *extra])
    assert result.exit_code == 2
    assert result.stderr == "error: no such folder: /nope/data\n"
    if command == "query":
        missing_file = runner.invoke(main, ["query", "--data", "/nope/g.ttl", *extra])
        assert missing_file.stderr == "error: no such file: /nope/g.ttl\n"
