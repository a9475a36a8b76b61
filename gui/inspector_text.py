"""What the backprop inspector writes: the tutorial's formulas for a network, numbers
formatted compactly, which rows a step computed, and the hint under the buttons. Plain
text from the frame's values; no Qt."""

import numpy as np

MISSING = "—"
BATCH = "whole batch"
#: The hidden layers' activation f(a) and its derivative written with f's output, as
#: engine.activations computes them.
ACTIVATIONS = {"sigmoid": ("σ({})", "{0}(1 − {0})"), "tanh": ("tanh({})", "(1 − {0}²)"),
               "relu": ("max(0, {})", "[{0} > 0]")}
LOSSES = {"mse": ("E = ½(y − ŷ)²", "δ_o = (ŷ − y) · ŷ(1 − ŷ)"),
          "cross-entropy": ("E = −[y ln ŷ + (1 − y) ln(1 − ŷ)]", "δ_o = ŷ − y")}
#: Rows of one number per sample (shown for the chosen sample, or one line per sample);
#: the others are the batch's and the same whichever sample is chosen.
PER_SAMPLE = ("pre", "post", "target", "loss", "delta")
#: What each step computes, by the kinds of row it fills.
COMPUTES = {"forward": ("pre", "post", "loss"), "backward": ("delta", "dw", "db"),
            "apply": ("update_w", "update_b")}
BUTTONS = (
    ("inspect_forward", "Forward one sample", "The next sample's forward pass, layer by "
     "layer: a = input · w + b, y = f(a); then its error."),
    ("inspect_backward", "Backward one sample", "The backward pass of the next sample whose "
     "forward pass is done: its deltas δ, added into ∂E/∂w and ∂E/∂b."),
    ("inspect_apply", "Apply the update", "θ ← θ − α ∂E/∂θ for every weight and bias, once "
     "all four backward passes are done: the tutorial updates once per batch."),
    ("inspect_iteration", "Whole iteration",
     "Forward and backward pass of all four samples and the update, in one go (as Step)."),
)
#: The buttons that update the parameters: disabled once the run has stopped.
UPDATES = ("inspect_apply", "inspect_iteration")


def number(value: float) -> str:
    """Four decimals, or three significant digits in scientific notation when that would
    hide the value (gradients late in training are ~1e-5); a true minus sign."""
    value = float(value)
    text = f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e4 else f"{value:.2e}"
    return text.replace("-", "−")


def value_text(lines) -> str:
    """``lines``: (label, value) pairs, a value a number, a vector, a matrix (one line per
    row), a ready text or None (not computed: "—"). Numbers are padded to the widest so
    that columns line up in the fixed-width font."""
    numbers = [[number(v) for v in np.ravel(value)] for _, value in lines
               if value is not None and not isinstance(value, str)]
    width = max((len(text) for row in numbers for text in row), default=0)
    out = []
    for label, value in lines:
        prefix = f"{label}  " if label else ""
        if value is None or isinstance(value, str):
            out.append(prefix + (MISSING if value is None else value))
        elif np.ndim(value) == 0:
            out.append(prefix + number(value).rjust(width))
        else:
            for row in np.atleast_2d(value):
                out.append(prefix + "[" + ", ".join(number(v).rjust(width) for v in row) + "]")
                prefix = " " * len(prefix)
    return "\n".join(out)


