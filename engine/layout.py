"""Where a network's numbers sit in its flat rows, for layer sizes (n_0, n_1, …, n_L).

θ, and ∂E/∂θ in the same order, is one row: layer by layer from the input side, each w_l
(n_{l−1}, n_l) row-major, then b_l (1, n_l); P = Σ_l n_l·(n_{l−1} + 1) entries (9 for the
tutorial's 2-2-1, 881 for 2-16-16-16-16-1). The per-sample deltas δ_1 … δ_L, and the outputs
h_1 … ŷ, are each layer's (4, n_l) raveled one after the other: D = 4·Σ_l n_l entries (12 and
260). The history's columns, the compiled kernel and the parameter views all follow this.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from engine.datasets import INPUTS

#: Rows of every pass: each gate has the four samples of INPUTS.
N_SAMPLES = len(INPUTS)


def flatten(pairs) -> np.ndarray:
    """One row of every array in ``pairs``, in order, each raveled row-major: θ from the
    layers [(w, b), …], ∂E/∂θ from the gradients, the deltas row from [deltas]."""
    return np.concatenate([part.ravel() for pair in pairs for part in pair])


def parameter_groups(layer_sizes) -> list[tuple[int, str]]:
    """(layer index, "w" or "b") for every entry of θ, layer 0 the first hidden."""
    groups = []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        groups += [(layer, "w")] * (n_in * n_out) + [(layer, "b")] * n_out
    return groups


def parameter_names(layer_sizes) -> list[str]:
    """A name for every entry of θ, as the tutorial writes them: w_hidden[i,j] joins input
    i to hidden unit j, b_hidden[j] is unit j's bias; deeper networks number their hidden
    layers from the input side (w_hidden1, w_hidden2, …); the last layer is w_output."""
    n_layers = len(layer_sizes) - 1
    names = []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        role = ("output" if layer == n_layers - 1 else
                "hidden" if n_layers == 2 else f"hidden{layer + 1}")
        names += [f"w_{role}[{i},{j}]" for i in range(n_in) for j in range(n_out)]
        names += [f"b_{role}[{j}]" for j in range(n_out)]
    return names


def delta_groups(layer_sizes) -> list[int]:
    """The layer index of every entry of the deltas row, layer 0 the first hidden."""
    return [layer for layer, n in enumerate(layer_sizes[1:]) for _ in range(N_SAMPLES * n)]


class Offsets(NamedTuple):
    """Where each layer starts in the flat rows (read-only int64; L = the number of weight
    layers). The compiled kernel takes this as its network's shape."""

    sizes: np.ndarray  # (L + 1,) n_0 … n_L
    param_at: np.ndarray  # (L + 1,) w_l's start in θ, b_l n_{l−1}·n_l later; last = P
    output_at: np.ndarray  # (L + 2,) layer l's (4, n_l) in [x, h_1, …, ŷ]; last = 4·Σ n
    delta_at: np.ndarray  # (L + 1,) δ_l's (4, n_l) in the deltas row; last = D


def _offsets(layer_sizes) -> Offsets:
    sizes = np.array(layer_sizes, dtype=np.int64)
    param_at = np.zeros(len(sizes), np.int64)
    output_at = np.zeros(len(sizes) + 1, np.int64)
    delta_at = np.zeros(len(sizes), np.int64)
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        param_at[layer + 1] = param_at[layer] + n_in * n_out + n_out
        delta_at[layer + 1] = delta_at[layer] + N_SAMPLES * n_out
    for layer, n in enumerate(sizes):
        output_at[layer + 1] = output_at[layer] + N_SAMPLES * n
    offsets = Offsets(sizes, param_at, output_at, delta_at)
    for array in offsets:
        array.setflags(write=False)  # one layout is shared by every run of its shape
    return offsets


@dataclass(frozen=True)
class NetworkLayout:
    """The flat layout of the network with ``layer_sizes`` (n_0, …, n_L), input first."""

    layer_sizes: tuple[int, ...]
    offsets: Offsets = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        sizes = tuple(int(n) for n in self.layer_sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer sizes must be two or more positive counts (got {sizes})")
        object.__setattr__(self, "layer_sizes", sizes)
        object.__setattr__(self, "offsets", _offsets(sizes))

    @property
    def n_parameters(self) -> int:
        """P, the length of θ and of ∂E/∂θ."""
        return int(self.offsets.param_at[-1])

    @property
    def n_deltas(self) -> int:
        """D, the length of the deltas row."""
        return int(self.offsets.delta_at[-1])

    @property
    def n_outputs(self) -> int:
        """The length of the outputs row [x, h_1, …, ŷ], the inputs' 4·n_0 included."""
        return int(self.offsets.output_at[-1])

    def _shapes(self):
        return zip(self.layer_sizes[:-1], self.layer_sizes[1:])

    def unflatten(self, vector) -> list:
        """The inverse of ``flatten`` for θ or ∂E/∂θ: copies [(w (n_in, n_out), b (1, n_out)),
        …]."""
        pairs = []
        for w_at, (n_in, n_out) in zip(self.offsets.param_at, self._shapes()):
            b_at = w_at + n_in * n_out
            pairs.append((vector[w_at:b_at].reshape(n_in, n_out).copy(),
                          vector[b_at:b_at + n_out].reshape(1, n_out).copy()))
        return pairs

    def split_layers(self, vector) -> list:
        """Copies of each layer's (4, n_l) from the deltas row, or from the outputs row after
        the inputs."""
        at = self.offsets.delta_at
        return [vector[at[layer]:at[layer + 1]].reshape(N_SAMPLES, n).copy()
                for layer, n in enumerate(self.layer_sizes[1:])]

    def check(self, layers):
        """Raise ValueError unless ``layers`` are finite (w, b) arrays of this layout's shapes."""
        expected = list(self._shapes())
        if len(layers) != len(expected):
            raise ValueError(f"expected {len(expected)} layers, found {len(layers)}")
        for index, ((w, b), (n_in, n_out)) in enumerate(zip(layers, expected)):
            for name, array, shape in (("w", w, (n_in, n_out)), ("b", b, (1, n_out))):
                if np.shape(array) != shape:
                    raise ValueError(
                        f"layer {index} {name} has shape {np.shape(array)}, expected {shape}"
                    )
                if not np.all(np.isfinite(array)):
                    raise ValueError(f"layer {index} {name} holds a non-finite value")
