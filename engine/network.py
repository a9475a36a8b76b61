"""The network's maths: initial parameters, forward pass, loss, deltas and gradients.

A network is a list of layers from input to output, each a pair (w, b) with w of shape
(n_in, n_out) and b of shape (1, n_out). Hidden layers use the configured activation; the
output layer is always one sigmoid unit.
"""

import numpy as np

from engine.activations import ACTIVATIONS, sigmoid, sigmoid_derivative


def init_layers(layer_sizes, init, rng: np.random.RandomState):
    """Draw the starting parameters from ``rng``, layer by layer from input to output.

    Each layer draws its weight matrix (n_in, n_out), then its bias row (1, n_out), so that
    seed 42 with "uniform" gives the tutorial's w_hidden, b_hidden, w_output, b_output.
    "uniform": U[0, 1) for both. "xavier": w ~ U[−a, a], a = √(6 / (n_in + n_out)), b = 0.
    """
    layers = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        if init == "uniform":
            w = rng.random_sample((n_in, n_out))
            b = rng.random_sample((1, n_out))
        else:
            limit = np.sqrt(6.0 / (n_in + n_out))
            w = rng.uniform(-limit, limit, (n_in, n_out))
            b = np.zeros((1, n_out))
        layers.append((w, b))
    return layers


def forward(layers, x, activation):
    """Return the outputs of every layer, input first: [x, h_1, …, ŷ].

    a_l = h_{l−1} · w_l + b_l, h_l = f(a_l) for hidden layers and ŷ = σ(a_L) at the output.
    """
    hidden_fn = ACTIVATIONS[activation][0]
    outputs = [x]
    for index, (w, b) in enumerate(layers):
        a = outputs[-1] @ w + b  # (4, n_out)
        is_output = index == len(layers) - 1
        outputs.append(sigmoid(a) if is_output else hidden_fn(a))
    return outputs


def pre_activations(layers, outputs):
    """Every layer's input before its activation, a_l = h_{l−1} · w_l + b_l, from the
    outputs of ``forward`` ([x, h_1, …, ŷ]): [a_1, …, a_L]."""
    return [h_prev @ w + b for h_prev, (w, b) in zip(outputs[:-1], layers)]


def output_logit(layers, outputs):
    """a_L, the output unit's input before the sigmoid, recomputed from the last hidden layer."""
    w, b = layers[-1]
    return outputs[-2] @ w + b  # (4, 1)


def per_sample_loss(y, y_pred, logit, loss):
    """Loss of each sample, shape (4, 1).

    mse: ½(y − ŷ)². cross-entropy: −[y ln ŷ + (1 − y) ln(1 − ŷ)], evaluated from the logit a
    as softplus(a) − y·a, which equals it exactly and never takes ln(0).
    """
    if loss == "mse":
        return 0.5 * (y - y_pred) ** 2
    softplus = np.logaddexp(0.0, logit)
    return softplus - y * logit


def mean_error(y, y_pred, logit, loss):
    """E = mean over the four samples of the per-sample loss (the number the tutorial prints)."""
    return float(per_sample_loss(y, y_pred, logit, loss).mean())


def output_delta(y, y_pred, loss):
    """δ_L = ∂(per-sample loss)/∂a_L, shape (4, 1).

    mse: (ŷ − y)·ŷ(1 − ŷ), the tutorial's grad_output. cross-entropy: ŷ − y (the sigmoid's
    derivative cancels).
    """
    if loss == "mse":
        return (y_pred - y) * sigmoid_derivative(y_pred)
    return y_pred - y


def backward(layers, outputs, y, activation, loss):
    """Per-sample deltas of every layer, input side first: [δ_1, …, δ_L].

    δ_l = (δ_{l+1} · w_{l+1}ᵀ) ⊙ f'(h_l), as the tutorial's grad_hidden.
    """
    derivative = ACTIVATIONS[activation][1]
    deltas = [output_delta(y, outputs[-1], loss)]
    for index in range(len(layers) - 1, 0, -1):
        w_next = layers[index][0]
        deltas.append((deltas[-1] @ w_next.T) * derivative(outputs[index]))
    deltas.reverse()
    return deltas


def gradients(outputs, deltas):
    """∂E_sum/∂θ for every layer as (dw, db), E_sum the loss summed over samples.

    ∂E/∂w_l = h_{l−1}ᵀ · δ_l and ∂E/∂b_l = Σ_samples δ_l (as the tutorial: no division by 4).
    """
    return [
        (h_prev.T @ delta, delta.sum(axis=0, keepdims=True))
        for h_prev, delta in zip(outputs[:-1], deltas)
    ]


def bias_steps(grads, deltas, bias_update):
    """The direction each bias moves in (before the learning rate).

    "per-neuron": its own gradient. "summed": the sum of *all* the layer's deltas, the same
    for every bias of the layer, as the tutorial's full script does.
    """
    if bias_update == "per-neuron":
        return [db for _, db in grads]
    return [np.full_like(db, delta.sum()) for (_, db), delta in zip(grads, deltas)]


def predict(layers, x, activation):
    """ŷ for inputs x of shape (n, 2): shape (n, 1)."""
    return forward(layers, x, activation)[-1]
