"""cskit benchmarks: whole processes, side by side with what a user would use instead.

    python bench/run.py                      # the default set (about 6 minutes, plus data)
    python bench/run.py --quick              # small smoke run (100k rows, 1 repeat)
    python bench/run.py --cases aging-1m,help --repeat 5
    python bench/run.py --cases aging-10m    # 10M invoices: 1.1 GB of CSV, run on request
    python bench/run.py --list

Every case runs each command as a fresh process, alternating cskit with its
comparison (one untimed warm-up of each side, then --repeat timed rounds), and
reports the median wall time, the ratio cskit / comparison and the peak
resident memory of each child (``os.wait4``'s rusage, ru_maxrss). Input
files come from the deterministic generator (``python -m cskit.samples
--rows N``) into bench/data/ and are made only when missing; outputs and
logs go to bench/results/, with results.json and results.md for the run.
The aging cases also check that cskit's per-customer buckets equal the
DuckDB statement's to the cent.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
PY = sys.executable
AS_OF = "2026-10-31"
BUCKETS = ["outstanding", "not_due", "1-30", "31-60", "61-90", "91-180", "181+",
           "unapplied_credit"]


def cskit_argv() -> list[str]:
    script = Path(PY).with_name("cskit")
    return [str(script)] if script.exists() else [PY, "-m", "cskit"]


# --- data -------------------------------------------------------------------
def ensure_report_data() -> None:
    """The 500,000-row open-items table render-report is timed on: the first
    500,000 invoices of the 1M ledger aged with --detail (and the summary)."""
    ensure_data(1_000_000)
    if all((DATA / n).exists() for n in ("aging_500k.csv", "open_items_500k.csv")):
        return
    print("  aging 500,000 invoices for the render-report case …", file=sys.stderr, flush=True)
    with open(DATA / "invoices_1000000.csv", "rb") as src, \
            open(DATA / "invoices_500k.csv", "wb") as dst:
        for _ in range(500_001):
            dst.write(src.readline())
    for out, more in (("aging_500k.csv", []), ("open_items_500k.csv", ["--detail"])):
        subprocess.run(cskit_argv() + ["aging-report", str(DATA / "invoices_500k.csv"),
                                       "--as-of", AS_OF, "-q", "-o", str(DATA / out)] + more,
                       check=True, cwd=ROOT)


def ensure_data(rows: int, fmt: str = "csv") -> None:
    """Make the benchmark files for ``rows`` unless they exist (deterministic seed)."""
    if fmt == "report":
        return ensure_report_data()
    want = {"csv": f"invoices_{rows}.csv", "gb18030": f"invoices_{rows}_gbk.csv",
            "xlsx": f"invoices_{rows}.xlsx"}[fmt]
    others = [f"payments_{rows}.csv", f"customers_{rows}.csv", f"surveys_{rows}.csv",
              f"complaints_{rows}.csv", f"visit_customers_{rows}.csv", "org_2000.csv"]
    if (DATA / want).exists() and all((DATA / name).exists() for name in others):
        return
    print(f"  generating {rows:,} rows ({fmt}) into {DATA} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run([PY, "-m", "cskit.samples", "--rows", str(rows), "--out", str(DATA),
                    "--format", fmt], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    print(f"  … {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


# --- running one process ------------------------------------------------------
@dataclass
class Sample:
    wall: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds: steadier than wall time on a shared machine


def run_once(argv: list[str], log: Path, cwd: Path | None = None) -> Sample:
    """Run ``argv`` to completion; wall time and the child's own peak RSS."""
    with open(log, "ab") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=sink, cwd=cwd or ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"failed (exit {child.returncode}): {' '.join(argv)}\n"
                         f"see {log}:\n{log.read_text(errors='replace')[-2000:]}")
    return Sample(wall, usage.ru_maxrss / 1024,  # Linux: ru_maxrss is in KiB
                  usage.ru_utime + usage.ru_stime)


@dataclass
class Side:
    label: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    cwd: Path | None = None

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mb for s in self.samples)


@dataclass
class Case:
    name: str
    title: str
    prepare: list  # (rows, fmt) to generate first
    cskit: list[str]
    other: list[str] | None = None
    other_label: str = ""
    check: object = None  # callable() -> str, run after timing
    note: str = ""
    repeat: int | None = None  # overrides --repeat (e.g. the 10M case)
    more: list = field(default_factory=list)  # further comparisons: (label, argv)


BEFORE: Path | None = None  # --before REV: that version's tree, run beside this one


