"""Numbers and the results table: medians, p95s, targets, pass or miss."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


def p95(samples: Iterable[float]) -> float:
    """The 95th percentile by nearest rank (for 20 samples: the largest but one)."""
    data = sorted(samples)
    if not data:
        return math.nan
    return data[max(0, math.ceil(0.95 * len(data)) - 1)]


def median(samples: Iterable[float]) -> float:
    data = list(samples)
    return statistics.median(data) if data else math.nan


def timeit_ms(action: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock milliseconds of ``action()``, ``repeat`` times after ``warmup`` runs."""
    for _ in range(warmup):
        action()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


@dataclass
class Row:
    """One line of the table.

    ``rule`` says how ``limit`` is judged:
    - ``ratio_median``: our median / the baseline's median <= limit
    - ``ratio_p95``: our p95 / the baseline's p95 <= limit
    - ``excess_p95``: our p95 - the baseline's p95 <= limit (ms above the repaint)
    - ``excess_median``: our median - the baseline's median <= limit (MB of RSS)
    - ``report``: no target (reported beside its baseline)
    """

    name: str
    unit: str
    baseline_name: str
    baseline: list[float] = field(default_factory=list)
    ours: list[float] = field(default_factory=list)
    rule: str = "report"
    limit: float | None = None
    target: str = "—"
    note: str = ""
    skipped: str = ""  # why it was not measured

    def summary(self) -> dict[str, Any]:
        b_med, b_p95 = median(self.baseline), p95(self.baseline)
        o_med, o_p95 = median(self.ours), p95(self.ours)
        compare = None
        if not self.skipped and self.ours and self.baseline:
            compare = {
                "ratio_median": o_med / b_med if b_med else math.inf,
                "ratio_p95": o_p95 / b_p95 if b_p95 else math.inf,
                "excess_p95": o_p95 - b_p95,
                "excess_median": o_med - b_med,
                "report": o_med / b_med if b_med else math.inf,
            }[self.rule]
        if self.skipped:
            verdict = "not measured"
        elif self.rule == "report" or self.limit is None:
            verdict = "info"
        else:
            verdict = "pass" if compare is not None and compare <= self.limit else "MISS"
        data = asdict(self)
        data.update(baseline_median=b_med, baseline_p95=b_p95, ours_median=o_med,
                    ours_p95=o_p95, n=len(self.ours), n_baseline=len(self.baseline),
                    compare=compare, verdict=verdict)
        return data


def _num(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _compare_text(s: dict[str, Any]) -> str:
    c = s["compare"]
    if c is None:
        return "—"
    if s["rule"].startswith("excess"):
        return ("+" if c >= 0 else "−") + _num(abs(c), s["unit"])
    return f"{c:.2f}×"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (it reads in a terminal too)."""
    head = ("measurement", "baseline (median)", "ours median", "ours p95", "n",
            "ratio / above baseline", "target", "result")
    lines = []
    for row in rows:
        s = row.summary()
        if row.skipped:
            lines.append((row.name, row.baseline_name, "—", "—", "0", "—", row.target,
                          f"not measured: {row.skipped}"))
            continue
        base = f"{_num(s['baseline_median'], row.unit)} ({row.baseline_name})"
        lines.append((row.name, base, _num(s["ours_median"], row.unit),
                      _num(s["ours_p95"], row.unit), str(s["n"]), _compare_text(s),
                      row.target, s["verdict"]))
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    return "\n".join(out)
