"""`geoevents code` and `geoevents evaluate` as a user runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

GOOD_EN = {"id": "d1", "text": "Indonesian police arrested two Malaysian nationals in Jakarta on Tuesday.",
           "published_at": "2025-03-06", "lang": "en"}
GOOD_ID = {"id": "d2", "text": "Polisi Malaysia menangkap dua warga Indonesia di Kuala Lumpur, Selasa (4/3).",
           "published_at": "2025-03-06", "extra": {"ignored": True}}


def _run(command: list[str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command + list(args), input=stdin, capture_output=True, text=True, timeout=120)


def test_code_skips_bad_lines_and_reports_them(geoevents_command: list[str], tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join([
        json.dumps(GOOD_EN),
        "{not json",
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps(["a", "list"]),
        json.dumps(GOOD_ID),
    ]) + "\n", encoding="utf-8")
    output = tmp_path / "events.jsonl"
    result = _run(geoevents_command, "code", str(source), "-o", str(output))
    assert result.returncode == 1, result.stderr
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: no text" in result.stderr
    assert "line 4: not a JSON object" in result.stderr
    events = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    by_doc = {event["doc_id"]: event for event in events}
    assert set(by_doc) == {"d1", "d2"}
    english = by_doc["d1"]
    assert (english["source_code"], english["target_code"], english["event_code"]) == ("IDNCOP", "MYSCVL", "173")
    assert english["event_date"] == "2025-03-04" and english["date_text"] == "Tuesday"
    assert english["geo_name"] == "Jakarta" and english["geo_country"] == "IDN"
    assert abs(english["geo_lat"] - (-6.2)) < 0.1
    indonesian = by_doc["d2"]
    assert indonesian["language"] == "id"  # detected: the line has no lang
    assert (indonesian["source_code"], indonesian["target_code"], indonesian["event_code"]) == ("MYSCOP", "IDNCVL", "173")
    for event in events:
        start, end = event["char_start"], event["char_end"]
        text = GOOD_EN["text"] if event["doc_id"] == "d1" else GOOD_ID["text"]
        assert text[start:end] == event["sentence"]
        for column in ("source_text", "target_text", "trigger_text", "event_root_code", "quad_class", "goldstein",
                       "coder_version"):
            assert event[column] not in (None, "")


def test_code_reads_stdin_and_exits_zero_when_nothing_was_skipped(geoevents_command: list[str]) -> None:
    result = _run(geoevents_command, "code", "-", "--lang", "en", stdin=json.dumps(GOOD_EN) + "\n")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [event["event_code"] for event in events] == ["173"]


def test_evaluate_prints_figures_per_language(geoevents_command: list[str], tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(p) for p in [
        {"id": "g1", "lang": "en", "published_at": "2025-03-06", "text": GOOD_EN["text"],
         "events": [{"source": "IDNCOP", "target": "MYSCVL", "code": "173", "date": "2025-03-04"}]},
        {"id": "g2", "lang": "id", "published_at": "2025-03-06", "text": GOOD_ID["text"],
         "events": [{"source": "MYSCOP", "target": "IDNCVL", "code": "173", "date": "2025-03-04"}]},
        {"id": "g3", "lang": "en", "published_at": "2025-03-06", "text": "It rained in Jakarta on Tuesday.",
         "events": []},
    ]) + "\n", encoding="utf-8")
    result = _run(geoevents_command, "evaluate", str(gold), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for lang in ("en", "id", "all"):
        assert figures[lang]["L1"]["precision"] == 1.0 and figures[lang]["L1"]["recall"] == 1.0
        assert figures[lang]["date_accuracy"] == 1.0
    assert figures["en"]["empty_passages"] == 1 and figures["en"]["empty_passages_with_false_events"] == 0
    table = _run(geoevents_command, "evaluate", str(gold))
    assert "L1" in table.stdout and "date accuracy" in table.stdout
