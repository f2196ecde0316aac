"""Groups of images that must stay on one side of a split: the same slide, animal, patient or plate.

Why: near-copies of one specimen on both sides of a split let a model score on validation images it
has, in effect, already seen; the validation accuracy then says nothing about the next plate. A
``group_by`` rule names each image's group, and every split made from it keeps whole groups together:

* ``"subfolder"``: the first folder below the class folder (``class/slide12/img.png`` -> ``slide12``);
  an image directly in the class folder is a group of its own.
* any other text is a regular expression searched in the file name; its first capture group (or the
  whole match, without one) is the group (``'^(slide\\d+)_'`` on ``slide12_cell3.png`` -> ``slide12``).
  A file it does not match is a group of its own (the preview counts them).

A group name may occur under several classes (one slide holding cells of two kinds): it is one group,
kept together, and the preview says so. The validation split (:func:`group_split`) and the
cross-validation folds (:func:`group_folds`) are both seeded and deterministic. TensorFlow-free (the
window's preview uses it); scikit-learn is imported only by :func:`group_folds`.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from core.errors import GroupByError
from core.wording import plural

SUBFOLDER = "subfolder"


@dataclass(frozen=True)
class GroupRule:
    """A parsed ``group_by`` spec; :func:`parse_group_by` makes one (and validates it)."""

    spec: str
    pattern: re.Pattern[str] | None = None  # None: by subfolder

    def group_of(self, file: Path, class_dir: Path) -> str | None:
        """The group name of ``file`` (inside ``class_dir``), or None when it is a group of its own."""
        if self.pattern is None:
            try:
                parts = Path(file).relative_to(class_dir).parts
            except ValueError:
                return None
            return parts[0] if len(parts) > 1 else None
        found = self.pattern.search(Path(file).name)
        if found is None:
            return None
        name = found.group(1) if self.pattern.groups and found.group(1) is not None else found.group(0)
        return name or None  # an empty match groups nothing


def parse_group_by(spec: str) -> GroupRule:
    """``"subfolder"`` or a regular expression; anything else is a :class:`GroupByError`, raised
    before any image is read so a typo costs the user seconds, not a training run."""
    text = (spec or "").strip()
    if not text:
        raise GroupByError.of("groups.keep_together_rule_group")
    if text.lower() == SUBFOLDER:
        return GroupRule(SUBFOLDER)
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise GroupByError.of("groups.keep_together_rule_group_2", text=text, error=error) from None
    return GroupRule(text, pattern)


def group_names(files: Sequence[Path], labels: Sequence[int], root: Path, class_names: Sequence[str],
                rule: GroupRule) -> list[str | None]:
    """Each file's group name (None: a group of its own)."""
    return [rule.group_of(Path(f), Path(root) / class_names[label]) for f, label in zip(files, labels)]


def group_ids(names: Sequence[str | None]) -> np.ndarray:
    """Integer ids, equal for equal names; every None gets an id of its own."""
    ids: dict[str, int] = {}
    out = np.empty(len(names), np.int64)
    next_id = 0
    for i, name in enumerate(names):
        if name is None:
            out[i] = next_id
            next_id += 1
        else:
            if name not in ids:
                ids[name] = next_id
                next_id += 1
            out[i] = ids[name]
    return out


def spec_groups(spec: Any, group_by: str | GroupRule) -> np.ndarray:
    """Group ids of a DatasetSpec's files under ``group_by``."""
    rule = group_by if isinstance(group_by, GroupRule) else parse_group_by(group_by)
    return group_ids(group_names(spec.files, spec.labels, spec.root, spec.class_names, rule))


