"""GDELT 2.0 Event files in and out of the warehouse (etl.gdelt); every fixture is written here."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl import gdelt, warehouse
from etl.gdelt import EVENTS_GDELT_COLUMNS, GDELT_EVENT_COLUMNS, GDELT_TO_EVENTS, export_gdelt, import_gdelt

# Three hand-written events in GDELT's shape: a city-level arrest, a country-level consultation, and an event
# without a first actor or its place (GDELT writes geo type 0 and empty fields then).
JAKARTA = {
    "GLOBALEVENTID": "410500001", "SQLDATE": "20150218", "MonthYear": "201502", "Year": "2015",
    "FractionDate": "2015.1315", "Actor1Code": "IDNCOP", "Actor1Name": "POLICE", "Actor1CountryCode": "IDN",
    "Actor1Type1Code": "COP", "Actor2Code": "IDNOPP", "Actor2Name": "ACTIVIST", "Actor2CountryCode": "IDN",
    "Actor2Type1Code": "OPP", "IsRootEvent": "1", "EventCode": "173", "EventBaseCode": "173",
    "EventRootCode": "17", "QuadClass": "4", "GoldsteinScale": "-5.0", "NumMentions": "4", "NumSources": "2",
    "NumArticles": "4", "AvgTone": "-3.90243902439024",
    "Actor1Geo_Type": "4", "Actor1Geo_FullName": "Jakarta, Jakarta Raya, Indonesia", "Actor1Geo_CountryCode": "ID",
    "Actor1Geo_ADM1Code": "ID04", "Actor1Geo_Lat": "-6.1744", "Actor1Geo_Long": "106.829",
    "Actor1Geo_FeatureID": "-2679013",
    "Actor2Geo_Type": "4", "Actor2Geo_FullName": "Jakarta, Jakarta Raya, Indonesia", "Actor2Geo_CountryCode": "ID",
    "Actor2Geo_ADM1Code": "ID04", "Actor2Geo_Lat": "-6.1744", "Actor2Geo_Long": "106.829",
    "Actor2Geo_FeatureID": "-2679013",
    "ActionGeo_Type": "4", "ActionGeo_FullName": "Jakarta, Jakarta Raya, Indonesia", "ActionGeo_CountryCode": "ID",
    "ActionGeo_ADM1Code": "ID04", "ActionGeo_Lat": "-6.1744", "ActionGeo_Long": "106.829",
    "ActionGeo_FeatureID": "-2679013",
    "DATEADDED": "20150218231500", "SOURCEURL": "https://www.example-post.com/news/2015/02/18/police-detain.html",
}
CONSULT = {
    "GLOBALEVENTID": "410500002", "SQLDATE": "20150217", "MonthYear": "201502", "Year": "2015",
    "FractionDate": "2015.1288", "Actor1Code": "CHNGOV", "Actor1Name": "BEIJING", "Actor1CountryCode": "CHN",
    "Actor1Type1Code": "GOV", "Actor2Code": "RUS", "Actor2Name": "RUSSIA", "Actor2CountryCode": "RUS",
    "IsRootEvent": "0", "EventCode": "0231", "EventBaseCode": "023", "EventRootCode": "02", "QuadClass": "1",
    "GoldsteinScale": "3.4", "NumMentions": "10", "NumSources": "1", "NumArticles": "10", "AvgTone": "0",
    "Actor1Geo_Type": "1", "Actor1Geo_FullName": "China", "Actor1Geo_CountryCode": "CH", "Actor1Geo_ADM1Code": "CH",
    "Actor1Geo_Lat": "35", "Actor1Geo_Long": "105", "Actor1Geo_FeatureID": "CH",
    "Actor2Geo_Type": "1", "Actor2Geo_FullName": "Russia", "Actor2Geo_CountryCode": "RS", "Actor2Geo_ADM1Code": "RS",
    "Actor2Geo_Lat": "60", "Actor2Geo_Long": "100", "Actor2Geo_FeatureID": "RS",
    "ActionGeo_Type": "1", "ActionGeo_FullName": "China", "ActionGeo_CountryCode": "CH", "ActionGeo_ADM1Code": "CH",
    "ActionGeo_Lat": "35", "ActionGeo_Long": "105", "ActionGeo_FeatureID": "CH",
    "DATEADDED": "20150218230000", "SOURCEURL": "http://www.example-times.com/world/china-russia-talks/1234",
}
NO_ACTOR1 = {
    "GLOBALEVENTID": "410500003", "SQLDATE": "20140218", "MonthYear": "201402", "Year": "2014",
    "FractionDate": "2014.1315", "Actor2Code": "MED", "Actor2Name": "TELEVISION", "Actor2Type1Code": "MED",
    "IsRootEvent": "0", "EventCode": "042", "EventBaseCode": "042", "EventRootCode": "04", "QuadClass": "1",
    "GoldsteinScale": "1.9", "NumMentions": "5", "NumSources": "1", "NumArticles": "5", "AvgTone": "2.07852193995381",
    "Actor1Geo_Type": "0", "Actor2Geo_Type": "3",
    "Actor2Geo_FullName": "Hollywood, California, United States", "Actor2Geo_CountryCode": "US",
    "Actor2Geo_ADM1Code": "USCA", "Actor2Geo_ADM2Code": "CA037", "Actor2Geo_Lat": "34.0983",
    "Actor2Geo_Long": "-118.327", "Actor2Geo_FeatureID": "1660757", "ActionGeo_Type": "0",
    "DATEADDED": "20150218234500", "SOURCEURL": "http://www.example-examiner.com/article/actor-returns",
}
HAND_ROWS = (JAKARTA, CONSULT, NO_ACTOR1)


def line(row: dict[str, str], **changes: str) -> str:
    """A GDELT export line (without its end) from a row of GDELT-named fields; absent fields are empty."""
    values = {**row, **changes}
    return "\t".join(values.get(column, "") for column in GDELT_EVENT_COLUMNS)


def generated_lines(count: int, first_id: int = 420_000_000, seed: int = 7) -> list[str]:
    """Rows varied from the hand-written ones: ids counting up, dates over a year, tones of any precision."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        day = dt.date(2015, 2, 18) - dt.timedelta(days=rng.randrange(365))
        tone = repr(round(rng.uniform(-10, 10), rng.choice((1, 5, 14)))).removesuffix(".0")
        lines.append(line(
            rng.choice(HAND_ROWS), GLOBALEVENTID=str(first_id + n), SQLDATE=f"{day:%Y%m%d}",
            MonthYear=f"{day:%Y%m}", Year=str(day.year),
            FractionDate=f"{day.year + (day.month * 30 + day.day) / 365:.4f}", AvgTone=tone,
            NumMentions=str(rng.randrange(1, 50)), SOURCEURL=f"https://news.example.org/{day:%Y/%m/%d}/story-{n}",
        ))
    return lines


