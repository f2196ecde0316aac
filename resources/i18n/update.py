"""Regenerate the window's Simplified Chinese translation: ``python resources/i18n/update.py [--fill PART.json ...]``.

1. pyside6-lupdate reads every ``self.tr(...)``/``QCoreApplication.translate(...)`` in gui/ and updates
   resources/i18n/finetune_studio_zh_CN.ts, keeping the translations it already holds (a changed
   source gets the old one back marked unfinished, for review);
2. the engine's messages (core/messages.py ``MESSAGES``: id -> English template) become the context
   "EngineMessages", source = template, comment = id (how the window looks them up:
   ``QCoreApplication.translate("EngineMessages", template, id)``), their translations kept;
3. ``--fill`` writes translations from JSON parts ``{context: {source: translation}}`` (a translator's
   delivery, or a script's), marking them finished;
4. messages that left the sources are dropped (git keeps them), the file is written sorted and without
   line numbers (deterministic: the same sources give the same bytes), and lrelease compiles the .qm,
   leaving out unfinished translations (English shows instead of a guess).

Prints what is still untranslated; ``--check`` exits 1 when anything is (the test suite's
tests/gui/test_translation_complete.py checks the same)."""
from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGE = "zh_CN"
TS = HERE / f"finetune_studio_{LANGUAGE}.ts"
QM = TS.with_suffix(".qm")
ENGINE_CONTEXT = "EngineMessages"
Key = tuple[str, str, str]  # (context, source, comment)


def qt_tool(name: str) -> Path | None:
    """lupdate/lrelease: PySide6's own (beside the package, as pip installs it), else on PATH."""
    try:
        import PySide6

        folder = Path(PySide6.__file__).resolve().parent
        for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "libexec" / name):
            if candidate.is_file():
                return candidate
    except ImportError:
        pass
    for command in (f"pyside6-{name}", name):
        found = shutil.which(command)
        if found:
            return Path(found)
    return None


