"""Throughput and memory benchmarks of the Python package, printed as JSON on stdout.

    python crates/unspin-py/bench/throughput.py [--articles N] [--jobs J] [--no-spark]
    python crates/unspin-py/bench/throughput.py --memory [N]

Without ``--memory`` it measures, over the same N records (default: the PTC train texts of
the shared data repeated to 2,000, ids made unique):

(a) ``unspin.analyze_many(records, jobs=J)`` against ``unspin analyze --format jsonl
    --jobs J --quiet`` over the same records as a JSONL file (wall time with
    ``time.perf_counter`` around the whole run, the CLI's JSON read and dropped), and their
    ratio (the issue asks for >= 0.9);
(b) the Spark example (examples/spark/analyze_corpus.py, local[2]) over that JSONL file,
    JVM start and Parquet writing included.

With ``--memory N`` (default 100,000) it calls ``unspin.analyze(text=...)`` N times in this
process, rotating over the texts, and prints the resident set size (VmRSS of
/proc/self/status) every 10,000 calls and its growth from the 10,000th call to the last.

The shared data: ``$UNSPIN_SHARED``, else ``../shared`` beside the repository. The CLI:
``$UNSPIN_BIN``, else target/release/unspin, else target/debug/unspin.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import unspin

ROOT = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    env = os.environ.get("UNSPIN_SHARED")
    d = Path(env) if env else ROOT.parent / "shared"
    if not d.is_dir():
        sys.exit(f"throughput: no shared data at {d} (set UNSPIN_SHARED)")
    return d


def cli_binary() -> str:
    env = os.environ.get("UNSPIN_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "unspin"
        if p.is_file():
            return str(p)
    sys.exit("throughput: no unspin binary (cargo build --release -p unspin-cli, or UNSPIN_BIN)")


def texts(shared: Path) -> List[str]:
    files = sorted((shared / "data" / "ptc-train" / "articles").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def records(shared: Path, n: int) -> List[Dict[str, Any]]:
    """``n`` records rotating over the PTC texts, each with its own id."""
    t = texts(shared)
    return [{"id": f"a{i}", "text": t[i % len(t)]} for i in range(n)]


def rss_kib() -> int:
    """The resident set size of this process, in KiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def throughput(args: argparse.Namespace) -> Dict[str, Any]:
    recs = records(shared_dir(), args.articles)
    chars = sum(len(r["text"]) for r in recs)
    tmp = Path(tempfile.mkdtemp(prefix="unspin-bench-"))
    try:
        src = tmp / "corpus.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

        # (a) The Python batch API: every result materialised as its JSON text, as a
        # caller writing JSONL would.
        t0 = time.perf_counter()
        ok = sum(1 for a in unspin.analyze_many(recs, jobs=args.jobs) if a and a.to_json())
        py_s = time.perf_counter() - t0
        assert ok == len(recs), f"{len(recs) - ok} records failed"

        t0 = time.perf_counter()
        subprocess.run([cli_binary(), "analyze", "--format", "jsonl", "--jobs", str(args.jobs),
                        "--quiet", str(src)], check=True, stdout=subprocess.DEVNULL)
        cli_s = time.perf_counter() - t0

        result: Dict[str, Any] = {
            "articles": len(recs), "chars": chars, "jobs": args.jobs,
            "analyze_many": {"seconds": round(py_s, 2),
                             "articles_per_s": round(len(recs) / py_s, 2)},
            "cli": {"seconds": round(cli_s, 2), "articles_per_s": round(len(recs) / cli_s, 2)},
            "analyze_many_over_cli": round(cli_s / py_s, 3),
        }

        # (b) Spark local[2] through the example script.
        if not args.no_spark:
            script = ROOT / "examples" / "spark" / "analyze_corpus.py"
            t0 = time.perf_counter()
            run = subprocess.run([sys.executable, str(script), str(src), str(tmp / "out")],
                                 capture_output=True, text=True)
            spark_s = time.perf_counter() - t0
            if run.returncode != 0:
                sys.exit(f"throughput: the Spark example failed:\n{run.stderr[-3000:]}")
            result["spark_local2"] = {
                "seconds": round(spark_s, 2), "articles_per_s": round(len(recs) / spark_s, 2),
                "summary": run.stderr.strip().splitlines()[-1],
            }
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def memory(n: int) -> Dict[str, Any]:
    t = texts(shared_dir())
    samples = []
    t0 = time.perf_counter()
    for i in range(1, n + 1):
        unspin.analyze(text=t[i % len(t)])
        if i % 10_000 == 0 or i == n:
            samples.append({"calls": i, "rss_kib": rss_kib(),
                            "seconds": round(time.perf_counter() - t0, 1)})
            print(json.dumps(samples[-1]), file=sys.stderr, flush=True)  # progress
    first = next((s for s in samples if s["calls"] == 10_000), samples[0])
    return {"calls": n, "seconds": round(time.perf_counter() - t0, 1), "rss": samples,
            "growth_kib_from_10000th_call": samples[-1]["rss_kib"] - first["rss_kib"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="records for (a) and (b)")
    ap.add_argument("--jobs", type=int, default=2, help="threads of analyze_many and the CLI")
    ap.add_argument("--no-spark", action="store_true", help="skip (b)")
    ap.add_argument("--memory", type=int, nargs="?", const=100_000, default=None,
                    metavar="N", help="run the memory test with N calls (default 100,000)")
    args = ap.parse_args()
    out = memory(args.memory) if args.memory is not None else throughput(args)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
