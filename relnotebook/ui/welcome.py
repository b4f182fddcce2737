"""The first start: what an empty notebook shows instead of an empty list.

Three ways in: open the demo notebook, add a first customer, or import contacts (enabled
only when the window says import exists). The widget only asks; the window acts on its
signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from . import words


class WelcomeWidget(QWidget):
    open_demo = Signal()
    """Open the demo notebook, to try everything on believable customers."""

    add_customer = Signal()
    """Add the first customer (the new-customer card)."""

    import_contacts = Signal()
    """Import contacts from a vCard or CSV file."""

    def __init__(self, parent: QWidget | None = None, *, import_available: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel(words.tr("Welcome to your Relationship Notebook"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        text = QLabel(words.tr(
            "Before a call, read in ten seconds where the last conversation left off. "
            "During a meeting, jot notes that turn into follow-ups, details and questions. "
            "Between calls, see who to call today, and why."), self)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setMaximumWidth(text.fontMetrics().horizontalAdvance("M") * 36)
        self.demo_button = QPushButton(words.tr("Try the demo notebook"), self)
        self.demo_button.setObjectName("welcomeDemoButton")
        self.demo_button.clicked.connect(self.open_demo)
        self.add_button = QPushButton(words.tr("Add your first customer"), self)
        self.add_button.setObjectName("welcomeAddButton")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_customer)
        self.import_button = QPushButton(words.tr("Import contacts…"), self)
        self.import_button.setObjectName("welcomeImportButton")
        self.import_button.setEnabled(import_available)
        if not import_available:
            self.import_button.setToolTip(words.tr("Importing contacts is not available yet."))
        self.import_button.clicked.connect(self.import_contacts)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(title.fontMetrics().height())
        for button in (self.add_button, self.demo_button, self.import_button):
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("M") * 20)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