@dataclass
class GroupPreview:
    """What a rule finds in a folder, for the window's preview and the CLI's log."""

    group_by: str
    images: int
    groups: int
    unmatched: int  # images that are a group of their own because the rule did not name one
    sizes: dict[str, int] = field(default_factory=dict)  # named groups, largest first
    groups_per_class: dict[str, int] = field(default_factory=dict)
    spanning: dict[str, list[str]] = field(default_factory=dict)  # group -> its classes, when more than one
    warnings: list[str] = field(default_factory=list)

    def lines(self, examples: int = 5) -> list[str]:
        """Plain sentences: the summary, a few groups with their sizes, then the warnings."""
        named = self.groups - self.unmatched
        head = (f"{plural(self.groups, 'group')} in {plural(self.images, 'image')} by '{self.group_by}'"
                f" ({plural(named, 'named group')}, {plural(self.unmatched, 'image')} on "
                f"{'its' if self.unmatched == 1 else 'their'} own)")
        shown = ", ".join(f"{name} ({size})" for name, size in list(self.sizes.items())[:examples])
        per_class = ", ".join(f"{name}: {n}" for name, n in self.groups_per_class.items())
        return [head] + ([f"Groups: {shown}" + (", ..." if len(self.sizes) > examples else "")] if shown else []) + \
            [f"Groups per class: {per_class}"] + self.warnings

    def to_dict(self) -> dict[str, Any]:
        return {"group_by": self.group_by, "images": self.images, "groups": self.groups, "unmatched": self.unmatched,
                "sizes": self.sizes, "groups_per_class": self.groups_per_class, "spanning": self.spanning,
                "warnings": self.warnings}


def preview_folder(data_dir: str | Path, group_by: str) -> GroupPreview:
    """:func:`preview_groups` of a class folder, scanned here (headers only; no TensorFlow): what the
    window shows beside "Keep images of the same ... together" and the CLI logs before training."""
    from core.data.scan import scan_folder

    parse_group_by(group_by)  # a bad rule fails before the scan
    return preview_groups(scan_folder(data_dir), group_by)


def preview_groups(spec: Any, group_by: str) -> GroupPreview:
    """The groups ``group_by`` finds in a scanned folder (core.data.scan.DatasetSpec): how many, their
    sizes, how many per class, and warnings (groups under several classes; nothing matched; every
    image alone; too few groups for a validation split)."""
    rule = parse_group_by(group_by)
    names = group_names(spec.files, spec.labels, spec.root, spec.class_names, rule)
    unmatched = sum(name is None for name in names)
    sizes = Counter(name for name in names if name is not None)
    classes_of: dict[str, set[int]] = {}
    for name, label in zip(names, spec.labels):
        if name is not None:
            classes_of.setdefault(name, set()).add(label)
    ids = group_ids(names)
    per_class = Counter({label: len(set(ids[np.asarray(spec.labels) == label].tolist()))
                         for label in range(len(spec.class_names))})
    spanning = {name: [spec.class_names[l] for l in sorted(ls)] for name, ls in sorted(classes_of.items())
                if len(ls) > 1}
    preview = GroupPreview(rule.spec, len(names), len(sizes) + unmatched, unmatched,
                           dict(sorted(sizes.items(), key=lambda item: (-item[1], item[0]))),
                           {spec.class_names[l]: per_class[l] for l in range(len(spec.class_names))}, spanning)
    if spanning:
        some = ", ".join(f"{name} ({' + '.join(cls)})" for name, cls in list(spanning.items())[:3])
        verb = "holds" if len(spanning) == 1 else "hold"
        preview.warnings.append(f"{plural(len(spanning), 'group')} {verb} images of several classes ({some}); "
                                "each is kept together on one side of the split, which is allowed.")
    if not sizes:
        preview.warnings.append(f"'{rule.spec}' names no group in any file: every image is a group of its own, "
                                "as without keeping images together.")
    elif unmatched:
        preview.warnings.append(f"{plural(unmatched, 'image')} {'matches' if unmatched == 1 else 'match'} no group: "
                                f"{'it is a group of its own' if unmatched == 1 else 'each is a group of its own'}.")
    thin = [spec.class_names[l] for l in range(len(spec.class_names)) if per_class[l] < 2]
    if thin:
        preview.warnings.append(f"Classes with fewer than 2 groups cannot have images on both sides of a split: "
                                f"{', '.join(thin)}.")
    return preview