def write(path: Path, lines: list[str], end: str = "\n") -> Path:
    path.write_bytes("".join(text + end for text in lines).encode("utf-8"))
    return path


def write_zip(path: Path, member: str, lines: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, "".join(text + "\n" for text in lines))
    return path


@pytest.fixture
def wh(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "warehouse").mkdir()
    return {"db": tmp_path / "warehouse" / "events.duckdb", "quarantine": tmp_path / "warehouse" / "quarantine"}


def query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


def gdelt_values(database: Path, source: str = "gdelt") -> list[tuple]:
    return query(database, f"SELECT {', '.join(EVENTS_GDELT_COLUMNS)} FROM events WHERE source = ? "
                           "ORDER BY global_event_id", [source])


def quarantine_rows(database: Path) -> list[tuple]:
    return query(database, "SELECT file, file_line, reason, kept_as, sha256 FROM quarantine ORDER BY file, file_line")


# -- the columns -------------------------------------------------------------------------------------


def test_columns_are_gdelts_in_order_and_our_events_columns(tmp_path: Path) -> None:
    assert len(GDELT_EVENT_COLUMNS) == 61
    assert GDELT_EVENT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_EVENT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert GDELT_TO_EVENTS["Actor1KnownGroupCode"] == "actor1_known_group_code"
    assert GDELT_TO_EVENTS["Actor1Geo_FullName"] == "actor1_geo_fullname"
    assert GDELT_TO_EVENTS["Actor1Geo_ADM1Code"] == "actor1_geo_adm1_code"
    assert GDELT_TO_EVENTS["ActionGeo_FeatureID"] == "action_geo_feature_id"
    con = duckdb.connect(str(tmp_path / "schema.duckdb"))
    warehouse.create_schema(con)
    columns = [name for (name,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position"
    ).fetchall()]
    con.close()
    # Ours: GDELT's columns in GDELT's order, event_date after fraction_date, and our extras at the end.
    assert [c for c in columns if c in EVENTS_GDELT_COLUMNS] == list(EVENTS_GDELT_COLUMNS)
    assert columns.index("event_date") == columns.index("fraction_date") + 1