def before_argv(argv: list[str]) -> list[str] | None:
    """The same cskit command run from the --before tree (python -m cskit with
    that tree as the working folder, so its package is the one imported)."""
    if BEFORE is None or argv[:len(cskit_argv())] != cskit_argv():
        return None
    rest = list(argv[len(cskit_argv()):])
    for i, arg in enumerate(rest[:-1]):  # its own output file, beside ours
        if arg in ("-o", "--output"):
            out = Path(rest[i + 1])
            rest[i + 1] = str(out.with_name(f"{out.stem}.before{out.suffix}"))
    return [PY, "-m", "cskit"] + rest


def measure(case: Case, repeat: int, warmup: bool) -> dict:
    sides = [Side("cskit", case.cskit)]
    old = before_argv(case.cskit)
    if old is not None:
        sides.append(Side("before", old, cwd=BEFORE))
    if case.other:
        sides.append(Side(case.other_label, case.other))
    sides += [Side(label, argv) for label, argv in case.more]
    log = RESULTS / "logs" / f"{case.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_bytes(b"")
    if warmup and len(sides) > 1:  # the first run of each pays for the page cache alike
        for side in sides:
            run_once(side.argv, log, side.cwd)
    for _ in range(case.repeat or repeat):
        for side in sides:  # alternate, so drift on a shared machine hits both
            side.samples.append(run_once(side.argv, log, side.cwd))
    ours = sides[0]
    row = {"case": case.name, "title": case.title, "note": case.note,
           "runs": len(ours.samples),
           "cskit_s": round(ours.median, 3), "cskit_rss_mb": round(ours.rss),
           "cskit_cpu_s": round(ours.cpu, 3),
           "cskit_all_s": [round(s.wall, 3) for s in ours.samples]}
    if old is not None:
        before = sides[1]
        row.update({"before_s": round(before.median, 3), "before_rss_mb": round(before.rss),
                    "before_cpu_s": round(before.cpu, 3)})
    row["others"] = [{"label": side.label, "s": round(side.median, 3),
                      "rss_mb": round(side.rss), "cpu_s": round(side.cpu, 3),
                      "all_s": [round(s.wall, 3) for s in side.samples],
                      "ratio": round(ours.median / side.median, 2)}
                     for side in sides[1 + (old is not None):]]
    if case.check is not None:
        row["check"] = case.check()
    if old is not None:
        row["same_as_before"] = same_output(case.cskit, old)
    return row


def same_output(ours: list[str], theirs: list[str]) -> bool | None:
    """Whether this version and --before wrote the same bytes (None: no file)."""
    for flag in ("-o", "--output"):
        if flag in ours:
            a, b = Path(ours[ours.index(flag) + 1]), Path(theirs[theirs.index(flag) + 1])
            # a workbook holds its creation time, a page the minute it was made:
            # compare the cells, and the page but for that minute
            how = {".xlsx": "--same-cells", ".html": "--same-page"}.get(a.suffix)
            if how:
                done = subprocess.run([PY, str(HERE / "check.py"), how, str(a), str(b)],
                                      capture_output=True, text=True, cwd=ROOT)
                return done.returncode == 0
            # in blocks: reading whole outputs here would grow this runner, and
            # Linux carries its size at fork into every later child's peak RSS
            return a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)
    return None


# --- checks -----------------------------------------------------------------
def same_buckets(cskit_csv: Path, other_csv: Path) -> str:
    """bench/check.py in its own process (keeps this runner small, see run_once)."""
    done = subprocess.run([PY, str(HERE / "check.py"), str(cskit_csv), str(other_csv)],
                          capture_output=True, text=True, cwd=ROOT)
    return (done.stdout.strip() or done.stderr.strip().splitlines()[-1])