def gui_sources(root: Path = ROOT) -> list[Path]:
    """Every Python file of the window, sorted (lupdate's input order decides the messages' order)."""
    return sorted(p for p in (root / "gui").rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate(sources: Iterable[Path], ts: Path) -> None:
    """Extract (or update) ``ts`` from ``sources``; existing translations are kept, vanished ones marked."""
    tool = qt_tool("lupdate")
    if tool is None:
        raise SystemExit("update.py: lupdate not found (pip install PySide6)")
    args = [str(tool), *map(str, sources), "-ts", str(ts), "-locations", "none", "-source-language", "en",
            "-target-language", LANGUAGE, "-silent"]
    subprocess.run(args, check=True, cwd=ROOT)


def run_lrelease(ts: Path, qm: Path) -> None:
    tool = qt_tool("lrelease")
    if tool is None:
        raise SystemExit("update.py: lrelease not found (pip install PySide6)")
    subprocess.run([str(tool), "-nounfinished", "-silent", str(ts), "-qm", str(qm)], check=True)


def engine_messages(root: Path = ROOT) -> dict[str, str]:
    """core.messages.MESSAGES (id -> template) when that catalog exists, else {}."""
    sys.path.insert(0, str(root))
    try:
        return dict(importlib.import_module("core.messages").MESSAGES)
    except ModuleNotFoundError:
        return {}
    finally:
        sys.path.remove(str(root))


# -- the .ts file ----------------------------------------------------------------------------
def read_ts(ts: Path) -> dict[str, list[ET.Element]]:
    """{context: [message elements]} in file order."""
    contexts: dict[str, list[ET.Element]] = {}
    if not ts.is_file():
        return contexts
    for context in ET.parse(ts).getroot().iter("context"):
        contexts.setdefault(context.findtext("name") or "", []).extend(context.iter("message"))
    return contexts


def message_key(context: str, message: ET.Element) -> Key:
    return context, message.findtext("source") or "", message.findtext("comment") or ""


def translation_of(message: ET.Element) -> tuple[str, str]:
    """(text, type): type "" when finished, else "unfinished", "vanished" or "obsolete"."""
    element = message.find("translation")
    if element is None:
        return "", "unfinished"
    return element.text or "", element.get("type", "")


def new_message(source: str, comment: str, text: str, kind: str) -> ET.Element:
    message = ET.Element("message")
    ET.SubElement(message, "source").text = source
    if comment:
        ET.SubElement(message, "comment").text = comment
    translation = ET.SubElement(message, "translation")
    translation.text = text
    if kind:
        translation.set("type", kind)
    return message


def keep_current(contexts: dict[str, list[ET.Element]], engine: dict[str, str]) -> dict[str, list[ET.Element]]:
    """Drop what left the sources; rebuild EngineMessages from the catalog with the translations known
    (by template and id; a template that changed keeps its old translation, unfinished)."""
    known: dict[Key, tuple[str, str]] = {}
    by_id: dict[str, str] = {}
    for message in contexts.pop(ENGINE_CONTEXT, []):
        key, (text, kind) = message_key(ENGINE_CONTEXT, message), translation_of(message)
        if text:
            known[key] = (text, "unfinished" if kind == "unfinished" else "")
            by_id.setdefault(key[2], text)
    kept = {name: [m for m in messages if translation_of(m)[1] not in ("vanished", "obsolete")]
            for name, messages in contexts.items()}
    kept = {name: messages for name, messages in kept.items() if messages}
    if engine:
        kept[ENGINE_CONTEXT] = []
        for message_id, template in sorted(engine.items()):
            text, kind = known.get((ENGINE_CONTEXT, template, message_id), (by_id.get(message_id, ""), "unfinished"))
            kept[ENGINE_CONTEXT].append(new_message(template, message_id, text, kind if text else "unfinished"))
    return kept


def fill(contexts: dict[str, list[ET.Element]], parts: Iterable[Path]) -> list[str]:
    """Write the JSON parts' translations; returns the entries that match no message (stale parts)."""
    stale = []
    for part in parts:
        for context, entries in json.loads(Path(part).read_text(encoding="utf-8")).items():
            messages = contexts.get(context, [])
            for source, text in entries.items():
                matches = [m for m in messages if (m.findtext("source") or "") == source]
                if not matches:
                    stale.append(f"{Path(part).name}: {context}: {source!r}")
                for message in matches:
                    translation = message.find("translation")
                    if translation is None:
                        translation = ET.SubElement(message, "translation")
                    translation.text = text
                    translation.attrib.pop("type", None)
    return stale


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&apos;"))


def write_ts(contexts: dict[str, list[ET.Element]], ts: Path) -> None:
    """lupdate's own layout, contexts sorted by name: rerunning lupdate changes nothing."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             f'<TS version="2.1" language="{LANGUAGE}" sourcelanguage="en">']
    for name in sorted(contexts):
        lines += ["<context>", f"    <name>{_escape(name)}</name>"]
        for message in contexts[name]:
            lines.append("    <message>")
            lines.append(f"        <source>{_escape(message.findtext('source') or '')}</source>")
            comment = message.findtext("comment")
            if comment:
                lines.append(f"        <comment>{_escape(comment)}</comment>")
            text, kind = translation_of(message)
            kind_attr = f' type="{kind}"' if kind else ""
            lines.append(f"        <translation{kind_attr}>{_escape(text)}</translation>")
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    ts.write_text("\n".join(lines) + "\n", encoding="utf-8")


def untranslated(contexts: dict[str, list[ET.Element]]) -> list[Key]:
    return [message_key(name, m) for name, messages in contexts.items() for m in messages
            if translation_of(m)[1] or not translation_of(m)[0].strip()]


def update(parts: Iterable[Path] = (), ts: Path = TS, qm: Path = QM, root: Path = ROOT) -> tuple[list[Key], list[str]]:
    """Steps 1-4 of the module's docstring; returns (untranslated keys, stale part entries)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / ts.name
        if ts.is_file():
            shutil.copyfile(ts, work)
        run_lupdate(gui_sources(root), work)
        contexts = keep_current(read_ts(work), engine_messages(root))
    stale = fill(contexts, parts)
    write_ts(contexts, ts)
    run_lrelease(ts, qm)
    return untranslated(contexts), stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", nargs="+", type=Path, default=[], metavar="PART.json",
                        help="JSON parts {context: {source: translation}} to write into the .ts")
    parser.add_argument("--check", action="store_true", help="exit 1 while anything is untranslated")
    args = parser.parse_args(argv)
    missing, stale = update(args.fill)
    for entry in stale:
        print(f"update.py: not in the sources (stale): {entry}")
    for context, source, comment in missing:
        print(f"update.py: untranslated: {context}: {source!r}" + (f" ({comment})" if comment else ""))
    print(f"update.py: {TS.relative_to(ROOT)} and {QM.name} written; {len(missing)} untranslated")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
