"""A table of results a person reads (and may click), not edits: its columns' headers carry
their tooltips, as the gradient check's and the sweep's tables need."""

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem


def read_only_table(name: str, columns) -> QTableWidget:
    """An empty table named ``name`` with ``columns`` ((header, tooltip), …) and no row
    numbers; cells cannot be edited."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    for column, (header, tip) in enumerate(columns):
        item = QTableWidgetItem(header)
        item.setToolTip(tip)
        table.setHorizontalHeaderItem(column, item)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table
