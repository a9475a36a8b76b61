"""Help ▸ What am I looking at?: a short page per panel and the formula behind its numbers.

In the tutorial's notation: inputs x, hidden layer a_h = x·w_h + b_h and y_h = σ(a_h), output
a_o = y_h·w_o + b_o and y_o = σ(a_o) (ŷ, the prediction), target y, learning rate α. Deeper
networks number their layers l = 1 … L from the input side.
"""

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QTextBrowser, QWidget

from gui.dialogs import open_once

MENU_TEXT = "What am I looking at?"


@dataclass(frozen=True)
class HelpPage:
    """One panel's page: its ``title``, the ``formula`` each plotted number comes from
    (rich text) and a ``body`` saying what to look for."""

    title: str
    formula: str
    body: str


def _sub(text: str) -> str:
    return f"<sub>{text}</sub>"


E_SUM = f"E{_sub('sum')}"

#: Page name → page, in the list's order.
PAGES = {
    "error": HelpPage(
        "Error",
        f"E = ¼ Σ{_sub('samples')} ½ (y − y{_sub('o')})²",
        "<p>The mean over the four samples of each sample's error, the number the tutorial "
        "prints (cross-entropy: −[y ln y<sub>o</sub> + (1 − y) ln(1 − y<sub>o</sub>)] per "
        "sample instead). The y axis is logarithmic: a straight stretch is a steady factor per "
        "update.</p>"
        "<p>The dark curve is smoothed by an exponential moving average, "
        "s<sub>t</sub> = β s<sub>t−1</sub> + (1 − β) E<sub>t</sub>, divided by "
        "1 − β<sup>t</sup> so that its start is not pulled towards 0; the faint curve is E "
        "itself. The dashed line is the target: training stops (converged) once E falls below "
        "it, and a dotted line then marks the iteration it did.</p>"
        "<p>Hover over any curve for the iteration and value under the mouse.</p>"),
    "gradients": HelpPage(
        "Gradients",
        f"∂{E_SUM}/∂w{_sub('o')} = y{_sub('h')}ᵀ · δ{_sub('o')},&nbsp; "
        f"δ{_sub('o')} = (y{_sub('o')} − y) y{_sub('o')} (1 − y{_sub('o')})<br>"
        f"∂{E_SUM}/∂w{_sub('h')} = xᵀ · δ{_sub('h')},&nbsp; "
        f"δ{_sub('h')} = (δ{_sub('o')} · w{_sub('o')}ᵀ) ⊙ y{_sub('h')} (1 − y{_sub('h')})<br>"
        f"∂{E_SUM}/∂b = Σ{_sub('samples')} δ",
        f"<p>|∂{E_SUM}/∂θ| of every weight and bias, one colour per layer: the tutorial's "
        "grad_output and grad_hidden multiplied out. They are the gradients of the error "
        f"<i>summed</i> over the four samples, {E_SUM} = Σ<sub>samples</sub> ½ (y − "
        f"y<sub>o</sub>)² = 4 E, because the tutorial's update θ ← θ − α ∂{E_SUM}/∂θ sums "
        "over the batch without dividing by 4. The error panel plots the mean E, so these "
        f"curves are 4 × ∂E/∂θ: 0.6 of a decade (log<sub>10</sub> 4) above the gradients of "
        "the plotted error, and α = 0.02 on the sum is α = 0.08 on the mean.</p>"
        "<p>Deeper networks repeat δ<sub>l</sub> = (δ<sub>l+1</sub> · w<sub>l+1</sub>ᵀ) ⊙ "
        "f′(a<sub>l</sub>) towards the input. A sigmoid's f′ = y(1 − y) is at most ¼, so each "
        "layer can shrink the gradient fourfold: the vanishing gradient problem (the presets "
        "with 3 and 4 hidden layers show it; tanh and ReLU much less).</p>"
        "<p>The check box under the panel shows the per-sample deltas |δ| instead. The "
        "gradient check compares every gradient here with the finite difference "
        f"({E_SUM}(θ + h) − {E_SUM}(θ − h)) / 2h.</p>"),
    "parameters": HelpPage(
        "Parameters",
        f"θ ← θ − α ∂{E_SUM}/∂θ,&nbsp; θ = (w{_sub('o')}, b{_sub('o')}, w{_sub('h')}, "
        f"b{_sub('h')})",
        "<p>|θ| of every weight and bias, coloured by group as in the tutorial's parameter "
        "plot: output weights, output bias, hidden weights, hidden bias. Each update moves "
        "every parameter against its gradient, α times. With the tutorial's script's bias "
        "update ('summed') every bias of a layer moves by the sum of <i>all</i> that layer's "
        "deltas, b ← b − α Σ<sub>samples, units</sub> δ; 'per-neuron' is the true gradient "
        "step b ← b − α Σ<sub>samples</sub> δ.</p>"
        "<p>A group with more than 16 members is drawn as its mean magnitude over a shaded "
        "band from its least to its greatest. Growing without bound is a sign of a bug.</p>"),
    "decision": HelpPage(
        "Decision regions",
        f"y{_sub('o')}(x₁, x₂) = σ(σ(x · w{_sub('h')} + b{_sub('h')}) · w{_sub('o')} + "
        f"b{_sub('o')}),&nbsp; boundary y{_sub('o')} = 0.5<br>"
        f"hidden unit j's line: w{_sub('h')}[0,j] x₁ + w{_sub('h')}[1,j] x₂ + "
        f"b{_sub('h')}[j] = 0",
        "<p>The network's output over the input plane, the tutorial's predict(x) on a grid: "
        "one end of the colour map is 0, the other 1, and the solid line is where the output "
        "crosses 0.5. The four training points are marked by their target. Each thin line is "
        "where one first-hidden-layer unit's input a<sub>h</sub> is 0, its sigmoid 0.5: the "
        "straight lines the network combines to separate XOR.</p>"),
    "truth_table": HelpPage(
        "Truth table",
        f"ŷ = y{_sub('o')} = predict(x),&nbsp; error ½ (y − ŷ)²,&nbsp; right when ŷ is on "
        "y's side of 0.5",
        "<p>The four samples, their target y and what the network answers now, as the "
        "tutorial prints predict(x) at the end; each row's own error, whose mean is the "
        "error panel's E.</p>"),
    "network": HelpPage(
        "Network",
        f"a{_sub('j')} = Σ{_sub('i')} h{_sub('i')} w[i,j] + b{_sub('j')},&nbsp; "
        f"h{_sub('j')} = f(a{_sub('j')})",
        "<p>The neurons in columns, input first, joined by their weights w[i,j]: the "
        "connection's width is |w| and its colour the sign. Each neuron is shaded by its "
        "activation h for the input chosen above the diagram (or the mean over the four). "
        "Clicking a hidden neuron maps its layer's units over the input plane.</p>"),
    "hidden_space": HelpPage(
        "Hidden space",
        f"h = y{_sub('h')}(x) for each sample,&nbsp; output line w{_sub('o')} · h + "
        f"b{_sub('o')} = 0 (y{_sub('o')} = 0.5)",
        "<p>The four samples where the output unit sees them: in the plane of the last hidden "
        "layer's activations. No straight line separates XOR's classes in the input plane; a "
        "trained network moves the points so that the output unit's line does. A layer of more "
        "than two units is shown in the plane of its two principal components.</p>"),
    "inspector": HelpPage(
        "Backprop inspector",
        f"a{_sub('h')} = x · w{_sub('h')} + b{_sub('h')},&nbsp; y{_sub('h')} = σ(a{_sub('h')}),"
        f"&nbsp; a{_sub('o')} = y{_sub('h')} · w{_sub('o')} + b{_sub('o')},&nbsp; "
        f"y{_sub('o')} = σ(a{_sub('o')})<br>"
        f"δ{_sub('o')} = (y{_sub('o')} − y) y{_sub('o')} (1 − y{_sub('o')}),&nbsp; "
        f"δ{_sub('h')} = (δ{_sub('o')} · w{_sub('o')}ᵀ) ⊙ y{_sub('h')} (1 − y{_sub('h')}),"
        f"&nbsp; Δθ = −α ∂{E_SUM}/∂θ",
        "<p>One iteration's numbers beside the tutorial's formulas, for one sample or the "
        "whole batch: the forward pass, the error, the backward pass and the update the next "
        f"step applies. The gradients are of {E_SUM}, the sum over the samples, as on the "
        "gradient panel.</p>"),
}

