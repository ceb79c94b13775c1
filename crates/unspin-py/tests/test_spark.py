"""The Spark example (examples/spark/analyze_corpus.py) on 1,000 real articles in local[2]:
its Parquet tables equal the rows of the CLI's JSON for the same JSONL input, and the one
bad record lands in OUT_DIR/errors.

Skipped when PySpark, PyArrow or Java is missing, when the shared data is absent, or when
there is no unspin binary to compare with (see conftest.py).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.tables import TABLES, rows_of

# .ci/run sets UNSPIN_REQUIRE_SPARK=1: there a missing PySpark or Java fails the test
# instead of skipping it.
REQUIRED = os.environ.get("UNSPIN_REQUIRE_SPARK") == "1"
if REQUIRED:
    import pyspark  # noqa: F401
pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "examples" / "spark" / "analyze_corpus.py"
ARTICLES = 1000
BAD_ID = "bad-empty-text"

# The sort key of each table's rows: one article's findings are unique by these columns.
KEYS = {
    "techniques": ("id", "start", "end", "technique"),
    "quotes": ("id", "start", "end", "speaker_start"),
    "actors": ("id", "actor_id"),
    "claims": ("id", "start", "end"),
}


def sort_key(table, row):
    """Sorts by the table's key columns (None first), then by the whole row, so that both
    sides come out in one order whatever order Spark wrote them in."""
    key = tuple((row[k] is not None, row[k]) if row[k] is not None else (False, 0)
                for k in KEYS[table])
    return key + (json.dumps(row, sort_keys=True),)


def corpus(shared, n):
    """The first ``n`` records of the 371 PTC train texts followed by the PolNeAR
    articles (with their own ids and extra fields), plus one record with an empty text."""
    files = sorted((shared / "data" / "ptc-train" / "articles").glob("*.txt"))
    records = [{"id": f"ptc-{f.stem}", "text": f.read_text(encoding="utf-8")} for f in files]
    with open(shared / "data" / "attribution-dev" / "polnear" / "articles.jsonl",
              encoding="utf-8") as f:
        for line in f:
            if len(records) >= n:
                break
            records.append(json.loads(line))
    records = records[:n]
    records.insert(n // 2, {"id": BAD_ID, "text": ""})
    return records


@pytest.fixture
def java():
    if shutil.which("java") is None:
        if REQUIRED:
            pytest.fail("java is not on PATH and UNSPIN_REQUIRE_SPARK=1")
        pytest.skip("java is not on PATH (PySpark needs a JVM: apt-get install openjdk-17-jre)")


def test_spark_tables_equal_the_cli_json(shared, cli, java, tmp_path):
    records = corpus(shared, ARTICLES)
    assert len(records) == ARTICLES + 1
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids), "the corpus ids must be unique"
    src = tmp_path / "corpus.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    out = tmp_path / "out"
    spark = subprocess.run([sys.executable, str(SCRIPT), str(src), str(out)],
                           capture_output=True, text=True, timeout=1200)
    assert spark.returncode == 0, spark.stderr[-4000:]
    assert spark.stdout == ""
    summary = spark.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"analyze_corpus: {ARTICLES + 1} articles, 1 failed"), summary

    cli_run = subprocess.run([cli, "analyze", "--quiet", "--format", "jsonl", "--jobs", "2",
                              str(src)], capture_output=True, text=True, timeout=1200)
    docs = [json.loads(line) for line in cli_run.stdout.splitlines()]
    assert len(docs) == ARTICLES + 1
    cli_errors = [d for d in docs if "error" in d and "text" not in d]
    assert [d["input"] for d in cli_errors] == [f"{src}:{ARTICLES // 2 + 1}"]
    analysed = [d for d in docs if "text" in d]
    assert sorted(d["source"]["id"] for d in analysed) == sorted(set(ids) - {BAD_ID})

    # The failed record, and only it, is in errors, with the CLI's message.
    errors = pq.read_table(out / "errors").to_pylist()
    assert [e["id"] for e in errors] == [BAD_ID]
    assert errors[0]["error"] == cli_errors[0]["error"].split(": ", 1)[1] == '"text" is empty'

    for table in TABLES:
        want = [r for d in analysed for r in rows_of(d, table)]
        got = pq.read_table(out / table).to_pylist()
        # The CLI's input is "path:line"; Spark's is the file each record came from.
        assert {r["input"] for r in got} <= {src.as_uri(), f"file:{src}"}, table
        for r in want + got:
            del r["input"]
        want.sort(key=lambda r: sort_key(table, r))
        got.sort(key=lambda r: sort_key(table, r))
        assert len(got) == len(want), table
        assert got == want, table
        # Every analysed article with findings of this table has rows in Spark's output.
        assert {r["id"] for r in got} == {d["source"]["id"] for d in analysed if d[table]}
