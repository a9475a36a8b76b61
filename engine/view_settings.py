"""ViewSettings: how a run is shown (speed, heatmap interval, smoothing, deltas), validated;
a session holds them and a session file keeps them."""

import math
from dataclasses import dataclass

#: The view settings' limits (the controls offer exactly these).
MAX_GRID_EVERY = 1_000_000
MAX_SMOOTHING = 0.99


@dataclass(frozen=True)
class ViewSettings:
    """How the run is shown: ``speed`` in updates per second (None: as fast as possible),
    the decision map's refresh interval in iterations, the error curve's EWMA weight and
    whether the gradient panel shows the per-sample deltas."""

    #: ≈ 31,600 updates/s: the tutorial's run takes ~12 s to watch.
    speed: float | None = 10 ** 4.5
    grid_every: int = 1000
    smoothing: float = 0.6
    show_deltas: bool = False

    def __post_init__(self):
        speed = self.speed
        if speed is not None and (isinstance(speed, bool) or not isinstance(speed, (int, float))
                                  or not math.isfinite(speed) or speed <= 0):
            raise ValueError(f"speed must be a finite number of updates per second > 0, or "
                             f"None for unlimited (got {speed!r})")
        if (isinstance(self.grid_every, bool) or not isinstance(self.grid_every, int)
                or not 1 <= self.grid_every <= MAX_GRID_EVERY):
            raise ValueError(f"grid_every must be a whole number from 1 to {MAX_GRID_EVERY:,} "
                             f"(got {self.grid_every!r})")
        smoothing = self.smoothing
        if (isinstance(smoothing, bool) or not isinstance(smoothing, (int, float))
                or not 0.0 <= smoothing <= MAX_SMOOTHING):
            raise ValueError(f"smoothing must be a number from 0 to {MAX_SMOOTHING} (got "
                             f"{smoothing!r})")
        if not isinstance(self.show_deltas, bool):
            raise ValueError(f"show_deltas must be true or false (got {self.show_deltas!r})")