#: Which page explains the plot of each object name.
PLOT_PAGES = {"error_plot": "error", "gradient_plot": "gradients",
              "parameter_plot": "parameters", "decision_plot": "decision",
              "hidden_space_plot": "hidden_space"}


def title_tooltip(name: str) -> str:
    """The tooltip of a panel's title: where its page is. ``name``: a page name or the
    panel's plot's object name."""
    page = PAGES.get(PLOT_PAGES.get(name, name))
    where = f" ▸ {page.title}" if page is not None else ""
    return f"What this panel shows and how each number is computed: Help ▸ {MENU_TEXT}{where}"


def page_html(page: HelpPage) -> str:
    return (f"<h2>{page.title}</h2><p style='font-size: large'>{page.formula}</p>"
            f"{page.body}")


class HelpPages(QDialog):
    """The pages, chosen by a list on the left."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("help_pages")
        self.setWindowTitle(f"{MENU_TEXT} — XOR Lab")
        self.pages = QListWidget()
        self.pages.setObjectName("help_page_list")
        self.pages.addItems([page.title for page in PAGES.values()])
        self.text = QTextBrowser()
        self.text.setObjectName("help_page_text")
        self.text.setOpenExternalLinks(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.text, stretch=1)
        width = self.pages.sizeHintForColumn(0) + 2 * self.pages.frameWidth() + 8
        self.pages.setFixedWidth(width)
        self.pages.currentRowChanged.connect(self._on_page_chosen)
        self.pages.setCurrentRow(0)
        metrics = self.fontMetrics()
        self.resize(width + metrics.horizontalAdvance("m") * 60, metrics.height() * 30)

    def show_page(self, name: str):
        """Show the page called ``name`` (a key of PAGES)."""
        self.pages.setCurrentRow(list(PAGES).index(name))

    def current_page(self) -> str:
        return list(PAGES)[self.pages.currentRow()]

    def _on_page_chosen(self, row: int):
        if row >= 0:
            self.text.setHtml(page_html(list(PAGES.values())[row]))


def open_help_pages(window: QWidget, page: str | None = None) -> HelpPages:
    """Help ▸ What am I looking at? over ``window``, without blocking (the one already open,
    if any), at ``page`` (a key of PAGES) if given."""
    dialog = open_once(window, HelpPages, "help_pages", HelpPages, modal=False)
    if page is not None:
        dialog.show_page(page)
    return dialog

