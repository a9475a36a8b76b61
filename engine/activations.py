"""Activation functions, each with its derivative written in terms of its own output h."""

import numpy as np


def sigmoid(a):
    """σ(a) = 1 / (1 + e^(−a)).

    Written exactly as the tutorial so that its run is reproduced to the last bit; e^(−a)
    overflowing to inf for a < −709 correctly gives 0, so that warning is silenced.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def sigmoid_derivative(h):
    """σ'(a) = σ(a)(1 − σ(a)) = h(1 − h)."""
    return h * (1.0 - h)


def tanh(a):
    """tanh(a)."""
    return np.tanh(a)


def tanh_derivative(h):
    """tanh'(a) = 1 − tanh²(a) = 1 − h²."""
    return 1.0 - h * h


def relu(a):
    """max(0, a)."""
    return np.maximum(a, 0.0)


def relu_derivative(h):
    """relu'(a) = 1 where h > 0, else 0."""
    return (h > 0.0).astype(h.dtype)


#: name -> (function, derivative from output)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
}
