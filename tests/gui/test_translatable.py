"""Every text the window shows goes through Qt's translation system (issue 22): an AST scan of gui/
(tests/gui/translatable.py) fails on a literal passed to a Qt text API, an f-string or variable inside
tr, and translation wrappers that hide strings from lupdate. FTS_I18N_FILES (a glob under the
repository, default gui/**/*.py) narrows the scan while the parts are being written."""
from __future__ import annotations

import os
from pathlib import Path

from tests.gui.translatable import scan_files, scan_source

ROOT = Path(__file__).resolve().parents[2]

# (file, text) -> why it is shown untranslated. Keep it short: every entry is a string a Chinese
# reader sees in English. (The language names of Settings › Language are not here: they pass through
# gui/language_setting.py's OWN_NAMES, and tests/gui/test_language.py checks they stay untranslated.)
ALLOWED: dict[tuple[str, str], str] = {
    ("gui/engine_messages.py", "CONTEXT"): "the engine's catalog (core/messages), looked up by id at run time; "
                                           "resources/i18n/update.py writes its templates into the .ts",
    ("gui/engine_messages.py", "template"): "the same lookup: the template comes from core.messages.MESSAGES",
}


def window_sources() -> list[Path]:
    pattern = os.environ.get("FTS_I18N_FILES", "gui/**/*.py")
    return sorted(p for p in ROOT.glob(pattern) if "__pycache__" not in p.parts)


def test_every_window_text_is_translatable() -> None:
    findings = scan_files(window_sources(), ROOT)
    unexplained = [f for f in findings if (f.path, f.text) not in ALLOWED]
    assert not unexplained, (f"{len(unexplained)} texts in the window are not translatable (see "
                             "docs/ARCHITECTURE.md, Translation):\n" + "\n".join(map(str, unexplained)))
    used = {(f.path, f.text) for f in findings}
    stale = {entry for entry in set(ALLOWED) - used if (ROOT / entry[0]).is_file()}
    assert not stale, f"allow-list entries that match nothing any more: {stale}"


def _problems(code: str) -> list[str]:
    return [f.text for f in scan_source(code)]


def test_the_scan_flags_untranslated_text() -> None:
    assert _problems('label = QLabel("Hello")') == ["Hello"]
    assert _problems('button.setToolTip(f"Train {n} epochs")') == ["Train  epochs"]
    assert _problems('bar.setFormat("Epoch " + str(n))') == ["Epoch "]
    assert _problems('status.showMessage("%d images" % n)') == ["%d images"]
    assert _problems('set_names(w, "nameObject", "Accessible", "Description")') == ["Accessible", "Description"]
    assert _problems('show_error(self, "Title", "Text")') == ["Title", "Text"]
    assert _problems('ax.plot(x, y, label="training loss")') == ["training loss"]
    assert _problems('tabs.addTab(page, "Results")') == ["Results"]
    assert _problems('combo.addItems(["Fine-tune", self.tr("Auto")])') == ["Fine-tune"]
    assert _problems('spin.setSuffix(" px")') == [" px"]


def test_the_scan_flags_what_lupdate_cannot_see() -> None:
    assert len(scan_source('class A(QObject):\n    def f(self, n):\n        return self.tr(f"{n} images")')) == 1
    assert len(scan_source('text = QCoreApplication.translate("Ctx", message)')) == 1
    wrapper = scan_source('def _tr(text):\n    return QCoreApplication.translate("Ctx", text)')
    assert len(wrapper) == 1 and "wrapper" in wrapper[0].problem


def test_the_scan_passes_translated_text_and_data() -> None:
    code = '''
class Panel(QWidget):
    def build(self, name, n):
        QLabel(self.tr("Hello"))
        self.label.setText(self.tr("{n} images").format(n=n))
        self.label.setText(name)
        self.combo.addItem(self.tr("Fine-tune"), "finetune")
        self.sep.setText("—")
        self.unit.setSuffix(" %")
        self.box.setObjectName("hintLabel")
        log.warning("not shown in the window: %s", name)
        QLabel(QCoreApplication.translate("Panel", "Whole sentence with {name}").format(name=name))
'''
    assert scan_source(code) == []
