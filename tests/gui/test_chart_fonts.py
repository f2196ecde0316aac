"""Chinese chart text: matplotlib falls back to an installed Chinese font (gui/chart_fonts.py)."""
from __future__ import annotations

import warnings

import pytest
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gui import chart_fonts


@pytest.fixture(autouse=True)
def _matplotlib_defaults() -> None:
    yield
    chart_fonts.reset_chart_fonts()


def test_a_chinese_title_is_drawn_with_real_glyphs() -> None:
    family = chart_fonts.chart_font_fallback()
    if family is None:
        pytest.skip("no Chinese font is installed on this computer")
    assert list(rcParams["font.family"]) == ["DejaVu Sans", family]
    figure = Figure()
    figure.add_subplot().set_title("训练准确率")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for each box it draws
        FigureCanvasAgg(figure).draw()


def test_without_a_chinese_font_the_charts_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    monkeypatch.setattr(chart_fonts, "CJK_FAMILIES", ("No Such Family 字体",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    before = list(rcParams["font.family"])
    assert chart_fonts.chart_font_fallback() is None
    assert list(rcParams["font.family"]) == before
