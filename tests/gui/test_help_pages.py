"""Help ▸ What am I looking at?: a page per panel, each with the formula of its numbers."""

from PySide6.QtGui import QAction, QTextDocument

from gui.help_pages import PAGES, HelpPages, open_help_pages


def plain(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def test_the_help_menu_opens_a_page_per_panel_with_its_formula(driver, qtbot):
    window = driver.window
    action = window.findChild(QAction, "help_pages")
    assert action.text().replace("&", "") == "What am I looking at?"
    assert action.shortcut().toString() == "Ctrl+F1" and "formula" in action.toolTip()
    driver.trigger("help_pages")
    dialog = window.findChild(HelpPages, "help_pages")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    titles = [dialog.pages.item(row).text() for row in range(dialog.pages.count())]
    assert titles == ["Error", "Gradients", "Parameters", "Decision regions", "Truth table",
                      "Network", "Hidden space", "Backprop inspector"]
    for row, page in enumerate(PAGES.values()):
        dialog.pages.setCurrentRow(row)  # as a click on the list does
        text = dialog.text.toPlainText()
        assert text.startswith(page.title) and plain(page.formula) in text
    dialog.close()


def test_the_gradient_page_explains_the_factor_four(qtbot):
    dialog = HelpPages()
    qtbot.addWidget(dialog)
    dialog.show_page("gradients")
    text = dialog.text.toPlainText()
    assert "Esum = Σsamples ½ (y − yo)² = 4 E" in text
    assert "∂Esum/∂wo = yhᵀ · δo" in text


def test_each_panel_title_points_to_its_page(driver, qtbot):
    window = driver.window
    for name, panel in window.panels.items():
        tip = panel.figure.title.toolTip()
        assert "Help ▸ What am I looking at?" in tip, name
    assert window.gradient_panel.figure.title.toolTip().endswith("▸ Gradients")
    dialog = open_help_pages(window, "decision")
    assert dialog.current_page() == "decision"
    assert open_help_pages(window, "error") is dialog and dialog.current_page() == "error"
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(HelpPages, "help_pages") is None)
