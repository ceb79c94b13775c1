"""The Python API on real articles: offsets, typed objects, batches, errors, tables, and
equality with the CLI's JSON."""

import json
import subprocess
import threading

import pytest

import unspin


def ptc_texts(shared, n):
    files = sorted((shared / "data" / "ptc-train" / "articles").glob("*.txt"))
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files[:n]]


def test_offsets_are_python_string_indices(shared):
    text = (shared / "examples" / "victory-plan-rt.txt").read_text(encoding="utf-8")
    a = unspin.analyze(text=text)
    assert a.text == text
    assert a.techniques and a.quotes and a.actors and a.claims
    for s in a.techniques + a.quotes + a.claims + a.sentences:
        assert a.text[s.start:s.end] == s.text
    for actor in a.actors:
        for m in actor.mentions:
            assert a.text[m.start:m.end] == m.text
    t = a.techniques[0]
    assert isinstance(t, unspin.TechniqueSpan)
    assert 0.0 <= t.confidence <= 1.0 and t.explanation and t.technique
    # Non-ASCII before the spans: code points, not bytes, not UTF-16 units.
    prefix = "Zelensky’s “plan” — 😀 "
    b = unspin.analyze(text=prefix + text)
    assert [(s.start - len(prefix), s.text) for s in b.quotes] == [
        (s.start, s.text) for s in a.quotes
    ]


def test_to_dict_and_to_json_are_the_cli_document(shared):
    text = (shared / "examples" / "victory-plan-rt.txt").read_text(encoding="utf-8")
    a = unspin.analyze(text=text, id="vp", title="Victory plan")
    d = a.to_dict()
    assert d["schema_version"] and d["source"]["id"] == "vp" == a.id
    assert d["source"]["title"] == "Victory plan"
    assert json.loads(a.to_json()) == d
    assert json.loads(a.to_json(indent=2)) == d
    assert len(d["techniques"]) == len(a.techniques)


def test_html_is_extracted():
    html = (
        "<html><head><title>Ferry deal</title></head><body><nav>Home | News</nav>"
        "<article><h1>Council signs ferry deal</h1><p>The island council signed the ferry "
        "contract on Monday. “This ends two years of waiting,” said Mayor Anna Kovacs.</p>"
        "<p>The opposition called the deal a disgrace.</p></article></body></html>"
    )
    a = unspin.analyze(html=html)
    assert "Home | News" not in a.text
    assert "ferry contract" in a.text
    assert any(q.speaker_name and "Kovacs" in q.speaker_name for q in a.quotes)


def test_bad_input_raises_input_error():
    for kwargs, words in [
        (dict(text="   \n "), "no text to analyse"),
        (dict(), "exactly one"),
        (dict(text="a", html="<p>b</p>"), "exactly one"),
        (dict(text=b"bytes"), "must be a str"),
        (dict(url="http://127.0.0.1:9/nothing-listens", timeout=2.0), "127.0.0.1:9"),
        (dict(url="ftp://example.org/x"), "ftp://example.org/x"),
    ]:
        with pytest.raises(unspin.InputError) as e:
            unspin.analyze(**kwargs)
        assert words in str(e.value), (kwargs, str(e.value))
    assert issubclass(unspin.InputError, ValueError)
    with pytest.raises(ValueError):
        unspin.analyze(text="x y z", model="fastest-model-that-does-not-exist")
    with pytest.raises(ValueError):
        unspin.analyze(text="x y z", min_confidence=2.0)


def test_the_size_cap_holds_for_given_texts():
    at_cap = "word " * 199 + "last."
    assert len(at_cap.encode()) == 1000
    assert unspin.analyze(text=at_cap, max_bytes=1000).text == at_cap
    with pytest.raises(unspin.InputError, match="too large: 1001 bytes, over the limit of 1000 bytes"):
        unspin.analyze(text=at_cap + "x", max_bytes=1000)
    with pytest.raises(unspin.InputError, match="too large"):
        unspin.analyze(html="<p>" + at_cap + "</p>", max_bytes=1000)
    results = list(unspin.analyze_many(
        [at_cap, at_cap + "x", {"id": "r", "text": at_cap + "x"}], jobs=1, max_bytes=1000))
    assert results[0] and not results[1] and not results[2]
    assert "too large" in results[1].error and "too large" in results[2].error


