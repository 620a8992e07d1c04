"""`luohu-kg query`: catalog listing, formats, parameters, errors, inference, data sources."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.pipeline import build_to
from builder.query import catalog
from builder.tables import display_width

from .conftest import DATA, ROOT

DISTRICTS = "SELECT ?d ?label WHERE { ?d a lk:District ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("out")
    build_to([str(DATA)], out)
    return str(out / "luohu-kg.ttl")


def test_list_shows_every_catalog_query(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == list(catalog())
    assert len([n for n in names if not n.endswith("-violation")]) >= 15


def test_sparql_text_with_default_prefixes(runner: CliRunner, graph_file: str) -> None:
    result = runner.invoke(main, ["query", "--data", graph_file, "--sparql", DISTRICTS])
    assert result.exit_code == 0, result.output
    assert "lkd:luohu" in result.output and "罗湖区" in result.output
    assert result.output.rstrip().endswith("(2 rows)")


def test_table_aligns_chinese(runner: CliRunner, graph_file: str) -> None:
    result = runner.invoke(main, ["query", "--data", graph_file, "--sparql", DISTRICTS])
    lines = result.output.splitlines()[:-1]
    bars = {display_width(line[: line.index("|")]) for line in lines if "|" in line}
    assert len(bars) == 1
    assert display_width(lines[1][: lines[1].index("+")]) in bars


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_standard_result_formats(runner: CliRunner, graph_file: str, fmt: str) -> None:
    result = runner.invoke(
        main, ["query", "--data", graph_file, "--sparql", DISTRICTS, "--format", fmt]
    )
    assert result.exit_code == 0
    if fmt == "json":
        parsed = json.loads(result.output)
        assert parsed["head"]["vars"] == ["d", "label"]
        labels = {b["label"]["value"] for b in parsed["results"]["bindings"]}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.output)))
        labels = {r["label"] for r in rows}
    else:
        lines = result.output.splitlines()
        assert lines[0].split("\t") == ["?d", "?label"]
        labels = {line.split("\t")[1] for line in lines[1:]}
    assert {"罗湖区", "Luohu District"} <= {label.strip('"').split('"@')[0] for label in labels}


def test_output_file(runner: CliRunner, graph_file: str, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    args = ["query", "--data", graph_file, "--sparql", DISTRICTS, "--format", "json", "-o"]
    result = runner.invoke(main, [*args, str(target)])
    assert result.exit_code == 0
    assert len(json.loads(target.read_text("utf-8"))["results"]["bindings"]) == 2


def test_syntax_error_gives_line_and_column(runner: CliRunner, graph_file: str) -> None:
    bad = "SELECT ?x WHERE {\n  ?x a lk:District \n  FILTER(?x = }"
    result = runner.invoke(main, ["query", "--data", graph_file, "--sparql", bad])
    assert result.exit_code == 2
    assert "error at 3:" in result.stderr


def test_unknown_name_lists_close_matches(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "label-mising-violation"])
    assert result.exit_code == 2
    assert "did you mean: label-missing-violation" in result.stderr


def test_query_file(runner: CliRunner, graph_file: str, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a lk:Person }", encoding="utf-8")
    result = runner.invoke(main, ["query", str(path), "--data", graph_file, "--format", "csv"])
    assert result.exit_code == 0
    assert int(result.output.split()[1]) >= 5


def test_params_are_bound_not_formatted(runner: CliRunner, graph_file: str) -> None:
    query = "SELECT ?label ?wanted WHERE { ?e rdfs:label ?label . FILTER(STR(?label) = ?wanted) }"
    ok = runner.invoke(
        main, ["query", "--data", graph_file, "--sparql", query, "--param", "wanted=罗育德"]
    )
    assert ok.output.splitlines()[-1] == "(1 row)"
    hostile = 'x" ) } SELECT ?label WHERE { ?e rdfs:label ?label } #'
    result = runner.invoke(
        main, ["query", "--data", graph_file, "--sparql", query, "--param", f"wanted={hostile}"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "(0 rows)"


def test_catalog_query_with_params_on_the_built_file(runner: CliRunner, graph_file: str) -> None:
    firsts = runner.invoke(main, ["query", "firsts", "--data", graph_file, "--format", "csv"])
    assert firsts.exit_code == 0, firsts.output
    rows = list(csv.DictReader(io.StringIO(firsts.output)))
    assert [(r["claim"], r["firstIn"]) for r in rows] == [
        ("全市首个", "深圳"),
        ("全省首个", "广东省"),
        ("全省率先", "广东省"),
        ("率先", ""),  # no scope given: an empty cell, not a borrowed place
    ]
    args = ["query", "within-place", "--data", graph_file, "--param", "place=罗湖区"]
    within = runner.invoke(main, [*args, "--format", "csv"])
    assert within.exit_code == 0, within.output
    items = {r["itemIri"] for r in csv.DictReader(io.StringIO(within.output))}
    assert "https://w3id.org/luohu-kg/id/luohu-land-consolidation" in items
    assert "https://w3id.org/luohu-kg/id/luohu" not in items
    bad = runner.invoke(main, ["query", "within-place", "--data", graph_file, "--param", "x=1"])
    assert bad.exit_code == 2 and "has no parameter 'x'" in bad.stderr


def test_inference_adds_superclass_members(runner: CliRunner, graph_file: str) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a lk:Place }"
    counts = {}
    for mode in ("none", "rdfs"):
        result = runner.invoke(
            main,
            ["query", "--data", graph_file, "--sparql", query, "--infer", mode, "--format", "csv"],
        )
        assert result.exit_code == 0, result.output
        counts[mode] = int(result.output.split()[1])
    assert counts["none"] == 0 < counts["rdfs"]


def test_builds_in_memory_without_out(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no out/ and no data/ here: the packaged data is used
    result = runner.invoke(main, ["query", "--sparql", DISTRICTS, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "罗湖区" in result.output


def test_data_folder_is_built_in_memory(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["query", "--data", str(mini), "--sparql", DISTRICTS])
    assert result.exit_code == 0
    assert "Luohu District" in result.output


README_EXAMPLE = re.compile(r"```\n\$ luohu-kg (query [^\n]+)\n(.*?)```", re.DOTALL)


def test_readme_examples_show_real_output(runner: CliRunner, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = README_EXAMPLE.findall(readme)
    assert len(examples) >= 4
    for command, shown in examples:
        args = [*shlex.split(command), "--data", str(DATA)]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout == shown, f"README example `luohu-kg {command}` is stale"
