"""Analyse a corpus of news articles with unspin on Spark and write Parquet tables.

    python examples/spark/analyze_corpus.py INPUT OUT_DIR [--format auto|jsonl|parquet]
                                            [--partitions N] [--keep-analyses]

INPUT is a JSONL file or folder (one record a line: ``{"id", "text"}`` or ``{"id", "html"}``;
``url``, ``title``, ``site``, ``published`` and ``authors`` are used when present, other
fields are ignored) or a Parquet file or folder with those columns. OUT_DIR receives the
Parquet tables

    OUT_DIR/techniques  OUT_DIR/quotes  OUT_DIR/actors  OUT_DIR/claims   (unspin.tables.COLUMNS)
    OUT_DIR/errors      (id, input, error): the records that could not be analysed

Each row's ``id`` is the record's ``id`` (a record without one gets ``row-N``); ``input`` is
the file the record was read from. The findings equal those of
``unspin analyze --format jsonl`` on the same records. A one-line summary goes to stderr.

How it works: every article is analysed once, in a first pass (``mapInArrow`` calling
``unspin.analyze_many(records, jobs=1)`` in each task: Spark gives the parallelism, one task
per core) that writes (id, input, analysis JSON, error) rows to OUT_DIR/_analyses; then one
pass per table reads them back and explodes the JSON into rows with
``unspin.tables.rows_of``. OUT_DIR/_analyses (the full JSON documents) is removed at the end
unless ``--keep-analyses`` is given.

Running locally
---------------
Install the package and PySpark in one virtual environment (Java 17 on PATH)::

    python -m venv .venv && .venv/bin/pip install ./crates/unspin-py pyspark pyarrow pandas
    .venv/bin/python examples/spark/analyze_corpus.py corpus.jsonl out/

With no master configured it runs ``local[2]``. Spark itself fills in ``local[*]`` when no
master is given, so ``local[*]`` counts as "not configured"; to use more local cores, give a
count (``spark-submit --master local[4] ...`` or ``spark.master local[4]`` in
spark-defaults.conf). The Python workers are then this same interpreter.

Running on a cluster (spark-submit, the wheel shipped to the executors)
----------------------------------------------------------------------
unspin is a native extension with its models inside the wheel, so ``--py-files`` cannot
ship it (Python cannot import a compiled module from a zip). Ship a packed virtual
environment with ``--archives`` instead, as the PySpark docs describe for venv-pack:

    # 1. Build the wheel (abi3: one wheel for CPython >= 3.9; build it on a machine whose
    #    OS/glibc is no newer than the executors', e.g. the cluster's own image).
    pip wheel ./crates/unspin-py -w dist/
    # 2. A virtual environment with the wheel, PyArrow and pandas, packed into a tarball.
    python -m venv spark_env && spark_env/bin/pip install dist/unspin-*.whl pyarrow pandas venv-pack
    spark_env/bin/venv-pack -p spark_env -o spark_env.tar.gz
    # 3. Submit: YARN / Kubernetes / standalone unpack the archive as ./environment in
    #    every executor's working directory; its interpreter runs the Python workers.
    export PYSPARK_DRIVER_PYTHON=spark_env/bin/python   # the driver imports unspin too
    export PYSPARK_PYTHON=./environment/bin/python
    spark-submit --master yarn --deploy-mode client \\
        --archives spark_env.tar.gz#environment \\
        examples/spark/analyze_corpus.py hdfs:///corpora/news.jsonl hdfs:///out/news

(``--conf spark.pyspark.python=./environment/bin/python`` is equivalent to the
``PYSPARK_PYTHON`` export. Alternatively, where the executors' images can be changed,
``pip install dist/unspin-*.whl pyarrow pandas`` into the Python every executor runs.)
Use one core per task (the default ``spark.task.cpus=1``): each task analyses on one thread.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import deque
from typing import Any, Dict, Iterator, List

import pyarrow as pa

import unspin
from unspin.tables import TABLES, arrow_schema, rows_of, spark_schema

#: The record fields passed on to unspin (the fields of a JSONL record the CLI reads).
RECORD_FIELDS = ("id", "text", "html", "url", "title", "site", "published", "authors")

#: The rows of the first pass: one per article, its analysis JSON or its error.
ANALYSES_COLUMNS = ("id", "input", "analysis", "error")
ANALYSES_SCHEMA = pa.schema([(c, pa.string()) for c in ANALYSES_COLUMNS])

#: Articles per Arrow batch handed to a task: the analysis JSON of one article can reach
#: hundreds of kilobytes, so batches are kept small (Spark's default is 10,000 rows).
BATCH_ROWS = 64

# analyze_many labels the items of a batch "item N"; in a Spark task that number means
# nothing, so error messages lose that prefix (the id and input columns locate the record).
_ITEM_PREFIX = re.compile(r"^item \d+: ")


def analyze_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """First pass, run in each task: analyses the records of the partition once, in one
    stream through ``unspin.analyze_many(jobs=1)``, yielding (id, input, analysis, error)."""
    in_flight: deque = deque()  # (id, input) of the records sent, in order
    out: Dict[str, List[Any]] = {c: [] for c in ANALYSES_COLUMNS}

    def emit(id_: Any, input_: Any, analysis: Any, error: Any) -> None:
        for c, v in zip(ANALYSES_COLUMNS, (id_, input_, analysis, error)):
            out[c].append(v)

    def records() -> Iterator[Dict[str, Any]]:
        # Pulled by analyze_many as it needs more work; remembers what each item was.
        for batch in batches:
            cols = {name: batch.column(name).to_pylist() for name in batch.schema.names}
            for i in range(batch.num_rows):
                id_, input_ = cols["id"][i], cols["_input"][i]
                bad = cols.get("_corrupt_record")
                if bad is not None and bad[i] is not None:
                    emit(id_, input_, None, "the line is not a JSON object")
                    continue
                record = {f: cols[f][i] for f in RECORD_FIELDS
                          if f in cols and cols[f][i] is not None}
                in_flight.append((id_, input_))
                yield record

    for result in unspin.analyze_many(records(), jobs=1):
        id_, input_ = in_flight.popleft()
        if result:
            emit(id_, input_, result.to_json(), None)
        else:
            emit(id_, input_, None, _ITEM_PREFIX.sub("", result.error))
        if len(out["id"]) >= BATCH_ROWS:
            yield pa.RecordBatch.from_pydict(out, schema=ANALYSES_SCHEMA)
            out = {c: [] for c in ANALYSES_COLUMNS}
    if out["id"]:
        yield pa.RecordBatch.from_pydict(out, schema=ANALYSES_SCHEMA)


def table_rows(table: str):
    """Second pass, one per table: the function turning (id, input, analysis) batches into
    the rows of ``table``, with the record's id and input."""
    schema = arrow_schema(table)

    def explode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            found: List[Dict[str, Any]] = []
            for id_, input_, doc in zip(batch.column("id").to_pylist(),
                                        batch.column("input").to_pylist(),
                                        batch.column("analysis").to_pylist()):
                for row in rows_of(json.loads(doc), table):
                    row["id"], row["input"] = id_, input_
                    found.append(row)
            if found:
                yield pa.RecordBatch.from_pylist(found, schema=schema)

    return explode