def inputs_text(x) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def sections(config) -> tuple:
    """The inspector's (title, rows) for ``config``'s network, a row (key, formula) with key
    (kind, layer), or a layer's caption (a str) when there is more than one hidden layer."""
    n = len(config.layer_sizes) - 1
    short = ["o" if k == n - 1 else "h" if n == 2 else f"h{k + 1}" for k in range(n)]
    name = ["output" if k == n - 1 else "hidden" if n == 2 else f"hidden{k + 1}"
            for k in range(n)]
    caption = ["output layer" if k == n - 1 else f"hidden layer {k + 1}" for k in range(n)]
    given = ["x"] + [f"y_{s}" for s in short[:-1]]  # each layer's input
    function, derivative = ACTIVATIONS[config.activation]
    loss, output_delta = LOSSES[config.loss]
    deep = n > 2
    forward, backward, update = [], [], [(("alpha", None), "α, the learning rate")]
    for k in range(n):
        s, a = short[k], f"a_{short[k]}"
        activation = f"y_o = ŷ = σ({a})" if k == n - 1 else f"y_{s} = {function.format(a)}"
        forward += [caption[k]] * deep + [
            (("pre", k), f"{a} = {given[k]} · w_{name[k]} + b_{name[k]}"),
            (("post", k), activation)]
    for k in reversed(range(n)):
        s = short[k]
        delta = output_delta if k == n - 1 else (
            f"δ_{s} = (δ_{short[k + 1]} · w_{name[k + 1]}ᵀ) ⊙ {derivative.format('y_' + s)}")
        backward += [caption[k]] * deep + [
            (("delta", k), delta),
            (("dw", k), f"∂E/∂w_{name[k]} = {given[k]}ᵀ · δ_{s}"),
            (("db", k), f"∂E/∂b_{name[k]} = Σ δ_{s}")]
        bias = (f"Δb_{name[k]} = −α ∂E/∂b_{name[k]}" if config.bias_update == "per-neuron"
                else f"Δb_{name[k]} = −α Σ all δ_{s}")  # engine.network.bias_steps
        update += [(("update_w", k), f"Δw_{name[k]} = −α ∂E/∂w_{name[k]}"),
                   (("update_b", k), bias)]
    error = [(("target", None), "y, the target"), (("loss", None), loss),
             (("error", None), "E, the mean over the samples")]
    return (("Forward pass", forward), ("Error", error), ("Backward pass", backward),
            ("Update", update))


def sample_values(frame, kind: str, layer) -> list:
    """One value per sample of a PER_SAMPLE row (None where not computed yet)."""
    inspection, anatomy = frame.inspection, frame.anatomy
    field = "deltas" if kind == "delta" else kind
    if inspection is not None:
        samples = inspection.samples
        if kind in ("target", "loss"):
            return [f"{s.y:g}" if kind == "target" else s.loss for s in samples]
        return [None if getattr(s, field) is None else getattr(s, field)[layer] for s in samples]
    if anatomy is None:
        return [None] * 4
    if kind in ("target", "loss"):
        return [f"{y:g}" for y in anatomy.y[:, 0]] if kind == "target" \
            else list(anatomy.sample_loss)
    return list(getattr(anatomy, field)[layer])


def batch_value(frame, kind: str, layer):
    """The value of a row that is the batch's, or None while not computed."""
    inspection = frame.inspection
    source = frame.anatomy if inspection is None else inspection
    if kind == "alpha":
        return f"{frame.snapshot.config.learning_rate:g}"
    if kind == "error":
        return frame.snapshot.error if inspection is None else inspection.error
    if source is None or (kind in ("dw", "db") and inspection and not inspection.backwarded):
        return None
    if kind in ("dw", "db"):
        return source.gradients[layer][kind == "db"]
    return None if source.updates is None else source.updates[layer][kind == "update_b"]


def highlighted(inspection, sample) -> set:
    """The kinds of row the last step computed, as seen with ``sample`` chosen (None: the
    whole batch): a sample's own rows only when it is the one stepped."""
    if inspection is None or inspection.last is None:
        return set()
    level, stepped = inspection.last
    kinds = set(COMPUTES[level])
    if sample is not None and stepped is not None and sample != stepped:
        kinds -= set(PER_SAMPLE)
    if level == "forward" and inspection.error is not None:
        kinds.add("error")  # the last forward pass completes the mean
    if level == "backward" and inspection.updates is not None:
        kinds |= set(COMPUTES["apply"])  # the last backward pass makes the update known
    return kinds


def hint(frame) -> str:
    """What the inspector shows, and why Apply waits."""
    inspection, iteration = frame.inspection, frame.snapshot.iteration
    timeline = frame.timeline
    if timeline is not None and not timeline.live:
        return (f"The recorded iteration {iteration:,}. The steps act on the live run: go "
                "back to it (Live) to step, or Continue from here to branch from this one.")
    if inspection is None:
        if frame.anatomy is None:
            return "No pass to show yet."
        return (f"The whole pass of iteration {iteration:,}. Step forward to take it one "
                "sample at a time.")
    if inspection.last is not None and inspection.last[0] == "apply":
        return f"Iteration {iteration:,}: the update is applied."
    n = len(inspection.samples)
    text = (f"Iteration {iteration:,}, a sample at a time: {inspection.forwarded} of {n} "
            f"forward and {inspection.backwarded} of {n} backward passes done.")
    if not inspection.can_apply:
        text += " The update waits for every sample's backward pass (one update per batch)."
    return text
