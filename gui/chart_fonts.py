"""Chinese text in the charts (matplotlib): the window's widgets find a Chinese font through Qt, but
matplotlib draws with its own DejaVu Sans, which has no Chinese glyphs, so a translated title or axis
label came out as empty boxes. In a Chinese window the charts fall back, glyph by glyph, to a Chinese
font installed on the computer (matplotlib >= 3.6 falls back along ``font.family``).

matplotlib's font list is a cache made when it first ran; a font installed later is not in it, so
when no known family is listed the system's font files are scanned once (names only, at start-up,
before any window) and the Chinese ones added."""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("finetune_studio")

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "SimHei", "Droid Sans Fallback")
"""Fonts with Simplified Chinese glyphs, the usual ones of Linux, Windows and macOS, best first."""
_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "sourcehan", "notosanssc", "msyh", "yahei", "pingfang", "simhei",
               "hiragino", "droidsansfallback", "stheiti")


def chart_font_fallback() -> str | None:
    """Make matplotlib fall back to an installed Chinese font; returns its family (None when the
    computer has none: the charts then show boxes for Chinese, the rest of the window is unaffected)."""
    from matplotlib import font_manager, rcParams

    family = _known_family(font_manager.fontManager)
    if family is None:
        for path in font_manager.findSystemFonts():
            if any(hint in Path(path).name.lower().replace("-", "").replace("_", "") for hint in _FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001 - an unreadable font file is skipped, like matplotlib does
                    continue
        family = _known_family(font_manager.fontManager)
    if family is None:
        log.info("no Chinese font for the charts found; their Chinese text may show as boxes")
        return None
    rcParams["font.family"] = ["DejaVu Sans", family]  # Latin text looks as before; Chinese falls back
    return family


def _known_family(manager: object) -> str | None:
    names = {font.name for font in getattr(manager, "ttflist", [])}
    return next((family for family in CJK_FAMILIES if family in names), None)


def reset_chart_fonts() -> None:
    """matplotlib's own font family again (back to English: tests, a second install)."""
    import sys

    if "matplotlib" in sys.modules:
        from matplotlib import rcParams, rcParamsDefault

        rcParams["font.family"] = rcParamsDefault["font.family"]