def is_parquet(path: str) -> bool:
    """Guesses the input format: a ``.parquet`` name, or a local folder of Parquet parts."""
    if path.rstrip("/").endswith(".parquet"):
        return True
    if os.path.isdir(path):
        names = os.listdir(path)
        return any(n.endswith(".parquet") for n in names)
    return False


def read_records(spark: Any, path: str, fmt: str) -> Any:
    """The input as a DataFrame of the record fields (strings; ``authors`` a list of
    strings), ``id`` filled when missing, ``_input`` the file each record came from."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType

    if fmt == "parquet" or (fmt == "auto" and is_parquet(path)):
        df = spark.read.parquet(path)
    else:
        # Every primitive as a string: ids like 123 stay "123", titles stay as written.
        df = spark.read.option("primitivesAsString", "true").json(path)
    names = set(df.columns)
    if not names & {"text", "html"} and "_corrupt_record" not in names:
        raise SystemExit(f"analyze_corpus: {path} has neither a 'text' nor an 'html' column")
    cols = []
    for f in RECORD_FIELDS:
        if f not in names or f == "id":
            continue
        if f == "authors" and isinstance(df.schema[f].dataType, ArrayType):
            cols.append(F.col(f).cast("array<string>").alias(f))
        else:
            cols.append(F.col(f).cast("string").alias(f))
    if "_corrupt_record" in names:
        cols.append(F.col("_corrupt_record"))
    row_id = F.concat(F.lit("row-"), F.monotonically_increasing_id().cast("string"))
    ident = F.coalesce(F.col("id").cast("string"), row_id) if "id" in names else row_id
    return df.select(ident.alias("id"), F.input_file_name().alias("_input"), *cols)


def configured_master() -> Any:
    """The master given by spark-submit ``--master``, ``spark-defaults.conf`` or
    ``PYSPARK_SUBMIT_ARGS``, else None. Spark fills in ``local[*]`` when none is given, so
    that value counts as none."""
    from pyspark import SparkConf, SparkContext

    SparkContext._ensure_initialized()  # starts (or joins spark-submit's) JVM, reads conf
    master = SparkConf().get("spark.master", None)
    return None if master in (None, "local[*]") else master


def part_files(spark: Any, path: str) -> List[str]:
    """The Parquet part files of a folder Spark wrote. (Reading the folder itself works
    too, but Spark warns that "_analyses", like every name starting with "_", is hidden.)"""
    jvm = spark.sparkContext._jvm
    pattern = jvm.org.apache.hadoop.fs.Path(f"{path}/part-*")
    fs = pattern.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    found = fs.globStatus(pattern) or []  # None when the folder is missing
    return sorted(str(st.getPath()) for st in found) or [path]


def delete_path(spark: Any, path: str) -> None:
    """Removes a folder on whatever file system Spark writes to (local, HDFS, S3, …)."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(p, True)


