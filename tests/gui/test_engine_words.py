"""Engine texts that travel without their id (a method's name, a backbone's label, a prediction's
note) are still shown in the window's language: gui.engine_messages.engine_words finds the template
a text was made from and fills its translation with the values read back from the text."""
from __future__ import annotations

from typing import Any

from core.backbones import get_backbone
from core.bundles.statistics import DAMAGED_NOTE
from core.methods import AUTO, METHODS
from core.stats.conformal import threshold_from_scores
from gui import language
from gui.engine_messages import engine_words


def test_english_texts_stay_as_they_are() -> None:
    assert language.current_language() == "en"
    assert engine_words(AUTO.title) == "Auto (recommended)"
    assert engine_words(get_backbone("efficientnet_lite0").label) == "EfficientNet-Lite0 (offline)"


def test_names_and_notes_in_chinese() -> None:
    assert language.install_language(language.CHINESE) == language.CHINESE
    assert engine_words(AUTO.title) == "自动搜索（推荐）"
    assert engine_words(METHODS["logreg"].label) == "嵌入特征 + 逻辑回归"
    assert engine_words(get_backbone("efficientnet_lite0").label) == "EfficientNet-Lite0（离线可用）"
    assert engine_words(DAMAGED_NOTE).startswith("此模型的校准文件已损坏")
    note = threshold_from_scores([0.1] * 5, 0.9).message  # the values are read back from the English
    assert engine_words(note) == "覆盖率为 90% 的预测集合至少需要 9 张验证图像；此模型只有 5 张。请降低覆盖率或增加已标注图像。"
    assert engine_words("brick") == "brick"  # a class name is no template: unchanged
    assert engine_words("") == ""


def test_a_method_named_inside_an_engine_sentence_is_in_chinese_too() -> None:
    """core/training/classic.py names the method by its English label inside its progress lines."""
    from core.events import Progress
    from core.methods import METHOD_LABELS
    from gui.engine_messages import engine_text

    language.install_language(language.CHINESE)
    fitting = Progress.of("fit", 0, 1, "classic.fitting_features", method=METHOD_LABELS["svm"], n_features=1280)
    assert engine_text(fitting) == "正在基于 1280 个特征拟合嵌入特征 + 线性 SVM"
    raw_id = Progress.of("fit", 0, 1, "classic.fitting_features", method="svm", n_features=8)
    assert engine_text(raw_id) == "正在基于 8 个特征拟合svm"  # an id is no template: kept as it is


def test_the_chinese_window_names_its_methods_and_backbones_in_chinese(qtbot: Any) -> None:
    from gui.widgets.backbone_picker import BackbonePicker
    from gui.widgets.method_choice import MethodChoice

    language.install_language(language.CHINESE)
    methods, backbones = MethodChoice(), BackbonePicker()
    qtbot.addWidget(methods)
    qtbot.addWidget(backbones)
    texts = [methods.combo.itemText(i) for i in range(methods.combo.count())]
    assert texts[0] == "自动搜索（推荐）" and "微调网络" in texts
    assert any("（离线可用）" in backbones.combo.itemText(i) for i in range(backbones.combo.count()))
