"""Finds user-visible text in the window's sources that Qt's translation system cannot see.

An AST scan, no imports of the scanned code: for every call of a Qt text API (``QLabel(...)``,
``setText``, ``setToolTip``, ``addTab``, ``showMessage``, ``QMessageBox.*``, matplotlib titles and
labels, the project's own ``set_names``, ``hint_label``, ``show_error``, ``ask_yes_no`` ...), each
argument that carries text must not be literal text: a string with a letter, an f-string with letters
in its fixed parts, ``"Epoch " + n``, ``"%d images" % n`` or ``"{} s".format(n)``. A ``tr``/``translate``
call (also with ``.format`` on it) or a variable passes. And every ``tr``/``translate`` call must hand
lupdate a plain literal: ``tr(f"...")``, ``tr(text)`` and wrappers like ``def _tr(text): return
translate("X", text)`` hide the strings from it (unless the module marks its strings with
``QT_TRANSLATE_NOOP``/``QT_TR_NOOP``, which lupdate reads, and translates them by variable).

What it cannot see: text kept in a variable first (``HEADERS = ("Class", ...)``) and shown later; the
zh_CN completeness test and the screenshot catch those."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ALL = "*"  # every positional argument that is text

# callee name -> positional argument indices that are text (ALL: any), and keyword names that are text
TEXT_ARGS: dict[str, tuple[object, tuple[str, ...]]] = {
    # widgets whose constructor takes their text
    "QLabel": (ALL, ("text",)), "QPushButton": (ALL, ("text",)), "QCheckBox": (ALL, ("text",)),
    "QRadioButton": (ALL, ("text",)), "QGroupBox": (ALL, ("title",)), "QAction": (ALL, ("text",)),
    "QMenu": (ALL, ("title",)), "QToolButton": (ALL, ()), "QCommandLinkButton": (ALL, ()),
    "QMessageBox": (ALL, ("text", "informativeText", "windowTitle")), "QProgressDialog": (ALL, ()),
    "QTableWidgetItem": (ALL, ()), "QListWidgetItem": (ALL, ()), "QTreeWidgetItem": (ALL, ()),
    "QStandardItem": (ALL, ()),
    # setters and adders
    "addMenu": (ALL, ("title",)), "addAction": (ALL, ("text",)),
    "addTab": ((1, 2), ("label",)), "insertTab": ((2, 3), ("label",)), "setTabText": ((1,), ()),
    "setTabToolTip": ((1,), ()), "setTabWhatsThis": ((1,), ()), "setItemText": ((1,), ()),
    "setText": ((0,), ()), "setToolTip": ((0,), ()), "setStatusTip": ((0,), ()), "setWhatsThis": ((0,), ()),
    "setPlaceholderText": ((0,), ()), "setWindowTitle": ((0,), ()), "setTitle": ((0,), ()),
    "setFormat": ((0,), ()), "showMessage": ((0,), ()), "setLabelText": ((0,), ()),
    "setInformativeText": ((0,), ()), "setDetailedText": ((0,), ()), "setHtml": ((0,), ()),
    "setSpecialValueText": ((0,), ()), "setSuffix": ((0,), ()), "setPrefix": ((0,), ()),
    "setCancelButtonText": ((0,), ()), "setButtonText": ((1,), ()), "setHeaderData": ((2,), ()),
    "setHorizontalHeaderLabels": ((0,), ()), "setVerticalHeaderLabels": ((0,), ()),
    "setHeaderLabels": ((0,), ()), "setHeaderLabel": ((0,), ()), "addItems": ((0,), ()), "insertItems": ((1,), ()),
    "setAccessibleName": ((0,), ()), "setAccessibleDescription": ((0,), ()), "addRow": ((0,), ()),
    "getExistingDirectory": ((1,), ("caption",)), "getOpenFileName": ((1, 3), ("caption", "filter")),
    "getOpenFileNames": ((1, 3), ("caption", "filter")), "getSaveFileName": ((1, 3), ("caption", "filter")),
    "getText": ((1, 2), ()), "getInt": ((1, 2), ()), "getDouble": ((1, 2), ()), "getItem": ((1, 2), ()),
    "information": ((1, 2), ("title", "text")), "warning": ((1, 2), ("title", "text")),
    "critical": ((1, 2), ("title", "text")), "question": ((1, 2), ("title", "text")),
    "about": ((1, 2), ("title", "text")),
    # the project's own helpers
    "set_names": ((2, 3), ("accessible", "description")), "hint_label": ((0,), ("text",)),
    "show_error": ((1, 2, 3), ("title", "message", "details")), "ask_yes_no": ((1, 2), ("title", "question")),
    "insert_row": ((1,), ("label",)), "add_advanced_row": ((0,), ("label",)), "set_status": ((0,), ()),
    "set_empty_text": ((0,), ()),
    # matplotlib
    "set_title": ((0,), ("label",)), "set_xlabel": ((0,), ("xlabel",)), "set_ylabel": ((0,), ("ylabel",)),
    "suptitle": ((0,), ("t",)), "text": ((2,), ("s",)), "annotate": ((0,), ("text",)),
    "legend": (ALL, ("labels",)), "set_xticklabels": ((0,), ("labels",)), "set_yticklabels": ((0,), ("labels",)),
}
# addItem(text, data) / addItem(icon, text, data): the data is an id, never shown
ADD_ITEM = "addItem"
# matplotlib calls whose label= is a legend entry
PLOTS = {"plot", "scatter", "bar", "barh", "hist", "fill_between", "axhline", "axvline", "step", "errorbar",
         "stairs", "semilogy", "semilogx"}
TR_NAMES = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP", "QT_TRANSLATE_NOOP3"}
LOGGERS = {"log", "logger", "logging", "warnings", "parser"}
NOOP_NAMES = {"QT_TRANSLATE_NOOP", "QT_TR_NOOP", "QT_TRANSLATE_NOOP3"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    call: str
    text: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}(…{self.text!r}…): {self.problem}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def literal_text(node: ast.expr | None) -> str | None:
    """The fixed text of ``node`` when it is untranslated text with a letter, else None."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and _has_letter(node.value) else None
    if isinstance(node, ast.JoinedStr):
        fixed = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return fixed if _has_letter(fixed) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return literal_text(node.left) or (literal_text(node.right) if isinstance(node.op, ast.Add) else None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return literal_text(node.func.value) if node.func.attr == "format" else None
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) or literal_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next((t for t in map(literal_text, node.values) if t), None)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return next((t for t in map(literal_text, node.elts) if t), None)
    if isinstance(node, ast.ListComp):
        return literal_text(node.elt)
    return None