# --- the cases ----------------------------------------------------------------
def aging_case(name: str, rows: int, *, payments: bool = False, fmt: str = "csv",
               other: str = "duckdb", repeat: int | None = None) -> Case:
    source = {"csv": f"invoices_{rows}.csv", "gb18030": f"invoices_{rows}_gbk.csv",
              "xlsx": f"invoices_{rows}.xlsx"}[fmt]
    out = RESULTS / f"{name}.csv"
    argv = cskit_argv() + ["aging-report", str(DATA / source), "--as-of", AS_OF, "-q",
                           "-o", str(out)]
    pay = ["--payments", str(DATA / f"payments_{rows}.csv")] if payments else []
    argv += pay
    prepare = [(rows, fmt)] if fmt == "csv" else [(rows, "csv"), (rows, fmt)]
    what = f"aging-report, {rows:,} invoices" + (f" + {rows // 2:,} unallocated payments"
                                                  if payments else "")
    if other == "duckdb":
        duck_out = RESULTS / f"{name}.duckdb.csv"
        comparison = [PY, str(HERE / "duckdb_aging.py"), str(DATA / source), str(duck_out),
                      "--as-of", AS_OF] + pay
        more = [] if payments else [
            ("duckdb, bare (no allocation)",
             [PY, str(HERE / "duckdb_aging.py"), str(DATA / source),
              str(RESULTS / f"{name}.bare.csv"), "--as-of", AS_OF, "--bare"])]
        return Case(name, what + " (UTF-8 CSV)", prepare, argv, comparison,
                    "duckdb with FIFO (one SQL statement)",
                    check=lambda: same_buckets(out, duck_out), repeat=repeat, more=more)
    # the same ledger as UTF-8 CSV, through cskit: the cost of the format
    base = cskit_argv() + ["aging-report", str(DATA / f"invoices_{rows}.csv"), "--as-of",
                           AS_OF, "-q", "-o", str(RESULTS / f"{name}.utf8.csv")] + pay
    label = {"gb18030": "GB18030 CSV", "xlsx": "XLSX"}[fmt]
    return Case(name, f"{what} ({label})", prepare, argv, base, "cskit, same rows as UTF-8 CSV",
                check=lambda: same_buckets(out, RESULTS / f"{name}.utf8.csv"), repeat=repeat)


def all_cases(quick: bool) -> dict[str, Case]:
    big = 100_000 if quick else 1_000_000
    cases = [
        aging_case("aging-100k", 100_000),
        aging_case("aging-1m", 1_000_000),
        aging_case("aging-10m", 10_000_000, repeat=1),
        aging_case("aging-gb18030", big, fmt="gb18030", other="utf8"),
        aging_case("aging-xlsx", 100_000, fmt="xlsx", other="utf8"),
        aging_case("aging-payments-100k", 100_000, payments=True),
        aging_case("aging-payments", big, payments=True),
        Case("xlsx-detail", "aging-report --detail to XLSX, 100,000 invoices", [(100_000, "csv")],
             cskit_argv() + ["aging-report", str(DATA / "invoices_100000.csv"), "--as-of", AS_OF,
                             "--detail", "-q", "-o", str(RESULTS / "detail.xlsx")],
             cskit_argv() + ["aging-report", str(DATA / "invoices_100000.csv"), "--as-of", AS_OF,
                             "--detail", "-q", "-o", str(RESULTS / "detail.csv")],
             "cskit, the same to CSV"),
        Case("render-report", "render-report aging → HTML, 494,431 open items + 49,997 customers",
             [(0, "report")],
             cskit_argv() + ["render-report", "aging", str(DATA / "aging_500k.csv"),
                             str(DATA / "open_items_500k.csv"), "-q", "-o",
                             str(RESULTS / "aging_500k.html")]),
        Case("score-credit", f"score-credit, {big:,} customers", [(big, "csv")],
             cskit_argv() + ["score-credit", str(DATA / f"customers_{big}.csv"), "--as-of",
                             AS_OF, "-q", "-o", str(RESULTS / "credit.csv")]),
        Case("rollup-kpi", f"rollup-kpi, {big:,} surveys + {big:,} complaints, 2,000 staff",
             [(big, "csv")],
             cskit_argv() + ["rollup-kpi", "--org", str(DATA / "org_2000.csv"),
                             "--surveys", str(DATA / f"surveys_{big}.csv"),
                             "--complaints", str(DATA / f"complaints_{big}.csv"),
                             "--period", "2026-10", "-q", "-o", str(RESULTS / "kpi.csv")]),
        Case("visit-plan", "visit-plan, 100,000 customers, one month", [(100_000, "csv")],
             cskit_argv() + ["visit-plan", str(DATA / "visit_customers_100000.csv"),
                             "--from", "2026-11-01", "--to", "2026-11-30", "-q",
                             "-o", str(RESULTS / "visits.csv")]),
        Case("help", "cskit --help", [], cskit_argv() + ["--help"],
             [PY, "-c", "import click"], "python -c 'import click'"),
        Case("help-aging", "cskit aging-report --help", [],
             cskit_argv() + ["aging-report", "--help"],
             [PY, "-c", "import click"], "python -c 'import click'"),
    ]
    return {case.name: case for case in cases}


QUICK = ["aging-100k", "aging-payments-100k", "aging-gb18030", "score-credit", "rollup-kpi",
         "visit-plan", "help", "help-aging"]
DEFAULT = ["aging-100k", "aging-1m", "aging-gb18030", "aging-xlsx", "aging-payments-100k",
           "aging-payments", "xlsx-detail", "render-report", "score-credit", "rollup-kpi",
           "visit-plan", "help", "help-aging"]