# -- import ----------------------------------------------------------------------------------------


def test_plain_import_types_and_derived_columns(tmp_path: Path, wh: dict[str, Path]) -> None:
    source = write(tmp_path / "20150218231500.export.CSV", [line(row) for row in HAND_ROWS])
    report = import_gdelt([source], wh["db"], wh["quarantine"])
    assert (report.files, report.rows_loaded, report.rows_replaced, report.rows_quarantined) == (1, 3, 0, 0)
    assert report.seconds > 0
    rows = query(wh["db"], """
        SELECT global_event_id, sql_date, event_date, fraction_date, actor1_code, actor1_ethnic_code, event_code,
               event_base_code, goldstein_scale, avg_tone, action_geo_lat, action_geo_long, action_geo_feature_id,
               date_added, source, action_geo_country_iso3, coder_version, actor1_geo_type
        FROM events ORDER BY global_event_id""")
    assert rows[0] == (410500001, 20150218, dt.date(2015, 2, 18), 2015.1315, "IDNCOP", None, "173", "173", -5.0,
                       -3.90243902439024, -6.1744, 106.829, "-2679013", 20150218231500, "gdelt", "IDN", None, 4)
    assert rows[1][6:8] == ("0231", "023")  # CAMEO codes stay strings, leading zeros and all
    assert rows[1][15] == "CHN"  # FIPS CH is China
    assert rows[2][4] is None and rows[2][10] is None and rows[2][15] is None and rows[2][17] == 0