def main(argv: Any = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="JSONL or Parquet file or folder of {id, text|html} records")
    ap.add_argument("out_dir", help="folder for the Parquet tables")
    ap.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto",
                    help="input format (default: Parquet for *.parquet or a folder of "
                         "Parquet parts, else JSONL)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="spread the input over at least this many tasks "
                         "(default: 4 per core of the cluster)")
    ap.add_argument("--keep-analyses", action="store_true",
                    help="keep OUT_DIR/_analyses, the full JSON document of every article")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession, functions as F

    started = time.perf_counter()
    builder = SparkSession.builder.appName("unspin-analyze-corpus")
    master = configured_master()
    if master is None:
        master = "local[2]"
        builder = builder.master(master)
    if master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        # Local workers run this interpreter, the one unspin is installed in.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", BATCH_ROWS)
             .config("spark.ui.showConsoleProgress", "false")  # stderr: the summary only
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")

    out = args.out_dir.rstrip("/")
    analyses_dir = f"{out}/_analyses"

    # Pass 1: analyse every article once. A single JSONL file is one task; spread it so
    # that every core has work.
    records = read_records(spark, args.input, args.format)
    wanted = args.partitions or 4 * spark.sparkContext.defaultParallelism
    if records.rdd.getNumPartitions() < wanted:
        records = records.repartition(wanted)
    records.mapInArrow(analyze_partition, "id string, input string, analysis string, "
                                          "error string") \
           .write.mode("overwrite").parquet(analyses_dir)

    # Pass 2: the tables, exploded from the stored JSON.
    analyses = spark.read.parquet(*part_files(spark, analyses_dir))
    done = analyses.where(F.col("error").isNull()).select("id", "input", "analysis")
    for table in TABLES:
        done.mapInArrow(table_rows(table), spark_schema(table)) \
            .write.mode("overwrite").parquet(f"{out}/{table}")
    analyses.where(F.col("error").isNotNull()).select("id", "input", "error") \
            .write.mode("overwrite").parquet(f"{out}/errors")

    counts = analyses.agg(F.count(F.lit(1)).alias("n"),
                          F.count("error").alias("failed")).first()
    if not args.keep_analyses:
        delete_path(spark, analyses_dir)
    seconds = time.perf_counter() - started
    n = counts["n"]
    print(f"analyze_corpus: {n} articles, {counts['failed']} failed, {seconds:.1f} s, "
          f"{n / seconds:.2f} articles/s (master {master})", file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
