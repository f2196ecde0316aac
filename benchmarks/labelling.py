"""Label as you go (issue 21): does the default strategy pick images that teach more than random ones?

A simulated oracle on real handwritten digits (benchmarks/real_digits.py; the tests never see them):
the pool is 100 images per digit, the rest is held out. Each run starts from 2 labelled images per
class (random), then asks the strategy for 10 images per round and "labels" them with their true
class, for ``--rounds`` rounds. After every round the model of ``train --method logreg``
(core.training.classic.fit_head's pipeline: standardised logistic regression, C chosen by cross-validation)
is fitted on the chosen images' embeddings and measured on the held-out images. The strategies
rank exactly as the app does (core.insight.labelling.rank_pool on the PCA-reduced embeddings of the
pool). Embeddings are EfficientNet-Lite0's (the default backbone, offline weights), computed once
through the app's embeddings cache, so a second run costs only the simulation.

    .venv/bin/python benchmarks/labelling.py                   # 5 seeds, 10 rounds, all three strategies
    .venv/bin/python benchmarks/labelling.py --seeds 2 --rounds 6 --json

Targets (issue 21): default >= random - 1 point in every round; >= random + 2 points after 60
queries; reaches random's final accuracy with at most 75 % of random's labels.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_CLASS_POOL = 100
START_PER_CLASS = 2
BATCH = 10


def digit_embeddings(backbone: str = "efficientnet_lite0") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embeddings of all 1,797 digits, their labels, and which are in the pool (the rest is held out)."""
    from benchmarks.real_digits import write_digits
    from core.backbones import get_backbone
    from core.data.scan import scan_folder
    from core.insight.embeddings import embed_files
    from core.paths import user_cache_dir
    from core.training.features import embedding_model

    root = user_cache_dir() / "benchmark-digits"
    if not (root / "pool" / "9").is_dir():  # written once: the same files (and so the cache) next time
        write_digits(root, {"pool": PER_CLASS_POOL, "test": None}, seed=0)
    pool, test = scan_folder(root / "pool"), scan_folder(root / "test")
    files = list(pool.files) + list(test.files)
    size = get_backbone(backbone).input_size
    box: list = []

    def model():
        if not box:
            box.append(embedding_model(backbone, "imagenet", size))
        return box[0]

    embedded = embed_files(files, model, backbone, "imagenet", size)
    assert not embedded.failures, embedded.failures
    labels = np.asarray(list(pool.labels) + list(test.labels))
    in_pool = np.arange(len(files)) < len(pool.files)
    return embedded.embeddings, labels, in_pool


def logreg_accuracy(rows: np.ndarray, labels: np.ndarray, chosen: list[int], test: np.ndarray, seed: int) -> float:
    """``train --method logreg`` on the chosen images, measured on the held-out ones: the same
    pipeline and C search as core.training.classic.fit_head (standardised logistic regression, C
    from C_GRID by stratified cross-validation on the log-loss), without folding the result into
    Keras layers (fit_head's folding check, a 1e-6 tolerance, tripped at exactly 1e-6 on one run)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    from core.training.classic import C_GRID

    x, y = rows[chosen], labels[chosen]
    folds = min(5, int(np.bincount(y).min()))
    pipeline = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=2000, random_state=seed))])
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        grid = GridSearchCV(pipeline, {"clf__C": list(C_GRID)}, scoring="neg_log_loss", n_jobs=1, refit=True,
                            cv=StratifiedKFold(folds, shuffle=True, random_state=seed)).fit(x, y)
    return float(np.mean(grid.predict(rows[test]) == labels[test]))


def simulate(rows: np.ndarray, labels: np.ndarray, in_pool: np.ndarray, strategy: str, seed: int,
             rounds: int) -> list[float]:
    """Accuracy after the start and after every round, for one strategy and seed."""
    from core.insight.labelling import rank_pool, reduce_features

    rng = np.random.default_rng(seed)
    pool, test = np.flatnonzero(in_pool), np.flatnonzero(~in_pool)
    chosen = [int(i) for k in range(10) for i in rng.permutation(pool[labels[pool] == k])[:START_PER_CLASS]]
    features = reduce_features(rows[pool], seed=seed)  # what the app does: all images the labeller sees
    at = {int(p): j for j, p in enumerate(pool)}
    curve = [logreg_accuracy(rows, labels, chosen, test, seed)]
    for step in range(rounds):
        taken = set(chosen)
        left = [int(p) for p in pool if int(p) not in taken]
        ranking = rank_pool(features[[at[p] for p in left]], features[[at[c] for c in chosen]], labels[chosen], 10,
                            BATCH, strategy, seed * 1000 + step)
        chosen += [left[i] for i in ranking.order]
        curve.append(logreg_accuracy(rows, labels, chosen, test, seed))
    return curve


def labels_to_reach(curve: np.ndarray, target: float) -> int | None:
    above = np.flatnonzero(curve >= target - 1e-9)
    return None if not len(above) else 10 * START_PER_CLASS + BATCH * int(above[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--strategies", default="diverse,random,uncertain")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the runs (each imports TensorFlow once)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, labels, in_pool = digit_embeddings()
    embed_s = time.perf_counter() - started
    curves: dict[str, np.ndarray] = {}
    tasks = [(strategy, seed) for strategy in args.strategies.split(",") for seed in range(args.seeds)]
    if args.jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(simulate, rows, labels, in_pool, strategy, seed, args.rounds) for strategy, seed in tasks]
            results = [future.result() for future in futures]
    else:
        results = [simulate(rows, labels, in_pool, strategy, seed, args.rounds) for strategy, seed in tasks]
    per_strategy: dict[str, list[list[float]]] = {}
    for (strategy, _seed), curve in zip(tasks, results):
        per_strategy.setdefault(strategy, []).append(curve)
    for strategy, runs in per_strategy.items():
        curves[strategy] = np.mean(runs, axis=0)
        print(f"{strategy}: {' '.join(f'{a:.3f}' for a in curves[strategy])}", file=sys.stderr, flush=True)
    sizes = [10 * START_PER_CLASS + BATCH * r for r in range(args.rounds + 1)]
    report: dict = {"labels": sizes, "curves": {k: [round(float(a), 4) for a in v] for k, v in curves.items()},
                    "seeds": args.seeds, "pool": int(in_pool.sum()), "held_out": int((~in_pool).sum()),
                    "embed_s": round(embed_s, 1), "total_s": round(time.perf_counter() - started, 1)}
    if "diverse" in curves and "random" in curves:
        default, random = curves["diverse"], curves["random"]
        at60 = min(6, args.rounds)
        reach = labels_to_reach(default, float(random[-1]))
        report["checks"] = {
            "never_worse_than_random_minus_1_point": bool(np.all(default >= random - 0.01)),
            "worst_gap_points": round(100 * float((default - random).min()), 2),
            f"gain_after_{BATCH * at60}_queries_points": round(100 * float(default[at60] - random[at60]), 2),
            "labels_to_reach_random_final": reach,
            "share_of_random_labels": None if reach is None else round(reach / sizes[-1], 3)}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print("labels   " + " ".join(f"{n:>6d}" for n in sizes))
        for name, curve in curves.items():
            print(f"{name:<9}" + " ".join(f"{a:6.3f}" for a in curve))
        for key, value in report.get("checks", {}).items():
            print(f"{key}: {value}")
        print(f"embeddings {report['embed_s']} s, total {report['total_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