def test_zip_import_names_member_lines(tmp_path: Path, wh: dict[str, Path]) -> None:
    archive = write_zip(tmp_path / "20150218230000.export.CSV.zip", "20150218230000.export.CSV",
                        [line(JAKARTA), line(CONSULT, GLOBALEVENTID="x410500002"), line(NO_ACTOR1)])
    report = import_gdelt([archive], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert [r[0] for r in gdelt_values(wh["db"])] == [410500001, 410500003]
    [(file, file_line, reason, kept_as, _)] = quarantine_rows(wh["db"])
    assert (file, file_line) == ("20150218230000.export.CSV.zip!20150218230000.export.CSV", 2)
    assert reason == "GLOBALEVENTID is not an integer: 'x410500002'"
    assert kept_as.endswith("-20150218230000.export.CSV.zip_20150218230000.export.CSV.line2")
    assert not any(p.name.endswith(".export.CSV") for p in tmp_path.iterdir())  # nothing extracted beside it


def test_malformed_lines_are_quarantined_with_their_line_numbers(tmp_path: Path, wh: dict[str, Path]) -> None:
    lines = [
        line(JAKARTA),  # 1
        "\t".join(line(CONSULT).split("\t")[:40]),  # 2: too few fields
        line(CONSULT, GLOBALEVENTID="41O500002"),  # 3: a letter O in the id
        "",  # 4: empty, skipped without a trace
        line(CONSULT, GLOBALEVENTID="410500004", SQLDATE="20151345"),  # 5: no such date
        line(CONSULT, GLOBALEVENTID=""),  # 6: no id
        line(CONSULT),  # 7
        line(CONSULT, GLOBALEVENTID="410500008") + "\textra",  # 8: too many fields
        line(CONSULT, GLOBALEVENTID="410500009", EventCode=""),  # 9: the reader takes it, events cannot
        line(CONSULT, GLOBALEVENTID="410500010", NumMentions="many", ActionGeo_Lat="north"),  # 10
        line(CONSULT, GLOBALEVENTID="410500011", SQLDATE="2015021"),  # 11: seven digits
        line(NO_ACTOR1),  # 12
    ]
    source = write(tmp_path / "bad.export.CSV", lines)
    not_utf8 = line(CONSULT, GLOBALEVENTID="410500013").encode().replace(b"BEIJING", b"BEI\xffJING")
    source.write_bytes(source.read_bytes() + not_utf8 + b"\n")  # 13: not UTF-8
    report = import_gdelt([source], wh["db"], wh["quarantine"])
    assert report.rows_loaded == 3 and report.rows_quarantined == 9
    assert [r[0] for r in gdelt_values(wh["db"])] == [410500001, 410500002, 410500003]
    found = {file_line: reason for _, file_line, reason, _, _ in quarantine_rows(wh["db"])}
    assert found == {
        2: "expected 61 tab-separated fields, found 40",
        3: "GLOBALEVENTID is not an integer: '41O500002'",
        5: "SQLDATE is not a YYYYMMDD date: '20151345'",
        6: "empty GLOBALEVENTID",
        8: "expected 61 tab-separated fields, found 62",
        9: "empty EventCode",
        10: "NumMentions is not an integer: 'many'; ActionGeo_Lat is not a number: 'north'",
        11: "SQLDATE is not a YYYYMMDD date: '2015021'",
        13: "not valid UTF-8",
    }
    raw = source.read_bytes().split(b"\n")
    for file, file_line, _, kept_as, sha256 in quarantine_rows(wh["db"]):
        kept = (wh["quarantine"] / kept_as).read_bytes()
        assert file == "bad.export.CSV"
        assert kept == raw[file_line - 1]  # the line's exact bytes, without its end
        assert sha256 == hashlib.sha256(kept).hexdigest() and kept_as.startswith(sha256[:16] + "-")
    assert query(wh["db"], "SELECT count(*) FROM quarantine WHERE quarantined_at IS NULL") == [(0,)]


def test_crlf_lines_load_and_keep_no_carriage_return(tmp_path: Path, wh: dict[str, Path]) -> None:
    source = write(tmp_path / "windows.csv", [line(JAKARTA), "", line(CONSULT, Year="2O15"), line(NO_ACTOR1)],
                   end="\r\n")
    report = import_gdelt([source], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert [r[1] for r in quarantine_rows(wh["db"])] == [3]
    assert query(wh["db"], "SELECT count(*) FROM events WHERE source_url LIKE '%' || chr(13)") == [(0,)]


def test_reimport_replaces_instead_of_duplicating(tmp_path: Path, wh: dict[str, Path]) -> None:
    first = write(tmp_path / "a.export.CSV", [line(row) for row in HAND_ROWS])
    import_gdelt([first], wh["db"], wh["quarantine"])
    again = import_gdelt([first], wh["db"], wh["quarantine"])
    assert (again.rows_loaded, again.rows_replaced) == (3, 3)
    assert query(wh["db"], "SELECT count(*), count(DISTINCT global_event_id) FROM events") == [(3, 3)]
    updated = write(tmp_path / "b.export.CSV", [line(JAKARTA, NumMentions="40"), line(CONSULT, GLOBALEVENTID="9")])
    report = import_gdelt([updated], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_replaced) == (2, 1)
    assert query(wh["db"], "SELECT num_mentions FROM events WHERE global_event_id = 410500001") == [(40,)]
    assert query(wh["db"], "SELECT count(*) FROM events") == [(4,)]


def test_later_row_wins_within_one_call(tmp_path: Path, wh: dict[str, Path]) -> None:
    one = write(tmp_path / "one.export.CSV", [line(JAKARTA, NumMentions="1"), line(JAKARTA, NumMentions="2")])
    two = write(tmp_path / "two.export.CSV", [line(JAKARTA, NumMentions="3"), line(CONSULT)])
    report = import_gdelt([one, two], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_replaced) == (2, 2)
    assert query(wh["db"], "SELECT global_event_id, num_mentions FROM events ORDER BY 1") == [
        (410500001, 3), (410500002, 10)]


def test_rows_of_other_sources_are_never_touched(tmp_path: Path, wh: dict[str, Path]) -> None:
    con = duckdb.connect(str(wh["db"]))
    warehouse.create_schema(con)
    con.execute("""
        INSERT INTO events (global_event_id, sql_date, month_year, year, fraction_date, event_date, actor1_code,
            is_root_event, event_code, event_base_code, event_root_code, quad_class, goldstein_scale, num_mentions,
            num_sources, num_articles, date_added, source, coder_version)
        VALUES (410500001, 20150301, 201503, 2015, 2015.2493, DATE '2015-03-01', 'IDNGOV', 1, '036', '036', '03',
            1, 4.0, 2, 2, 2, 20150301120000, 'geoevents', 'coder-1')""")
    before = con.execute("SELECT * FROM events").fetchall()
    con.close()
    source = write(tmp_path / "a.export.CSV", [line(JAKARTA), line(CONSULT)])
    report = import_gdelt([source, source], wh["db"], wh["quarantine"])
    assert report.rows_replaced == 2  # the second copy replaced the first, not our own row
    assert query(wh["db"], "SELECT * FROM events WHERE source = 'geoevents'") == before
    assert query(wh["db"], "SELECT source, count(*) FROM events GROUP BY ALL ORDER BY 1") == [
        ("gdelt", 2), ("geoevents", 1)]


def test_a_generated_file_with_bad_lines_far_apart(tmp_path: Path, wh: dict[str, Path]) -> None:
    lines = generated_lines(60_000)
    bad = {7: line(JAKARTA, GLOBALEVENTID="7x"), 31_337: "", 45_000: line(CONSULT, EventRootCode=""),
           59_999: "\t".join(["1"] * 60)}
    for number, text in bad.items():
        lines[number - 1] = text
    source = write(tmp_path / "big.export.CSV", lines)
    report = import_gdelt([source], wh["db"], wh["quarantine"])
    assert report.rows_loaded == 60_000 - 4
    assert [r[1] for r in quarantine_rows(wh["db"])] == [7, 45_000, 59_999]
    assert query(wh["db"], "SELECT count(*) FROM events WHERE global_event_id = ?", [420_000_000 + 45_000 - 1]) == [
        (0,)]


# -- whole files -------------------------------------------------------------------------------------


def test_a_corrupt_zip_is_quarantined_whole_and_the_rest_loads(tmp_path: Path, wh: dict[str, Path]) -> None:
    good = write(tmp_path / "20150218230000.export.CSV", [line(JAKARTA)])
    broken = tmp_path / "20150218231500.export.CSV.zip"
    data = write_zip(tmp_path / "whole.zip", "20150218231500.export.CSV", generated_lines(200)).read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # a download cut short
    truncated_member = tmp_path / "crc.zip"
    damaged = bytearray(write_zip(truncated_member, "x.export.CSV", generated_lines(200)).read_bytes())
    damaged[100] ^= 0xFF  # compressed bytes flipped: a CRC or inflate error while reading
    truncated_member.write_bytes(bytes(damaged))
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    report = import_gdelt([good, broken, truncated_member, empty], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_quarantined, report.files_quarantined) == (1, 0, 3)
    rows = {file: (file_line, reason, kept_as) for file, file_line, reason, kept_as, _ in quarantine_rows(wh["db"])}
    assert set(rows) == {broken.name, truncated_member.name, empty.name}
    assert rows[broken.name][0] is None and rows[broken.name][1].startswith("unreadable zip archive")
    assert rows[truncated_member.name][1].startswith("unreadable zip archive")
    assert rows[empty.name][1] == "zip archive holds no file"
    assert (wh["quarantine"] / rows[broken.name][2]).read_bytes() == broken.read_bytes()


def test_a_file_that_is_not_a_gdelt_export_is_quarantined_whole(
    tmp_path: Path, wh: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gdelt, "MAX_BAD_LINES", 5)
    gdelt1 = write(tmp_path / "20130401.export.CSV", ["\t".join(line(JAKARTA).split("\t")[:57])] * 8)
    good = write(tmp_path / "good.export.CSV", [line(CONSULT)])
    report = import_gdelt([gdelt1, good], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_quarantined, report.files_quarantined) == (1, 0, 1)
    [(file, file_line, reason, kept_as, _)] = quarantine_rows(wh["db"])
    assert (file, file_line) == (gdelt1.name, None)
    assert reason == ("not a GDELT 2.0 Event export: more than 5 bad lines "
                      "(line 1: expected 61 tab-separated fields, found 57)")
    assert (wh["quarantine"] / kept_as).read_bytes() == gdelt1.read_bytes()


def test_a_carriage_return_inside_a_line_quarantines_the_file(tmp_path: Path, wh: dict[str, Path]) -> None:
    odd = write(tmp_path / "odd.export.CSV", [line(JAKARTA), line(CONSULT, Actor1Name="BEI\rJING")])
    good = write(tmp_path / "good.export.CSV", [line(NO_ACTOR1)])
    report = import_gdelt([odd, good], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.files_quarantined) == (1, 1)
    [(file, file_line, reason, _, _)] = quarantine_rows(wh["db"])
    assert (file, file_line) == ("odd.export.CSV", None) and reason.startswith("line 2 holds a carriage return")


def test_an_empty_file_loads_nothing(tmp_path: Path, wh: dict[str, Path]) -> None:
    report = import_gdelt([write(tmp_path / "empty.export.CSV", [])], wh["db"], wh["quarantine"])
    assert (report.rows_loaded, report.rows_quarantined, report.files_quarantined) == (0, 0, 0)


def test_a_missing_file_raises_before_anything_changes(tmp_path: Path, wh: dict[str, Path]) -> None:
    with pytest.raises(FileNotFoundError):
        import_gdelt([tmp_path / "absent.export.CSV"], wh["db"], wh["quarantine"])
    assert not wh["db"].exists()


def test_one_transaction_a_failure_leaves_the_warehouse_unchanged(
    tmp_path: Path, wh: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_gdelt([write(tmp_path / "before.export.CSV", [line(JAKARTA, NumMentions="1")])], wh["db"], wh["quarantine"])
    before = (query(wh["db"], "SELECT * FROM events"), quarantine_rows(wh["db"]))
    first = write(tmp_path / "first.export.CSV", [line(JAKARTA, NumMentions="2"), line(CONSULT, Year="x")])
    second = write(tmp_path / "second.export.CSV", [line(NO_ACTOR1)])

    # Something gives way after the events are in, while the quarantine rows are written.
    monkeypatch.setattr(gdelt, "_QUARANTINE_SQL", "INSERT INTO quarantine BY NAME SELECT * FROM gdelt_vanished")
    with pytest.raises(duckdb.Error, match="gdelt_vanished"):
        import_gdelt([first, second], wh["db"], wh["quarantine"])
    assert (query(wh["db"], "SELECT * FROM events"), quarantine_rows(wh["db"])) == before


# -- export ----------------------------------------------------------------------------------------


def test_export_then_import_round_trips_the_61_columns(tmp_path: Path, wh: dict[str, Path]) -> None:
    lines = [line(row) for row in HAND_ROWS] + generated_lines(500)
    import_gdelt([write(tmp_path / "in.export.CSV", lines)], wh["db"], wh["quarantine"])
    output = tmp_path / "out" / "all.export.CSV"
    assert export_gdelt(wh["db"], dt.date(2000, 1, 1), dt.date(2030, 1, 1), output, source="gdelt") == len(lines)
    # GDELT's own formatting comes back byte for byte, in GLOBALEVENTID order.
    assert output.read_text(encoding="utf-8").splitlines() == sorted(lines, key=lambda text: int(text.split("\t")[0]))
    again = tmp_path / "again.duckdb"
    import_gdelt([output], again, wh["quarantine"])
    assert gdelt_values(again) == gdelt_values(wh["db"])
    zipped = tmp_path / "out" / "20150218230000.export.CSV.zip"
    assert export_gdelt(wh["db"], dt.date(2000, 1, 1), dt.date(2030, 1, 1), zipped, source="gdelt") == len(lines)
    with zipfile.ZipFile(zipped) as archive:
        assert archive.namelist() == ["20150218230000.export.CSV"]
    from_zip = tmp_path / "from_zip.duckdb"
    import_gdelt([zipped], from_zip, wh["quarantine"])
    assert gdelt_values(from_zip) == gdelt_values(wh["db"])


def test_export_of_our_own_events_reads_back_exactly(tmp_path: Path, wh: dict[str, Path]) -> None:
    con = duckdb.connect(str(wh["db"]))
    warehouse.create_schema(con)
    con.execute("""
        INSERT INTO events (global_event_id, sql_date, month_year, year, fraction_date, event_date, actor1_code,
            actor1_name, is_root_event, event_code, event_base_code, event_root_code, quad_class, goldstein_scale,
            num_mentions, num_sources, num_articles, avg_tone, action_geo_type, action_geo_fullname,
            action_geo_country_code, action_geo_lat, action_geo_long, date_added, source_url, source)
        VALUES (7, 20150218, 201502, 2015, 2015.1315, DATE '2015-02-18', 'IDNGOV', 'JOKO' || chr(9) || 'WIDODO',
            1, '036', '036', '03', 1, 4.0, 3, 2, 3, 1.0 / 3, 4, 'Bandung, Jawa Barat, Indonesia', 'ID',
            -6.9039, 107.6186111111, 20150218101500, '', 'geoevents'),
            (8, 20150219, 201502, 2015, 2015 + 49 / 365, DATE '2015-02-19', NULL, NULL, 0, '190', '190', '19',
            4, -10.0, 1, 1, 1, -2.0, NULL, NULL, NULL, NULL, NULL, 20150219000000, NULL, 'geoevents')""")
    con.close()
    output = tmp_path / "ours.export.CSV"
    assert export_gdelt(wh["db"], dt.date(2015, 2, 18), dt.date(2015, 2, 19), output) == 2
    first, second = (text.split("\t") for text in output.read_text(encoding="utf-8").splitlines())
    assert len(first) == len(second) == 61
    assert first[4] == "2015.1315" and first[30] == "4.0" and first[34] == "0.3333333333333333"
    assert first[6] == "JOKO WIDODO" and first[56:58] == ["-6.9039", "107.6186111111"] and first[60] == ""
    assert second[4] == repr(2015 + 49 / 365)  # more than GDELT's 4 decimals: written in full
    assert second[30] == "-10.0" and second[34] == "-2" and second[5] == "" and second[52] == ""
    import_gdelt([output], tmp_path / "again.duckdb", wh["quarantine"])
    expected = [list(row) for row in gdelt_values(wh["db"], "geoevents")]
    expected[0][EVENTS_GDELT_COLUMNS.index("actor1_name")] = "JOKO WIDODO"  # a tab is written as a space
    expected[0][EVENTS_GDELT_COLUMNS.index("source_url")] = None  # an empty string reads back as NULL
    assert [list(row) for row in gdelt_values(tmp_path / "again.duckdb")] == expected


def test_export_takes_only_the_date_range_and_source(tmp_path: Path, wh: dict[str, Path]) -> None:
    days = ["20150216", "20150217", "20150218", "20150219"]
    lines = [line(JAKARTA, GLOBALEVENTID=str(100 + n), SQLDATE=day) for n, day in enumerate(days)]
    import_gdelt([write(tmp_path / "days.export.CSV", lines)], wh["db"], wh["quarantine"])
    output = tmp_path / "range.export.CSV"
    assert export_gdelt(wh["db"], dt.date(2015, 2, 17), dt.date(2015, 2, 18), output, source="gdelt") == 2
    assert [text.split("\t")[1] for text in output.read_text().splitlines()] == ["20150217", "20150218"]
    assert export_gdelt(wh["db"], dt.date(2015, 2, 17), dt.date(2015, 2, 18), output) == 0  # no 'geoevents' rows
    assert output.read_text() == ""
    assert export_gdelt(wh["db"], dt.date(2015, 2, 1), dt.date(2015, 2, 28), output, source=None) == 4


def test_command_line_import_and_export_round_trip(tmp_path: Path, geoevents_command: list[str]) -> None:
    """`geoevents import-gdelt` and `geoevents export-gdelt` as users run them."""
    import os
    import subprocess

    env = dict(os.environ, GEOEVENTS_WAREHOUSE_DIR=str(tmp_path / "warehouse"))
    source = write_zip(tmp_path / "20150218230000.export.CSV.zip", "20150218230000.export.CSV",
                       [line(row) for row in HAND_ROWS] + ["not\ta\tgdelt\trow"])
    imported = subprocess.run(geoevents_command + ["import-gdelt", str(source)], env=env, capture_output=True,
                              text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert f"{len(HAND_ROWS)} rows loaded" in imported.stdout and "1 rows and 0 whole files quarantined" in imported.stdout
    exported = tmp_path / "out.export.CSV"
    result = subprocess.run(geoevents_command + ["export-gdelt", "--from", "2000-01-01", "--to", "2030-12-31",
                                                 "--source", "gdelt", "-o", str(exported)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(exported.read_text(encoding="utf-8").splitlines()) == sorted(line(row) for row in HAND_ROWS)
