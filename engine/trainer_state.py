"""TrainerState: everything a Trainer needs to go on exactly where it stopped.

The compiled kernel and numpy agree to ~1e-14, not bit for bit, so a resumed run must not
recompute anything: the state holds the last evaluation (error, ∂E/∂θ, deltas, outputs) as
well as θ, and ``Trainer.restore`` puts them back as they were.
"""

from dataclasses import dataclass

import numpy as np

from engine.history import HistoryState
from engine.layout import NetworkLayout


@dataclass(frozen=True)
class TrainerState:
    """Read-only copies of a Trainer's state, rows in ``engine.layout`` order.

    status: an ``engine.trainer.Status`` (a str); parameters (P,) θ; gradients (P,) ∂E/∂θ at
    θ; deltas (D,) the per-sample deltas; outputs (D,) every layer's (4, n) outputs h_1 … ŷ
    (the inputs are the gate's); history: the recorded points.
    """

    iteration: int
    status: str
    error: float
    parameters: np.ndarray
    gradients: np.ndarray
    deltas: np.ndarray
    outputs: np.ndarray
    history: HistoryState

    def check(self, layout: NetworkLayout):
        """Raise ValueError unless this is a state of ``layout``'s network that training
        could have reached (a whole iteration >= 0, finite error and θ)."""
        iteration = self.iteration
        if isinstance(iteration, bool) or not isinstance(iteration, int) or iteration < 0:
            raise ValueError(f"iteration must be a whole number >= 0 (got {iteration!r})")
        sizes = "-".join(map(str, layout.layer_sizes))
        for name, length in (("parameters", layout.n_parameters),
                             ("gradients", layout.n_parameters),
                             ("deltas", layout.n_deltas), ("outputs", layout.n_deltas)):
            if np.shape(getattr(self, name)) != (length,):
                raise ValueError(f"{name} has shape {np.shape(getattr(self, name))}, expected "
                                 f"({length},) for a {sizes} network")
        # Only θ and the error are finite by construction: ∂E/∂θ may overflow one update
        # before a divergence, and such a state must still load.
        if not (np.isfinite(self.error) and np.all(np.isfinite(self.parameters))):
            raise ValueError("the error or the parameters hold a non-finite value")
        self.history.check(layout.n_parameters, layout.n_deltas)