def _text_args(call: ast.Call, name: str) -> list[ast.expr]:
    if name == ADD_ITEM:
        args = list(call.args[:1])
        if len(call.args) >= 3:
            args.append(call.args[1])  # (icon, text, data)
        return args + [k.value for k in call.keywords if k.arg == "text"]
    if name in PLOTS:
        return [k.value for k in call.keywords if k.arg == "label"]
    positions, keywords = TEXT_ARGS[name]
    args = list(call.args) if positions == ALL else [call.args[i] for i in positions if i < len(call.args)]
    return args + [k.value for k in call.keywords if k.arg in keywords]


def _source_arg(call: ast.Call, name: str) -> ast.expr | None:
    """The argument lupdate reads as the source text (the context, too, for translate)."""
    if name in ("tr", "QT_TR_NOOP"):
        return call.args[0] if call.args else None
    return call.args[1] if len(call.args) > 1 else None


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path, self.findings = path, []
        self.marks_noop = any(isinstance(n, ast.Call) and _name(n.func) in NOOP_NAMES for n in ast.walk(tree))
        self.params: list[set[str]] = []

    def _add(self, node: ast.AST, call: str, text: str, problem: str) -> None:
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), call, text, problem))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        a = node.args
        self.params.append({p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]})
        self.generic_visit(node)
        self.params.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if isinstance(node.func, ast.Attribute) and _name(node.func.value) in LOGGERS:
            self.generic_visit(node)  # log.warning("...") is a log line, not the window's text
            return
        if name in TR_NAMES:
            self._check_tr(node, name)
        elif name in TEXT_ARGS or name == ADD_ITEM or name in PLOTS:
            for arg in _text_args(node, name):
                text = literal_text(arg)
                if text is not None:
                    self._add(arg, name, text, "untranslated text: wrap it in self.tr(...) or "
                                               "QCoreApplication.translate(...)")
        self.generic_visit(node)

    def _check_tr(self, node: ast.Call, name: str) -> None:
        if name == "translate" and not (node.args and isinstance(node.args[0], ast.Constant)):
            if not (isinstance(node.func, ast.Attribute) and _name(node.func.value) in ("QCoreApplication",
                                                                                       "QApplication")):
                return  # str.translate(table) and the like
            self._add(node, name, ast.unparse(node.args[0]) if node.args else "",
                      "the context must be a literal string for lupdate")
        source = _source_arg(node, name)
        if isinstance(source, ast.Constant) and isinstance(source.value, str):
            return
        if name in NOOP_NAMES:
            self._add(node, name, "", "lupdate reads only a literal string here")
        elif isinstance(source, ast.JoinedStr):
            self._add(node, name, literal_text(source) or "", "an f-string inside tr: lupdate extracts the "
                                                               "braces, the lookup uses the filled-in text")
        elif isinstance(source, ast.Name) and self.params and source.id in self.params[-1]:
            self._add(node, name, source.id, "a translation wrapper: lupdate cannot see its callers' strings")
        elif not self.marks_noop:
            self._add(node, name, ast.unparse(source) if source is not None else "",
                      "tr of a non-literal: lupdate cannot see the text (whole sentences with {placeholders})")


def scan_source(source: str, path: str = "<source>") -> list[Finding]:
    tree = ast.parse(source, filename=path)
    scanner = _Scanner(path, tree)
    scanner.visit(tree)
    return scanner.findings


def scan_files(paths: list[Path], root: Path) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(paths):
        findings += scan_source(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())
    return findings