def _greedy_validation(counts: np.ndarray, val_fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Which groups (rows of ``counts``, groups x classes) go to validation: largest first (ties in a
    seeded random order), a group joins when it brings the per-class validation counts closer to
    ``val_fraction`` of each class (the one-fold form of StratifiedGroupKFold's heuristic, for any
    fraction, not only 1/k); then each class that can is given a group on each side, and a class with
    a single group keeps it for training."""
    n_groups = len(counts)
    target = val_fraction * counts.sum(axis=0)
    order = rng.permutation(n_groups)
    order = order[np.argsort(-counts[order].sum(axis=1), kind="stable")]
    in_val = np.zeros(n_groups, bool)
    val = np.zeros(counts.shape[1])
    for g in order:
        if ((val + counts[g] - target) ** 2).sum() < ((val - target) ** 2).sum():
            in_val[g] = True
            val += counts[g]
    for k in range(counts.shape[1]):
        holders = [g for g in order[::-1] if counts[g, k] > 0]  # smallest first
        if len(holders) < 2:
            in_val[holders] = False  # a class in one group is learnt from it, never only validated on
            continue
        if not counts[in_val, k].any():
            in_val[holders[0]] = True
        if not counts[~in_val, k].any():
            in_val[next(g for g in holders if in_val[g])] = False
    return in_val


def group_split_indices(labels: Sequence[int], groups: Sequence[int], val_fraction: float,
                        seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train rows, validation rows), sorted, with no group on both sides, each class split close to
    ``val_fraction`` of its images; seeded and deterministic."""
    labels, groups = np.asarray(labels, np.int64), np.asarray(groups, np.int64)
    _, inverse = np.unique(groups, return_inverse=True)
    counts = np.zeros((inverse.max() + 1 if len(inverse) else 0, labels.max() + 1 if len(labels) else 0))
    np.add.at(counts, (inverse, labels), 1)
    in_val = _greedy_validation(counts, val_fraction, np.random.default_rng(seed))
    val_rows = in_val[inverse]
    return np.flatnonzero(~val_rows), np.flatnonzero(val_rows)


def group_folds(labels: Sequence[int], groups: Sequence[int] | None, k: int, repeats: int = 1,
                seed: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Repeated stratified group k-fold: ``k * repeats`` (train rows, test rows), no group on both
    sides of any fold (scikit-learn's StratifiedGroupKFold, reshuffled per repeat from ``seed``).
    Without groups (None), repeated stratified k-fold. ``k`` is capped by the number of groups (and,
    without groups, by the smallest class) so a small folder still gets folds; at least 2 are needed."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    labels = np.asarray(labels, np.int64)
    x = np.zeros((len(labels), 1))
    if groups is None:
        k = min(k, int(np.bincount(labels).min()) if len(labels) else 0)
    else:
        groups = np.asarray(groups, np.int64)
        k = min(k, len(np.unique(groups)))
    if k < 2:
        raise GroupByError.of("groups.too_few_images_groups")
    for repeat in range(repeats):
        state = seed + repeat
        if groups is None:
            splitter = StratifiedKFold(k, shuffle=True, random_state=state)
            yield from splitter.split(x, labels)
        else:
            splitter = StratifiedGroupKFold(k, shuffle=True, random_state=state)
            yield from splitter.split(x, labels, groups)


def group_split(spec: Any, val_fraction: float, seed: int, group_by: str) -> tuple[Any, Any, dict[str, Any]]:
    """The validation split of a DatasetSpec keeping ``group_by``'s groups whole: (train, validation,
    a summary for the run record: the rule and how many groups went where)."""
    from core.errors import DatasetError

    if not 0.0 < val_fraction < 1.0:
        raise DatasetError.of("groups.validation_split_must_between", val_fraction=val_fraction)
    rule = parse_group_by(group_by)
    names = group_names(spec.files, spec.labels, spec.root, spec.class_names, rule)
    ids = group_ids(names)
    train_rows, val_rows = group_split_indices(spec.labels, ids, val_fraction, seed)
    n_groups = len(np.unique(ids))
    if not len(val_rows) or not len(train_rows):
        raise GroupByError.of("groups.keeping_images_together_leaves", spec=rule.spec, n_groups=n_groups)
    summary = {"group_by": rule.spec, "groups": int(n_groups), "train_groups": int(len(np.unique(ids[train_rows]))),
               "val_groups": int(len(np.unique(ids[val_rows]))), "unmatched": int(sum(n is None for n in names))}
    return spec.subset(train_rows.tolist()), spec.subset(val_rows.tolist()), summary


def shared_groups(train: Any, val: Any, group_by: str) -> list[str]:
    """Group names found in both a training and a separate validation folder: leaks the rule cannot
    prevent (the user chose the folders), so they are reported."""
    rule = parse_group_by(group_by)

    def named(spec: Any) -> set[str]:
        return {n for n in group_names(spec.files, spec.labels, spec.root, spec.class_names, rule) if n is not None}

    return sorted(named(train) & named(val))


_SEPARATORS = "_-. "


def _name_prefix_rule(names: Sequence[str]) -> str | None:
    """A regex naming the shared id at the start of ``names`` (``src017_a.png``, ``src017_b.png`` ->
    ``^(src\\d+)_``): the common prefix up to its last separator, digit runs generalised; None when
    the prefix holds no digits (a shared word such as ``cat_`` names a class, not a specimen)."""
    prefix = os.path.commonprefix([Path(n).stem for n in names])
    cut = max(prefix.rfind(sep) for sep in _SEPARATORS)
    separator = prefix[cut] if cut > 0 else ""
    stem = prefix[:cut] if cut > 0 else prefix
    if len(names) > 1 and not separator:
        stem = stem.rstrip("0123456789") if all(Path(n).stem[len(stem):][:1].isdigit() for n in names) else stem
    if not re.search(r"\d", stem):
        return None
    body = "".join(r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", stem) if part)
    tail = "\\." if separator == "." else separator
    return f"^({body}){tail}"


def suggest_group_by(copy_sets: Sequence[Sequence[str | Path]], roots: Sequence[str | Path]) -> str | None:
    """A keep-together rule under which each set of copies (the audit's duplicate groups) would sit in
    one group, guessed from the files' places and names: ``"subfolder"`` when each set shares a folder
    below its class folder, else a file-name prefix regex (the most common guess, kept only if it holds
    most sets together without making them all one group); None when neither fits."""
    sets = [[Path(p) for p in s] for s in copy_sets if len(s) > 1]
    if not sets:
        return None
    roots = [Path(r) for r in roots]

    def folder(path: Path) -> str | None:
        for root in roots:
            try:
                parts = path.relative_to(root).parts
            except ValueError:
                continue
            return parts[1] if len(parts) > 2 else None
        return None

    def holds(rule: GroupRule) -> float:
        kept, names = 0, set()
        for members in sets:
            found = {rule.group_of(p, p.parent) if rule.pattern is not None else folder(p) for p in members}
            if len(found) == 1 and None not in found:
                kept += 1
                names |= found
        return kept / len(sets) if len(names) > 1 or len(sets) == 1 else 0.0

    if holds(GroupRule(SUBFOLDER)) >= 0.8:
        return SUBFOLDER
    guesses = Counter(g for g in (_name_prefix_rule([p.name for p in s]) for s in sets) if g)
    for guess, _ in guesses.most_common(3):
        if holds(parse_group_by(guess)) >= 0.8:
            return guess
    return None