def test_analyze_many_keeps_order_and_reports_errors_in_place(shared):
    texts = ptc_texts(shared, 24)
    items = []
    for i, (name, text) in enumerate(texts):
        items.append({"id": name, "text": text} if i % 2 else text)
        if i == 5:
            items.append({"id": "empty", "text": ""})
            items.append(42)
    out = list(unspin.analyze_many(iter(items), jobs=2))
    assert len(out) == len(items)
    errors = [o for o in out if isinstance(o, unspin.AnalysisError)]
    assert [e.input for e in errors] == ["item 7", "item 8"]
    assert '"text" is empty' in errors[0].error and "not int" in errors[1].error
    good = [o for o in out if isinstance(o, unspin.Analysis)]
    assert [g.text for g in good] == [t for _, t in texts]
    # The same as one at a time, under the batch defaults.
    one = [unspin.analyze(text=t).to_dict()["techniques"] for _, t in texts[:4]]
    assert [g.to_dict()["techniques"] for g in good[:4]] == one


def test_analyze_many_releases_the_gil(shared):
    texts = [t for _, t in ptc_texts(shared, 8)]
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.005)

    t = threading.Thread(target=tick)
    t.start()
    try:
        out = list(unspin.analyze_many(texts * 3, jobs=2))
    finally:
        stop.set()
        t.join()
    assert len(out) == 24
    # A Python thread kept running while Rust analysed.
    assert len(ticks) > 20, len(ticks)


def test_batches_equal_the_cli_jsonl(shared, cli, tmp_path):
    records = [{"id": n, "text": t} for n, t in ptc_texts(shared, 30)]
    records.insert(3, {"id": "bad", "text": "  "})
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run = subprocess.run(
        [cli, "analyze", "--quiet", "--format", "jsonl", "--jobs", "2", str(path)],
        capture_output=True, text=True,
    )
    assert run.returncode == 1, run.stderr  # one input failed
    lines = [json.loads(l) for l in run.stdout.splitlines()]
    assert len(lines) == len(records)
    streamed = list(unspin.analyze_jsonl(path, jobs=2))
    many = list(unspin.analyze_many(records, jobs=2))
    for cli_doc, s, m in zip(lines, streamed, many):
        if "error" in cli_doc:
            assert isinstance(s, unspin.AnalysisError) and isinstance(m, unspin.AnalysisError)
            assert s.input == cli_doc["input"]
            continue
        for part in ("text", "techniques", "quotes", "actors", "claims", "sentences"):
            assert s.to_dict()[part] == cli_doc[part], part
            assert m.to_dict()[part] == cli_doc[part], part
        assert s.to_dict()["source"] == cli_doc["source"]


def test_analyze_jsonl_names_bad_lines(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(
        '{"id": "a", "text": "The minister said the plan would fail."}\n'
        "not json\n"
        '{"id": "c", "html": "<p>The mayor said it was fine.</p>"}\n',
        encoding="utf-8",
    )
    out = list(unspin.analyze_jsonl(path, jobs=2))
    assert [type(o).__name__ for o in out] == ["Analysis", "AnalysisError", "Analysis"]
    assert out[1].input == f"{path}:2" and "invalid JSON" in out[1].error
    assert [o.id for o in (out[0], out[2])] == ["a", "c"]
    with pytest.raises(unspin.InputError, match="no such file"):
        unspin.analyze_jsonl(tmp_path / "missing.jsonl")


def test_tables_for_pandas_and_arrow(shared):
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    texts = ptc_texts(shared, 6)
    out = list(unspin.analyze_many([{"id": n, "text": t} for n, t in texts] + [""], jobs=2))
    for table in unspin.TABLES:
        df = unspin.to_pandas(out, table=table)
        assert isinstance(df, pd.DataFrame)
        assert list(df.columns) == [c for c, _ in unspin.COLUMNS[table]]
        total = sum(len(o.to_dict()[table]) for o in out if isinstance(o, unspin.Analysis))
        assert len(df) == total
        batch = unspin.to_arrow(out, table=table)
        assert isinstance(batch, pa.RecordBatch) and batch.num_rows == total
    df = unspin.to_pandas(out, table="techniques")
    by_id = {o.id: o for o in out if isinstance(o, unspin.Analysis)}
    for row in df.head(20).itertuples():
        assert by_id[row.id].text[row.start:row.end] == row.text
    with pytest.raises(ValueError):
        unspin.to_pandas(out, table="nope")
