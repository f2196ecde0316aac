"""The engine's handler of ``layer_table``: what the freeze slider needs, in core's own wording for
every freeze point."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.layer_table import LayerTableRequest, LayerTableSummary
from core.engine.state import EngineState


def layer_table(request: LayerTableRequest, sink: Callable[[Any], None], cancel: threading.Event,
                state: EngineState) -> LayerTableSummary:
    from core.jobs import layer_table as tables

    table = tables.layer_table(request.backbone_id)
    names = list(table.names)
    infos = [table.freeze_info(n, True) for n in range(len(names) + 1)]
    return LayerTableSummary(
        backbone_id=request.backbone_id, names=names, boundaries=list(table.boundaries),
        default_point=tables.default_freeze_point(request.backbone_id, names),
        descriptions=[info.describe() for info in infos], scratch_params=sum(table.trainable_params),
        trainable_params=[info.trainable_params for info in infos], total_params=table.total_params,
        feature_dim=table.feature_dim, cacheable=list(table.cacheable))


HANDLES: dict[type, Callable[..., Any]] = {LayerTableRequest: layer_table}
