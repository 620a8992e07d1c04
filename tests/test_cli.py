"""The command line, driven through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Graph

from builder import __version__
from builder.cli import main


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
