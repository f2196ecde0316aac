"""The Simplified Chinese translation is complete and compiled (issue 22): every text lupdate extracts
from gui/ (and every engine message of core/messages.py) has a finished translation in the committed
resources/i18n/finetune_studio_zh_CN.ts, with the same {placeholders}, %-fields and & accelerator as
its source, and the committed .qm gives exactly those translations (run resources/i18n/update.py)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_update", ROOT / "resources" / "i18n" / "update.py")
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)

FIELD = re.compile(r"\{([A-Za-z_]\w*)(?:[:!][^{}]*)?\}")  # {name}, {count:plural:file}: the name counts
QT_ARG = re.compile(r"%[sdn]|%\d")
ACCELERATOR = re.compile(r"&(?!amp;)[^&\s]")


@pytest.fixture(scope="module")
def committed() -> dict[tuple[str, str, str], tuple[str, str]]:
    return {update.message_key(context, m): update.translation_of(m)
            for context, messages in update.read_ts(update.TS).items() for m in messages}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    if update.qt_tool("lupdate") is None:
        pytest.skip("PySide6's lupdate is not installed here (PySide6 package folder and PATH searched)")
    from tests.gui.test_translatable import window_sources

    ts = tmp_path_factory.mktemp("lupdate") / "fresh.ts"
    update.run_lupdate(window_sources(), ts)
    keys = {update.message_key(context, m) for context, messages in update.read_ts(ts).items() for m in messages}
    keys |= {(update.ENGINE_CONTEXT, template, message_id)
             for message_id, template in update.engine_messages(ROOT).items()}
    return keys


def test_every_window_text_has_a_chinese_translation(extracted: set, committed: dict) -> None:
    missing = sorted(key for key in extracted if not committed.get(key, ("", "x"))[0].strip()
                     or committed[key][1])
    shown = "\n".join(f"  {c}: {s!r}" + (f" ({i})" if i else "") for c, s, i in missing[:40])
    assert not missing, (f"{len(missing)} texts lack a finished zh_CN translation (open the .ts in Qt "
                         f"Linguist, or write them as JSON and run python resources/i18n/update.py --fill PART.json):\n{shown}")


def test_translations_keep_placeholders_and_accelerators(committed: dict) -> None:
    wrong = []
    for (context, source, _comment), (text, kind) in committed.items():
        if kind or not text:
            continue
        if set(FIELD.findall(source)) != set(FIELD.findall(text)) or \
                sorted(QT_ARG.findall(source)) != sorted(QT_ARG.findall(text)):
            wrong.append(f"{context}: {source!r} -> {text!r}: placeholders differ")
        if bool(ACCELERATOR.search(source)) != bool(ACCELERATOR.search(text)):
            wrong.append(f"{context}: {source!r} -> {text!r}: the & accelerator is missing")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_translation_is_current(committed: dict) -> None:
    translator = QTranslator()
    assert translator.load(str(update.QM)), f"{update.QM} does not load"
    stale = [f"{context}: {source!r}" for (context, source, comment), (text, kind) in committed.items()
             if text and not kind and translator.translate(context, source, comment or None) != text]
    assert not stale, ("the .qm is older than the .ts (run python resources/i18n/update.py):\n"
                       + "\n".join(stale[:20]))


def test_update_keeps_engine_translations_and_drops_vanished_ones() -> None:
    """update.py's merge, on a made-up catalog: a kept template keeps its translation, a changed one keeps
    its old translation for review (unfinished), a removed id and a vanished window text go."""
    old = {"EngineMessages": [update.new_message("Folder {path} not found.", "data.missing", "找不到 {path}。", ""),
                              update.new_message("Epoch {n}.", "train.epoch", "第 {n} 轮。", ""),
                              update.new_message("Gone.", "old.id", "没了。", "")],
           "MainWindow": [update.new_message("Ready", "", "就绪", ""),
                          update.new_message("Old text", "", "旧文本", "vanished")]}
    catalog = {"data.missing": "Folder {path} not found.", "train.epoch": "Epoch {n} of {total}.",
               "train.new": "New message."}
    merged = update.keep_current(old, catalog)
    engine = {update.message_key("EngineMessages", m): update.translation_of(m) for m in merged["EngineMessages"]}
    assert engine == {("EngineMessages", "Folder {path} not found.", "data.missing"): ("找不到 {path}。", ""),
                      ("EngineMessages", "Epoch {n} of {total}.", "train.epoch"): ("第 {n} 轮。", "unfinished"),
                      ("EngineMessages", "New message.", "train.new"): ("", "unfinished")}
    assert [m.findtext("source") for m in merged["MainWindow"]] == ["Ready"]
    stale = update.fill(merged, [])
    assert stale == [] and len(update.untranslated(merged)) == 2