# --- report -------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    # asked of a child: importing them here would inflate every child's peak RSS
    versions = subprocess.run([PY, str(HERE / "check.py"), "--versions"], capture_output=True,
                              text=True, cwd=ROOT).stdout.strip()
    return (f"{os.cpu_count()} CPU ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, {versions}"
            + (", PYTHONDONTWRITEBYTECODE=1" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))


def markdown(rows: list[dict]) -> str:
    before = any("before_s" in r for r in rows)
    lines = ["| case | cskit | CPU | peak RSS |"
             + (" before | its CPU | its RSS |" if before else "")
             + " comparison | its median | its RSS | ratio | check |",
             "|---|---:|---:|---:|" + ("---:|---:|---:|" if before else "")
             + "---|---:|---:|---:|---|"]
    for r in rows:
        others = r.get("others") or [None]
        for i, other in enumerate(others):
            cells = ([r["title"], f"{r['cskit_s']:.2f} s", f"{r['cskit_cpu_s']:.2f} s",
                      f"{r['cskit_rss_mb']} MB"] if i == 0 else ["″", "", "", ""])
            if before:
                cells += ([f"{r['before_s']:.2f} s", f"{r['before_cpu_s']:.2f} s",
                           f"{r['before_rss_mb']} MB"] if i == 0 and "before_s" in r
                          else ["", "", ""] if i else ["—", "—", "—"])
            if other is None:
                cells += ["—", "—", "—", "—"]
            else:
                cells += [other["label"], f"{other['s']:.2f} s", f"{other['rss_mb']} MB",
                          f"{other['ratio']:.2f}×"]
            check = r.get("check", "")
            if r.get("same_as_before") is not None:
                check = "; ".join(x for x in [check, "output identical to before"
                                              if r["same_as_before"] else
                                              "**output differs from before**"] if x)
            cells.append(check if i == 0 else "")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="cskit benchmarks (see bench/README.md)")
    parser.add_argument("--quick", action="store_true",
                        help="small smoke run: 100k rows, 1 round, no 1M/10M cases")
    parser.add_argument("--cases", help="comma-separated case names (see --list)")
    parser.add_argument("--repeat", type=int, help="timed rounds per case (default 3, quick 1)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first run")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--before", metavar="REV",
                        help="also run every cskit command as git revision REV had it "
                             "(a worktree in bench/results/before), alternating with this one")
    args = parser.parse_args(argv)

    cases = all_cases(args.quick)
    if args.list:
        for name, case in cases.items():
            print(f"{name:22} {case.title}" + ("  [default]" if name in DEFAULT else ""))
        return 0
    names = (args.cases.split(",") if args.cases else QUICK if args.quick else DEFAULT)
    unknown = [n for n in names if n not in cases]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; see --list")
    repeat = args.repeat or (1 if args.quick else 3)
    if subprocess.run([PY, "-c", "import duckdb"], capture_output=True).returncode:
        parser.error("duckdb is not installed: pip install -e '.[bench]'")

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.before:
        global BEFORE
        BEFORE = RESULTS / "before"
        if BEFORE.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(BEFORE)], cwd=ROOT,
                           capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(BEFORE), args.before],
                       cwd=ROOT, check=True, capture_output=True)
    print(f"machine: {machine()}", flush=True)
    started = time.perf_counter()
    rows = []
    for name in names:
        case = cases[name]
        for size, fmt in case.prepare:
            ensure_data(size, fmt)
        print(f"{name}: {case.title} …", end=" ", flush=True)
        row = measure(case, repeat, warmup=not args.no_warmup)
        rows.append(row)
        print(f"cskit {row['cskit_s']:.2f} s ({row['cskit_rss_mb']} MB)"
              + (f", before {row['before_s']:.2f} s ({row['before_rss_mb']} MB)"
                 if "before_s" in row else "")
              + "".join(f", {o['label']} {o['s']:.2f} s ({o['rss_mb']} MB), "
                        f"ratio {o['ratio']:.2f}×" for o in row["others"])
              + (f"; {row['check']}" if "check" in row else ""), flush=True)
    elapsed = time.perf_counter() - started
    table = markdown(rows)
    print()
    print(table)
    rounds = sorted({r["runs"] for r in rows})
    print(f"\n{len(rows)} cases, {'/'.join(map(str, rounds))} timed round(s) each, "
          f"{elapsed / 60:.1f} min")
    if BEFORE is not None:
        subprocess.run(["git", "worktree", "remove", "--force", str(BEFORE)], cwd=ROOT,
                       capture_output=True)
    (RESULTS / "results.json").write_text(json.dumps(
        {"machine": machine(), "repeat": repeat, "elapsed_s": round(elapsed, 1),
         "before": args.before, "cases": rows},
        ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS / "results.md").write_text(f"Machine: {machine()}\n\n{table}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
