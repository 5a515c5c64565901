"""Progress of an iterative assignment: one log line per iteration and an optional progress bar."""

from __future__ import annotations

import logging
import math
from typing import Any

__all__ = ["Monitor"]

logger = logging.getLogger("amur.assign")


class Monitor:
    """Log each iteration's relative gap, and show a rich progress bar when asked.

    Parameters
    ----------
    algorithm : str
        Name shown in messages.
    target_gap : float
        The relative gap that ends the run; the bar measures progress towards it on a log scale.
    max_iterations : int
        The iteration limit.
    progress : bool, default False
        Show a rich progress bar on the terminal.
    """

    def __init__(
        self, algorithm: str, target_gap: float, max_iterations: int, progress: bool = False
    ) -> None:
        self.algorithm = algorithm
        self.target = max(target_gap, 1e-300)
        self.max_iterations = max_iterations
        self._progress: Any = None
        self._task: Any = None
        if progress:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
            )
            self._progress.start()
            self._task = self._progress.add_task(algorithm, total=1.0, status="")

    def update(self, iteration: int, gap: float, seconds: float) -> None:
        """Record one iteration: its relative gap and the seconds since the start."""
        logger.info(
            "%s iteration %d: relative gap %.3e after %.2f s",
            self.algorithm,
            iteration,
            gap,
            seconds,
        )
        if self._progress is not None:
            done = 0.0
            if gap > 0 and math.isfinite(gap):
                done = min(1.0, max(0.0, math.log10(gap) / math.log10(self.target)))
            else:
                done = 1.0
            done = max(done, iteration / max(self.max_iterations, 1))
            self._progress.update(
                self._task, completed=done, status=f"it {iteration}  gap {gap:.2e}"
            )

    def close(self) -> None:
        """Stop the progress bar, if any."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
