"""BERT Explorer's Qt application (PySide6 + pyqtgraph). The model core lives in `model/`."""
