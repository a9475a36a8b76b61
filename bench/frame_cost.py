"""Cost of one Frame, flat with the history's length.

    python bench/frame_cost.py

For the tutorial network and for hidden 16,16,16,16 (881 parameters), after 1,000 updates and
after 2,000,000, times ``TrainingSession.frame()`` (the decision map cached, as between two
refreshes while playing, and with the map recomputed) against the reference measured in the
same run: a snapshot copying the whole recorded history, which is what every frame cost
before sessions existed. Best and median of ROUNDS interleaved rounds. A benchmark, not a
test. Target: the tutorial's frame under 1 ms, and no growth from 1,000 to 2,000,000.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from engine.config import PRESETS  # noqa: E402
from engine.session import TrainingSession  # noqa: E402
from engine.view_settings import ViewSettings  # noqa: E402

ROUNDS = 30
ITERATIONS = (1_000, 2_000_000)
#: Never converges, so that the history keeps halving its resolution for the whole run.
ENDLESS = dict(target_error=1e-300, max_iterations=10**8)
NETWORKS = {"tutorial 2-2-1": (2,), "hidden 16,16,16,16": (16, 16, 16, 16)}


def seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def measure(session: TrainingSession) -> dict:
    """Interleaved rounds of: a frame while playing (the map cached, as between two
    refreshes), a frame after one more update while paused (the map recomputed), and the
    old whole-history snapshot."""
    times = {"frame": [], "frame + map": [], "old snapshot": []}
    for _ in range(ROUNDS):
        session.play()
        session.frame()
        times["frame"].append(seconds(session.frame))
        session.step(1)  # pauses: the next frame draws this network's map
        times["frame + map"].append(seconds(session.frame))
        times["old snapshot"].append(seconds(lambda: session.trainer.snapshot(with_history=True)))
    return {name: np.array(values) * 1000 for name, values in times.items()}


def main() -> int:
    print(f"best (median) of {ROUNDS} rounds, ms per frame")
    print(f"{'network':20} {'updates':>10} {'frame':>15} {'frame + map':>15} "
          f"{'old snapshot':>15} {'old/frame':>10}")
    for name, hidden in NETWORKS.items():
        config = PRESETS["tutorial"].replace(hidden=hidden, **ENDLESS)
        session = TrainingSession(config, ViewSettings(speed=None))
        session.warm_up()
        for iterations in ITERATIONS:
            session.step(iterations - session.iteration)
            times = measure(session)
            cells = [f"{t.min():6.3f} ({np.median(t):6.3f})" for t in times.values()]
            ratio = np.median(times["old snapshot"]) / np.median(times["frame"])
            print(f"{name:20} {iterations:>10,} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15} "
                  f"{ratio:>9.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
