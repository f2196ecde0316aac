"""The ``backbones`` command: the backbones this installation offers (TensorFlow-free)."""
from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from core.backbones import DEFAULT_BACKBONE
from core.jobs import backbones


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("backbones", help="list the available backbones")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    infos = backbones.list_backbones()
    if args.json:
        out.write(json.dumps([info.to_json() for info in infos], indent=1) + "\n")
    else:
        for info in infos:
            default = " (default)" if info.id == DEFAULT_BACKBONE else ""
            out.write(f"{info.id:20s} {info.description}; weights: {info.weights}{default}\n")
    return 0
