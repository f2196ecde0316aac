"""The fine-tuning engine. Qt-free: nothing in this package may import PySide6."""
