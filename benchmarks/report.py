"""The results as a table on the terminal and as the block of RESULTS.md (which the writer replaces)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import growth
from benchmarks.growth import fmt
from benchmarks.measures.markdown import MARKDOWN_SQL
from benchmarks.plans import plan_tree, short_sql
from benchmarks.results import Result

BEGIN = "<!-- benchmark-results:begin (written by benchmarks/run.py --write-results; edits inside are lost) -->"
END = "<!-- benchmark-results:end -->"


def print_table(results: list[Result]) -> None:
    header = ("measure", "ours", "p95", "reference", "ratio", "goal", "")
    rows = [header] + [
        (r.label, r.show(r.ours), r.show(r.ours_p95), r.show(r.reference),
         fmt(r.ratio) + "x" if r.ratio is not None else "—", r.goal_text, r.verdict)
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    for r in results:
        if r.error:
            print(f"\n{r.label}: {r.error}")


def results_block(results: list[Result], info: dict[str, str], command: str, started: str, seconds: float,
                  chart: str = "") -> str:
    """The block of RESULTS.md: a table and the goals for each size, then, for several sizes,
    the growth table and ``chart`` (its path, relative to the results file)."""
    sizes = sorted({r.size for r in results})
    lines = [
        BEGIN,
        "",
        f"Run of {started}, {seconds / 60:.0f} min:" if seconds >= 120 else f"Run of {started}, {seconds:.0f} s:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- machine: {info['cpu']}, {info['ram']} RAM, {info['os']}; load average at the start {info['load_start']}, "
        f"at the end {info['load_end']}",
        f"- software: Python {info['python']}, SQLite {info['sqlite']}, Textual {info['textual']}, Rich {info['rich']}, "
        f"sqlite-utils {info['sqlite-utils']}",
        f"- code measured: tracker/ and db/migrations/ digest {info['code_start']}"
        + ("" if info["code_end"] == info["code_start"] else
           f" at the start, **{info['code_end']} at the end: the code changed during the run** "
           f"({info.get('code_changed', '')}), so some figures measure the one and some the other"),
        *([f"- runs: {info['schedule']}"] if info.get("schedule") else []),
        "",
    ]
    for size in sizes:
        if len(sizes) > 1:
            lines += ([] if size == sizes[0] else [""]) + [f"#### {size:,} positions", ""]
        lines += size_section([r for r in results if r.size == size])
    if len(sizes) > 1:
        lines += ["", *growth.growth_section(results, sizes, chart)]
    last = [r for r in results if r.size == sizes[-1]]
    schedule = "" if len(sizes) == 1 else f" (at {sizes[-1]:,} positions; the same at each size, on that size's file)"
    lines += ["", f"How each was measured{schedule}:", ""]
    described: dict[tuple[str, str, str], list[Result]] = {}
    for r in last:
        if not r.error:
            described.setdefault((r.ours_command, r.reference_command, r.note), []).append(r)
    for (ours, reference, note), group in described.items():
        if not ours:
            continue  # skipped
        labels = "; ".join(r.label for r in group)
        samples = ", ".join(str(r.samples) for r in group)
        what = "statement" if group[0].goal == "zero" else "sample"
        lines.append(f"- {labels} ({samples} {what if samples == '1' else what + 's'}): ours `{ours}`"
                     + (f"; reference `{reference}`" if reference else "") + f". {note[:1].upper() + note[1:]}.")  # fmt: skip
    if any(r.measure == "markdown" for r in results):
        lines += ["", "The markdown reference's query:", "", "```sql", MARKDOWN_SQL, "```"]
    for r in last:
        if r.measure == "plans" and r.plans:
            lines += ["", *plans_section(r)]
    lines += ["", END]
    return "\n".join(lines)


def size_section(results: list[Result]) -> list[str]:
    """The table of one size's results and what each says of its goal."""
    lines = [
        "| measure | ours (median) | ours p95 | reference (median) | ratio | goal | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        lines.append(f"| {r.label} | {r.show(r.ours)} | {r.show(r.ours_p95)} | {r.show(r.reference)} | {ratio} "
                     f"| {r.goal_text} | {r.verdict} |")  # fmt: skip
    lines += ["", "Goals:", ""]
    for r in results:
        if r.error or r.skipped:
            lines.append(f"- {r.label}: not measured ({(r.error or r.skipped).splitlines()[0][:200]})")
            continue
        spread = f" (p95 {fmt(r.ours_p95, r.unit)})" if r.ours_p95 is not None else ""
        if r.goal == "none":
            lines.append(f"- {r.label}: no goal, for context: median {fmt(r.ours, r.unit)}{spread}.")
            continue
        if r.goal == "zero":
            lines.append(f"- {r.label}: **{r.verdict}**, {r.show(r.ours)} of {r.samples} against a goal of none.")
            continue
        if r.goal == "under":
            how = f"median {fmt(r.ours, r.unit)}{spread} against a goal of under {r.target:g} {r.unit}"
        elif r.goal == "p95-under":
            how = f"p95 {fmt(r.ours_p95, r.unit)} (median {fmt(r.ours, r.unit)}) against a goal of a p95 under {r.target:g} {r.unit}"
        else:
            how = f"{fmt(r.ratio)}x the reference against a goal of {r.target:g}x" if r.ratio is not None else "no reference"
        lines.append(f"- {r.label}: **{r.verdict}**, {how}.")
    return lines


def plans_section(r: Result) -> list[str]:
    """The "Query plans" section of the results: what each statement serves, its SQL and its plan."""
    lines = [
        "### Query plans",
        "",
        f"`EXPLAIN QUERY PLAN` of each statement that the interface and the markdown export run, recorded from the "
        f"code as it ran on the file (`{r.ours_command}`, read-only), its parameters inlined; a statement shown for "
        "one read is not shown again for the next. A statement that scans the positions table without an index is "
        "marked; tests/test_query_plans.py fails on one that is not intended, or on a read of positions that stops "
        "using its index.",
    ]
    for p in r.plans:
        scans = p.full_scans
        mark = ""
        if scans:
            mark = f" Full scan, intended: {p.scan}." if p.scan else " **Full scan of the positions table.**"
        lines += ["", f"{p.name}: `{p.call}`.{mark}", "", "```text", short_sql(p.sql), *plan_tree(p.plan), "```"]
    return lines


def write_results(path: Path, block: str) -> None:
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = "# Benchmark results\n\nWritten by `benchmarks/run.py --write-results`.\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
