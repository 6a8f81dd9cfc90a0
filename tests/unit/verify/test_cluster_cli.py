"""`quietwire verify cluster IN OUT`: the contract fields, bad lines, bad track records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "verify"
CONTRACT = ("event", "members", "origins", "independent_sources", "grade", "contradictions")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quietwire.cli", "verify", "cluster", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_gold_file_gives_one_line_per_event_with_the_contract_fields(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    done = _run(
        str(DATA / "cluster_gold.jsonl"),
        str(out),
        "--track-record",
        str(DATA / "cluster_track_record.json"),
        "--own-bulletin",
        "qw-2025-0502-01",
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    for ev in events:
        assert tuple(ev)[: len(CONTRACT)] == CONTRACT
        assert ev["independent_sources"] == len(ev["origins"])
        assert ev["grade"][0] in "ABCDEF" and ev["grade"][1] in "123456"
    members = sorted(m for ev in events for m in ev["members"])
    assert len(members) == 32 == len(set(members))
    echo = next(ev for ev in events if "e3-echo2" in ev["members"])
    assert echo["echoes"] == ["e3-echo1", "e3-echo2"]
    assert {"from": "e3-echo2", "to": "who:quietwire", "kind": "echoes"}.items() <= next(
        e for e in echo["lineage"] if e["from"] == "e3-echo2"
    ).items()
    contested = next(ev for ev in events if "e4-a" in ev["members"])
    assert contested["grade"] == "F4"
    assert contested["quantities"] == [{"counts": "killed", "min": 0.0, "max": None, "reports": 3}]
    assert "32 reports ->" in done.stderr


def test_bad_lines_are_reported_by_number_and_skipped(tmp_path: Path) -> None:
    good = (DATA / "cluster_gold.jsonl").read_text("utf-8").splitlines()[:3]
    lines = [
        good[0],
        "{not json",
        json.dumps({"id": "x"}),
        good[1],
        json.dumps({"id": "y", "text": "t", "published": "yesterday"}),
        "",
        good[2],
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    done = _run(str(src), str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "line 2: skipped" in done.stderr
    assert "line 3: skipped" in done.stderr and "'text'" in done.stderr
    assert "line 5: skipped" in done.stderr and "'published'" in done.stderr
    assert "line 6" not in done.stderr  # a blank line is no report, and no error
    members = [m for x in out.read_text("utf-8").splitlines() for m in json.loads(x)["members"]]
    assert sorted(members) == ["e1-activist", "e1-paperA", "e1-paperB"]


def test_a_broken_track_record_stops_with_a_message_and_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "record.json"
    bad.write_text('{"x": {"confirmed": "many"}}', "utf-8")
    out = tmp_path / "out.jsonl"
    done = _run(str(DATA / "cluster_gold.jsonl"), str(out), "--track-record", str(bad))
    assert done.returncode == 1
    assert "error:" in done.stderr and "whole counts" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_missing_input_file_is_an_error(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl"))
    assert done.returncode == 1
    assert "no such input file" in done.stderr


def test_extract_then_cluster_with_extractions_matches_extracting_inline(tmp_path: Path) -> None:
    # Given the gold texts without their hand-filled extractions
    raw = tmp_path / "raw.jsonl"
    lines = [json.loads(x) for x in (DATA / "cluster_gold.jsonl").read_text("utf-8").splitlines()]
    raw.write_text(
        "".join(
            json.dumps({k: v for k, v in x.items() if k != "extraction"}) + "\n" for x in lines
        ),
        "utf-8",
    )
    # When `verify extract` runs first and cluster reads its output
    extracted = tmp_path / "extracted.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "quietwire.cli",
            "verify",
            "extract",
            str(raw),
            str(extracted),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    two_step = tmp_path / "two.jsonl"
    assert _run(str(raw), str(two_step), "--extractions", str(extracted), "--quiet").returncode == 0
    inline = tmp_path / "inline.jsonl"
    assert _run(str(raw), str(inline), "--quiet").returncode == 0

    # Then both give the same events
    def events(p: Path) -> list[tuple[tuple[str, ...], str]]:
        return sorted(
            (tuple(e["members"]), e["grade"])
            for e in map(json.loads, p.read_text("utf-8").splitlines())
        )

    assert events(two_step) == events(inline)
    assert len(events(inline)) >= 12
