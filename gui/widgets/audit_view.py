"""Check my data's findings (core/insight/audit.py's report as a plain dict) as three thumbnail lists
(duplicates with their scope in plain words, suspected wrong labels, outliers), with the two things
a user can do about an image: leave it out of training, or move it into another class folder.

Why these two and nothing else: "Exclude from training" only writes the app's own list
(core/data/exclusions.py) and is undone by one click in the Data panel; "Move to class…" is the
only action in the whole app that changes the user's folders, so it asks which class, then asks
again naming the file and the folder, and core/data/move_file.py refuses to overwrite anything.
Both are quick file operations, done here on the GUI thread (no TensorFlow is involved); the
thumbnails are decoded off it (:func:`report_thumbnails` runs in the check's worker job).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from core.data import exclusions
from core.data.move_file import move_to_class
from core.errors import DatasetError
from ..dialogs import ask_yes_no, show_error
from .common import hint_label, read_thumbnail, set_names

THUMB = 56
MAX_ITEMS = 150  # per section: the worst ones come first; `python main.py audit --json` lists all
PATH_ROLE = Qt.ItemDataRole.UserRole
INFO_ROLE = Qt.ItemDataRole.UserRole + 1
SECTIONS = ("duplicates", "suspects", "outliers")


def _section_title(key: str) -> str:
    return {"duplicates": QCoreApplication.translate("AuditView", "Duplicates"),
            "suspects": QCoreApplication.translate("AuditView", "Suspected wrong labels"),
            "outliers": QCoreApplication.translate("AuditView", "Outliers")}[key]


def _kind_words(kind: str) -> str:
    """A duplicate group's kind (core/insight/audit.py's key) in words; an unknown key as it is."""
    return {"exact": QCoreApplication.translate("AuditView", "exact copy"),
            "near": QCoreApplication.translate("AuditView", "near copy (resized, re-encoded or cropped)"),
            }.get(kind, kind)


def _scope_words(scope: str) -> str:
    return {"train-val": QCoreApplication.translate("AuditView", "in training and validation: inflates validation "
                                                                 "accuracy"),
            "cross-class": QCoreApplication.translate("AuditView", "in different classes: conflicting labels"),
            "same-class": QCoreApplication.translate("AuditView", "twice in one class: counts double in training"),
            }.get(scope, scope)


def open_image(path: str) -> None:
    """Show the image in the system's viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def _entries(report: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """(path, what to say about it) per section, the worst first, at most MAX_ITEMS each."""
    duplicates: list[tuple[str, dict[str, Any]]] = []
    for number, group in enumerate(report.get("duplicates", []), start=1):
        for path in group["paths"]:
            duplicates.append((path, {**group, "group": number}))
    return {"duplicates": duplicates[:MAX_ITEMS],
            "suspects": [(s["path"], s) for s in report.get("suspected_mislabeled", [])[:MAX_ITEMS]],
            "outliers": [(o["path"], o) for o in report.get("outliers", [])[:MAX_ITEMS]]}


def report_thumbnails(report: dict[str, Any], cancel: threading.Event) -> dict[str, Any]:
    """path -> QImage for every image the view will list (safe off the GUI thread)."""
    thumbs: dict[str, Any] = {}
    for entries in _entries(report).values():
        for path, _info in entries:
            if cancel.is_set():
                return thumbs
            if path not in thumbs:
                thumbs[path] = read_thumbnail(path, THUMB)
    return thumbs


def _list() -> QListWidget:
    widget = QListWidget()
    widget.setIconSize(QSize(THUMB, THUMB))
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setUniformItemSizes(True)  # cheap layout for a long list
    widget.setMinimumHeight(THUMB * 2 + 12)
    return widget


