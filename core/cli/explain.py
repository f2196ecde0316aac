"""The ``explain`` command (Grad-CAM overlays): its arguments and its handler."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from core.jobs import explain as explaining
from core.backbones import BACKBONES


def add_parser(commands: Any) -> None:
    explain = commands.add_parser("explain", help="show where the model looks: one Grad-CAM overlay PNG per image")
    explain.add_argument("bundle", nargs="?", help="a bundle folder written by 'train' (not with --backbone)")
    explain.add_argument("--backbone", default=None, choices=sorted(BACKBONES), help="explain this backbone's ImageNet classifier instead")
    explain.add_argument("images", nargs="+", help="image files")
    explain.add_argument("--out", required=True, metavar="DIR", help="folder for the overlays (NAME.gradcam.png)")
    explain.add_argument("--class", dest="class_name", default=None, metavar="LABEL",
                         help="explain this class instead of the predicted one")
    explain.add_argument("--layer", default=None, help="a spatial layer (default: the backbone's last one)")
    explain.add_argument("--json", action="store_true",
                         help='a list of {"image", "label", "probability", "peak": [x, y], "overlay"}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    """Explain (run_explain checks the class and --out before TensorFlow is imported), print; 1 when some images
    could not be read (each is named on stderr; the others are explained)."""
    images = list(args.images)
    if args.backbone is not None and args.bundle is not None:
        if Path(args.bundle).expanduser().is_dir():
            raise ValueError(f"'{args.bundle}' is a folder: with --backbone the backbone's ImageNet classifier is "
                             "explained, so give only image files (or leave out --backbone to explain a bundle)")
        images.insert(0, args.bundle)  # with --backbone there is no bundle: argparse took the first image
    elif args.backbone is None and args.bundle is None:
        raise ValueError("give a bundle folder or --backbone ID before the images")
    source = args.backbone or args.bundle
    imagenet = args.backbone is not None
    results = explaining.run_explain(source, images, args.out, args.class_name, imagenet, args.layer, progress)
    explained = [r for r in results if not r.error]
    for result in results:
        if result.error:
            sys.stderr.write(f"skipped {result.source}: {result.error}\n")
    if args.json:
        out.write(json.dumps([r.to_json() for r in explained], ensure_ascii=False, indent=1) + "\n")
    else:
        for result in explained:
            out.write(f"{result.source}: {result.label} {result.probability * 100:.1f} %, looked hardest at "
                      f"x={result.peak[0]}, y={result.peak[1]} -> {result.overlay}\n")
    return 0 if len(explained) == len(results) else 1
