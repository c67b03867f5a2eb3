"""Runs Hyperopt 0.2.7's TPE and Optuna 4.5's TPESampler on the tune
benchmark problems (Branin, Hartmann-6, a conditional space, the k table),
30 seeds, 40 evaluations each, and times one suggestion at 200 trials.

Usage (from the repository root):
  .venv-reference/bin/python bench/tune/reference_searchers.py > bench/tune/results/reference.json
"""
import json
import logging
import math
import sys
import time

import hyperopt
import numpy as np
import optuna
from hyperopt import Trials, base, fmin, hp, tpe

logging.disable(logging.WARNING)
optuna.logging.set_verbosity(optuna.logging.ERROR)

SETTINGS = json.load(open("bench/tune/problems.json"))
K_TABLE = {row["k"]: row["loss"] for row in json.load(open("test/fixtures/tune/k-objective-table.json"))["table"]}
BUDGET = max(SETTINGS["budgets"])
SEEDS = SETTINGS["seeds"]

HARTMANN_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
HARTMANN_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def branin(x, y):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


def hartmann6(xs):
    xs = np.asarray(xs)
    return float(-np.sum(HARTMANN_ALPHA * np.exp(-np.sum(HARTMANN_A * (xs - HARTMANN_P) ** 2, axis=1))))


def conditional(params):
    if params["family"] == "branin":
        return branin(params["x"], params["y"])
    return (params["z"] - 0.5) ** 2 + 0.5 + 0.1 * params["level"]


# Hyperopt spaces and objectives.
HYPEROPT = {
    "branin": ({"x": hp.uniform("x", -5, 10), "y": hp.uniform("y", 0, 15)}, lambda p: branin(p["x"], p["y"])),
    "hartmann6": ({f"x{i}": hp.uniform(f"x{i}", 0, 1) for i in range(6)}, lambda p: hartmann6([p[f"x{i}"] for i in range(6)])),
    "conditional": (
        hp.choice("family", [
            {"family": "branin", "x": hp.uniform("x", -5, 10), "y": hp.uniform("y", 0, 15)},
            {"family": "bowl", "z": hp.uniform("z", -2, 2), "level": hp.quniform("level", 0, 4, 1)},
        ]),
        conditional,
    ),
    "k": ({"k": hp.randint("k", 3, 20)}, lambda p: K_TABLE[int(p["k"])]),
}


def optuna_objective(name):
    def objective(trial):
        if name == "branin":
            return branin(trial.suggest_float("x", -5, 10), trial.suggest_float("y", 0, 15))
        if name == "hartmann6":
            return hartmann6([trial.suggest_float(f"x{i}", 0, 1) for i in range(6)])
        if name == "conditional":
            family = trial.suggest_categorical("family", ["branin", "bowl"])
            if family == "branin":
                return conditional({"family": family, "x": trial.suggest_float("x", -5, 10), "y": trial.suggest_float("y", 0, 15)})
            return conditional({"family": family, "z": trial.suggest_float("z", -2, 2), "level": trial.suggest_float("level", 0, 4, step=1)})
        return K_TABLE[trial.suggest_int("k", 3, 19)]
    return objective


def run_hyperopt(name, seed):
    space, fn = HYPEROPT[name]
    trials = Trials()
    fmin(fn, space, algo=tpe.suggest, max_evals=BUDGET, trials=trials, rstate=np.random.default_rng(seed), show_progressbar=False)
    return [float(loss) for loss in trials.losses()]


def run_optuna(name, seed):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(optuna_objective(name), n_trials=BUDGET)
    return [float(t.value) for t in study.trials]


def suggestion_overhead():
    """Median seconds per suggestion with 200 finished trials (Branin and Hartmann-6 spaces)."""
    out = {}
    for name in ("branin", "hartmann6"):
        space, fn = HYPEROPT[name]
        trials = Trials()
        fmin(fn, space, algo=hyperopt.rand.suggest, max_evals=200, trials=trials, rstate=np.random.default_rng(0), show_progressbar=False)
        domain = base.Domain(fn, space)
        times = []
        for seed in range(30):
            start = time.perf_counter()
            tpe.suggest([200], domain, trials, seed)
            times.append(time.perf_counter() - start)
        out[f"hyperopt/{name}"] = float(np.median(times))

        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0, n_startup_trials=200))
        study.optimize(optuna_objective(name), n_trials=200)
        study.sampler = optuna.samplers.TPESampler(seed=1)
        times = []
        for _ in range(30):
            trial = study.ask()
            start = time.perf_counter()
            optuna_objective(name)(trial)  # the samples are drawn inside suggest_*
            times.append(time.perf_counter() - start)
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        out[f"optuna/{name}"] = float(np.median(times))
    return out


def main():
    results = {"hyperopt": hyperopt.__version__, "optuna": optuna.__version__, "budget": BUDGET, "runs": {}}
    for name in HYPEROPT:
        for searcher, run in (("hyperopt", run_hyperopt), ("optuna", run_optuna)):
            results["runs"][f"{searcher}/{name}"] = [run(name, seed) for seed in range(SEEDS)]
            print(searcher, name, file=sys.stderr)
    results["overheadSeconds"] = suggestion_overhead()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