class AuditView(QWidget):
    """Emits ``dataChanged()`` after an exclusion or a move, so the Data panel rescans."""

    dataChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: dict[str, Any] = {}
        self._selected: QListWidgetItem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.notes = hint_label("", "auditNotes")
        self.notes.setAccessibleName(self.tr("Notes about the check"))
        self.notes.setVisible(False)
        layout.addWidget(self.notes)
        self.titles: dict[str, QLabel] = {}
        self.lists: dict[str, QListWidget] = {}
        for key in SECTIONS:
            title = _section_title(key)
            label = QLabel(title)
            label.setObjectName("sectionTitle")
            widget = set_names(_list(), f"audit_{key}", title, self.tr("Double-click an image to open it"))
            widget.currentItemChanged.connect(lambda item, _old, key=key: self._picked(key, item))
            widget.itemDoubleClicked.connect(lambda item: open_image(item.data(PATH_ROLE)))
            self.titles[key], self.lists[key] = label, widget
            layout.addWidget(label)
            layout.addWidget(widget, 1)
        row = QHBoxLayout()
        self.open_button = set_names(QPushButton(self.tr("Open")), "auditOpenButton", self.tr("Open the image"))
        exclude = self.tr("Exclude from training")
        self.exclude_button = set_names(QPushButton(exclude), "auditExcludeButton", exclude, self.tr(
            "Leave this image out of training; your folder is not changed (Include all again, in the Data "
            "panel, undoes it)"))
        self.move_button = set_names(QPushButton(self.tr("Move to class…")), "auditMoveButton",
                                     self.tr("Move to class"),
                                     self.tr("Move this file into another class folder (asks first)"))
        self.open_button.clicked.connect(lambda: self._selected and open_image(self._selected.data(PATH_ROLE)))
        self.exclude_button.clicked.connect(self.exclude_selected)
        self.move_button.clicked.connect(self.move_selected)
        for button in (self.open_button, self.exclude_button, self.move_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._update_buttons()

    # -- showing a report ------------------------------------------------------------------
    def show_report(self, report: dict[str, Any], thumbnails: dict[str, Any]) -> None:
        self.clear()
        self.report = report
        entries = _entries(report)
        for key, widget in self.lists.items():
            widget.setUpdatesEnabled(False)
            for path, info in entries[key]:
                item = QListWidgetItem(self._describe(key, path, info))
                item.setData(PATH_ROLE, path)
                item.setData(INFO_ROLE, {**info, "section": key, "base": item.text()})
                item.setToolTip(path)
                image = thumbnails.get(path)
                if image is not None and not image.isNull():
                    item.setIcon(QIcon(QPixmap.fromImage(image)))
                widget.addItem(item)
            if not entries[key]:
                empty = QListWidgetItem(self.tr("Nothing found."))
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(empty)
            widget.setUpdatesEnabled(True)
        self._set_titles(report, entries)
        notes = list(report.get("notes", []))
        skipped = report.get("skipped", [])
        if skipped:
            names = ", ".join(Path(s["path"]).name for s in skipped[:3]) + (" …" if len(skipped) > 3 else "")
            unread = (self.tr("{count} file could not be read ({names}).") if len(skipped) == 1
                      else self.tr("{count} files could not be read ({names})."))
            notes.append(unread.format(count=len(skipped), names=names))
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))

    def _set_titles(self, report: dict[str, Any], entries: dict[str, list]) -> None:
        totals = {"duplicates": len(report.get("duplicates", [])),
                  "suspects": len(report.get("suspected_mislabeled", [])), "outliers": len(report.get("outliers", []))}
        for key, label in self.titles.items():
            text = self._count_title(key, totals[key])
            shown = len({info.get("group") for _path, info in entries[key]}) if key == "duplicates" \
                else len(entries[key])
            if shown < totals[key]:
                text = self.tr("{title} (the {shown} most likely shown)").format(title=text, shown=shown)
            label.setText(text)

    def _count_title(self, key: str, count: int) -> str:
        """"Duplicates: 3 groups of copies": a section's title with its total."""
        one = count == 1
        if key == "duplicates":
            text = (self.tr("Duplicates: {count} group of copies") if one
                    else self.tr("Duplicates: {count} groups of copies"))
        elif key == "suspects":
            text = (self.tr("Suspected wrong labels: {count} image") if one
                    else self.tr("Suspected wrong labels: {count} images"))
        else:
            text = self.tr("Outliers: {count} image") if one else self.tr("Outliers: {count} images")
        return text.format(count=count)

    def _describe(self, key: str, path: str, info: dict[str, Any]) -> str:
        name = self._short(path)
        if key == "duplicates":
            return self.tr("{name}\nGroup {group}: {kind}, {scope}").format(
                name=name, group=info["group"], kind=_kind_words(info["kind"]), scope=_scope_words(info["scope"]))
        if key == "suspects":
            return self.tr("{name}\nlabelled {given} → {suggested} (score {score:.2f})").format(
                name=name, given=info["given"], suggested=info["suggested"], score=info["score"])
        return self.tr("{name}\nfar from every class (score {score:.1f})").format(name=name, score=info["score"])

    def _short(self, path: str) -> str:
        """class/name, marked when in the validation folder."""
        root = self._root(path)
        rel = exclusions.relative_to_root(path, root) if root else None
        shown = rel or Path(path).name
        if root and root == self.report.get("val_dir"):
            return self.tr("{name} (validation)").format(name=shown)
        return shown

    def _root(self, path: str) -> str:
        """The data folder (training or validation) that holds ``path``."""
        val = self.report.get("val_dir")
        if val and exclusions.relative_to_root(path, val) is not None:
            return val
        return self.report.get("data_dir", "")

    def clear(self) -> None:
        self.report = {}
        self._selected = None
        for key, widget in self.lists.items():
            widget.clear()
            self.titles[key].setText(_section_title(key))
        self.notes.setVisible(False)
        self._update_buttons()

    # -- for scripts and tests -------------------------------------------------------------
    def items(self, section: str, path: str | None = None) -> list[QListWidgetItem]:
        widget = self.lists[section]
        found = [widget.item(i) for i in range(widget.count())]
        return [i for i in found if i.data(PATH_ROLE) and (path is None or i.data(PATH_ROLE) == path)]

    def count(self, section: str) -> int:
        return len(self.items(section))

    def section_titles(self) -> dict[str, str]:
        return {key: label.text() for key, label in self.titles.items()}

    def select(self, item: QListWidgetItem) -> None:
        item.listWidget().setCurrentItem(item)

    # -- acting on the selected image ------------------------------------------------------
    def _picked(self, key: str, item: QListWidgetItem | None) -> None:
        if item is not None:
            for other, widget in self.lists.items():
                if other != key:
                    widget.setCurrentItem(None)
                    widget.clearSelection()
        if item is not None or (self._selected is not None and self._selected.listWidget() is self.lists[key]):
            self._selected = item
        self._update_buttons()

    def _state(self, item: QListWidgetItem | None) -> str:
        """What was done to the item's image: "" (nothing), "excluded" or "moved"."""
        return (item.data(INFO_ROLE) or {}).get("state", "") if item is not None else ""

    def _update_buttons(self) -> None:
        item = self._selected
        usable = item is not None and bool(item.data(PATH_ROLE))
        state = self._state(item)
        self.open_button.setEnabled(usable)
        self.exclude_button.setEnabled(usable and not state)
        self.move_button.setEnabled(usable and state != "moved")

    def _mark(self, path: str, state: str, done: Callable[[str], str], new_path: str | None = None) -> None:
        """Every item of ``path`` (an image can be in several sections) shows what was done to it:
        ``state`` is the key the buttons read (never the words, which are translated), ``done`` the
        item's new text from its description."""
        for key in self.lists:
            for item in self.items(key, path):
                info = dict(item.data(INFO_ROLE))
                info["state"] = state
                item.setData(INFO_ROLE, info)
                item.setText(done(info["base"]))
                if new_path is not None:
                    item.setData(PATH_ROLE, new_path)
                    item.setToolTip(new_path)
        self._update_buttons()

    def exclude_selected(self) -> None:
        item = self._selected
        if item is None or not item.data(PATH_ROLE):
            return
        path = item.data(PATH_ROLE)
        try:
            exclusions.exclude(self._root(path), [path])
        except (OSError, ValueError) as error:
            show_error(self.window(), self.tr("Could not exclude the image"), str(error))
            return
        self._mark(path, "excluded", lambda base: self.tr("{item} — excluded from training").format(item=base))
        self.dataChanged.emit()

    def move_selected(self) -> None:
        """Ask which class, then confirm naming the file and the folder; only then move."""
        item = self._selected
        if item is None or not item.data(PATH_ROLE):
            return
        path = item.data(PATH_ROLE)
        rel = exclusions.relative_to_root(path, self._root(path)) or ""
        current = rel.split("/", 1)[0]
        classes = [c for c in self.report.get("class_names", []) if c != current]
        if not classes:
            return
        suggested = (item.data(INFO_ROLE) or {}).get("suggested")
        index = classes.index(suggested) if suggested in classes else 0
        name = Path(path).name
        choice, ok = QInputDialog.getItem(self, self.tr("Move to class"), self.tr(
            "Move “{name}” (now in “{current}”) into which class?").format(name=name, current=current),
            classes, index, False)
        if not ok or choice not in classes:
            return
        if not ask_yes_no(self, self.tr("Move the file?"), self.tr(
                "Move “{name}” into the folder “{choice}”? This changes your data folder.").format(
                name=name, choice=choice)):
            return
        self.move_path(path, choice)

    def move_path(self, path: str, class_name: str) -> bool:
        """Move ``path`` into ``class_name`` (already confirmed); say why not in a box. True if moved."""
        try:
            target = move_to_class(path, self._root(path), class_name)
        except (DatasetError, OSError) as error:
            show_error(self.window(), self.tr("The file was not moved"), str(error))
            return False
        self._mark(path, "moved", lambda base: self.tr("{item} — moved to {class_name}").format(
            item=base, class_name=class_name), str(target))
        self.dataChanged.emit()
        return True
