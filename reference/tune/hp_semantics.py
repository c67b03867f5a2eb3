"""Golden values of Hyperopt 0.2.7's search-space semantics and TPE proposals.

Writes test/fixtures/tune/hp-semantics.json: support and value types of
10,000 prior draws per hp function, argmin and space_eval shapes, Parzen
mixtures and densities. Also writes tpe-proposals.json and
tpe-proposals-conditional.json there. Each contains a fixed history (30
trials on a flat space, or 40 trials with failures on a conditional space)
and the proposals tpe.suggest makes from it for 1,000 seeds.

Run from the repository root: .venv-reference/bin/python reference/tune/hp_semantics.py
"""
import json
import math
import sys

import hyperopt
import numpy as np
from hyperopt import Trials, base, fmin, hp, rand, space_eval, tpe

DRAWS = 10_000
SEEDS = 1_000


def type_name(value):
    return type(value).__name__


def describe(values):
    array = np.asarray(values, dtype=float)
    distinct = sorted(set(array.tolist()))
    return {
        "min": float(array.min()),
        "max": float(array.max()),
        "allIntegers": bool(np.all(array == np.round(array))),
        "mean": float(array.mean()),
        "std": float(array.std()),
        "quantiles": [float(q) for q in np.quantile(array, [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])],
        "distinct": distinct if len(distinct) <= 60 else None,
    }


# Each case: the hp call as the TypeScript test repeats it.
CASES = [
    ("randint_upper", "randint", [5], lambda: hp.randint("v", 5)),
    ("randint_low_high", "randint", [3, 20], lambda: hp.randint("v", 3, 20)),
    ("uniform", "uniform", [-2, 3], lambda: hp.uniform("v", -2, 3)),
    ("quniform", "quniform", [0, 10, 2.5], lambda: hp.quniform("v", 0, 10, 2.5)),
    ("uniformint", "uniformint", [1, 10], lambda: hp.uniformint("v", 1, 10)),
    ("loguniform", "loguniform", [-3, 2], lambda: hp.loguniform("v", -3, 2)),
    ("qloguniform", "qloguniform", [0, 4, 5], lambda: hp.qloguniform("v", 0, 4, 5)),
    ("normal", "normal", [1, 2], lambda: hp.normal("v", 1, 2)),
    ("qnormal", "qnormal", [0, 3, 1], lambda: hp.qnormal("v", 0, 3, 1)),
    ("lognormal", "lognormal", [0, 0.5], lambda: hp.lognormal("v", 0, 0.5)),
    ("qlognormal", "qlognormal", [1, 1, 2], lambda: hp.qlognormal("v", 1, 1, 2)),
    ("choice", "choice", [["a", "b", "c"]], lambda: hp.choice("v", ["a", "b", "c"])),
    ("pchoice", "pchoice", [[[0.2, "a"], [0.5, "b"], [0.3, "c"]]], lambda: hp.pchoice("v", [(0.2, "a"), (0.5, "b"), (0.3, "c")])),
]


def prior_draws():
    """10,000 draws per hp function through rand.suggest_batch (pyll's `sample`
    cannot draw hp.pchoice in 0.2.7: its switch gets an array)."""
    out = {}
    for name, function, args, make in CASES:
        space = make()
        domain = base.Domain(lambda p: 0.0, space)
        _, vals = rand.suggest_batch(list(range(DRAWS)), domain, Trials(), 0)
        stored = list(vals["v"])
        values = [space_eval(space, {"v": v}) for v in stored[:200]]
        if function in ("choice", "pchoice"):
            frequencies = [sum(1 for v in stored if v == i) / DRAWS for i in range(3)]
            out[name] = {"function": function, "args": args, "types": sorted({type_name(v) for v in values}),
                         "storedTypes": sorted({type_name(v) for v in stored[:200]}), "frequencies": frequencies}
        else:
            out[name] = {"function": function, "args": args, **describe(stored),
                         "types": sorted({type_name(v) for v in values}),
                         "storedTypes": sorted({type_name(v) for v in stored[:200]})}
    return out


def conditional_space():
    return {
        "model": hp.choice(
            "model",
            [
                {"kind": "kmeans", "k": hp.randint("k", 3, 20)},
                {"kind": "gmm", "components": hp.uniformint("components", 2, 8), "tol": hp.loguniform("tol", -9, -2)},
            ],
        ),
        "scale": hp.choice("scale", [True, False]),
        "weights": [hp.uniform("w0", 0, 1), hp.quniform("w1", 0, 10, 1)],
    }


def conditional_loss(params):
    model = params["model"]
    base_loss = abs(model["k"] - 7) if model["kind"] == "kmeans" else abs(model["components"] - 4) + 1
    return base_loss + params["weights"][0] + params["weights"][1] / 10 + (0 if params["scale"] else 0.5)


def shapes():
    """argmin and space_eval of a conditional search, with Python types."""
    trials = Trials()
    argmin = fmin(conditional_loss, conditional_space(), algo=rand.suggest, max_evals=30, trials=trials,
                  rstate=np.random.default_rng(42), show_progressbar=False)
    best = space_eval(conditional_space(), argmin)
    # Labels present per trial: the parameters of unchosen branches are absent.
    present = [sorted(k for k, v in t["misc"]["vals"].items() if v) for t in trials.trials]

    def typed(value):
        if isinstance(value, dict):
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [typed(v) for v in value]
        return {"type": type_name(value), "value": value.item() if hasattr(value, "item") else value}

    return {
        "argmin": typed(argmin),
        "best": typed(best),
        "presentLabelsPerTrial": present,
        "spaceEvalChoiceIndex": typed(space_eval(conditional_space(), {"model": 1, "components": 5.0, "tol": 0.01, "scale": 0, "w0": 0.5, "w1": 3.0})),
        "allFailedError": all_failed_error(),
        "nanLossStatus": nan_loss_status(),
    }


def all_failed_error():
    try:
        fmin(lambda p: {"status": "fail"}, hp.uniform("x", 0, 1), algo=rand.suggest, max_evals=3,
             rstate=np.random.default_rng(0), show_progressbar=False)
    except Exception as error:  # AllTrialsFailed
        return type(error).__name__
    return None


def nan_loss_status():
    """Hyperopt stores NaN and infinite losses as ok trials."""
    trials = Trials()
    losses = iter([float("nan"), float("-inf"), 1.0])
    fmin(lambda p: next(losses), hp.uniform("x", 0, 1), algo=rand.suggest, max_evals=3, trials=trials,
         rstate=np.random.default_rng(0), show_progressbar=False)
    return {"statuses": trials.statuses(), "bestTrialTid": trials.best_trial["tid"]}


# ---- TPE proposals for a fixed history ----

def tpe_space():
    return {
        "x": hp.uniform("x", -5, 10),
        "lr": hp.loguniform("lr", -7, 0),
        "q": hp.quniform("q", 0, 20, 2),
        "k": hp.randint("k", 3, 20),
        "n": hp.normal("n", 0, 2),
        "c": hp.choice("c", ["a", "b", "c"]),
        "u": hp.uniformint("u", 1, 10),
        "ql": hp.qloguniform("ql", 0, 5, 1),
        "ln": hp.lognormal("ln", 0, 1),
    }


def tpe_loss(p):
    return ((p["x"] - 2) ** 2 + (math.log(p["lr"]) + 3) ** 2 + abs(p["q"] - 8) / 4 + abs(p["k"] - 7)
            + p["n"] ** 2 + {"a": 0, "b": 1, "c": 2}[p["c"]] + abs(p["u"] - 3)
            + abs(math.log(p["ql"] + 1) - 2) + abs(math.log(p["ln"])))


def conditional_tpe_space():
    return {
        "family": hp.pchoice("family", [
            (0.3, {"kind": "a", "x": hp.uniform("xa", -5, 10), "k": hp.randint("ka", 0, 6)}),
            (0.7, {"kind": "b", "lr": hp.loguniform("lrb", -5, 0), "q": hp.qnormal("qb", 0, 3, 1), "m": hp.qlognormal("mb", 1, 1, 1)}),
        ]),
        "shared": hp.uniform("shared", 0, 1),
    }


def conditional_tpe_loss(best_kind):
    """Build a loss whose good trials lie in branch `best_kind`. It fails for
    shared > 0.85, so the history contains failed trials (loss +inf for TPE)."""
    def loss(p):
        if p["shared"] > 0.85:
            return {"status": "fail"}
        family = p["family"]
        if family["kind"] == "a":
            value = (family["x"] - 1) ** 2 / 10 + abs(family["k"] - 2) * 0.3
        else:
            value = (math.log(family["lr"]) + 2) ** 2 / 4 + abs(family["q"]) * 0.1 + abs(family["m"] - 3) * 0.05
        penalty = 0 if family["kind"] == best_kind else 3
        return {"status": "ok", "loss": value + penalty + p["shared"]}
    return loss


def tpe_proposals(space, loss, n_history, history_seed):
    trials = Trials()
    fmin(loss, space(), algo=rand.suggest, max_evals=n_history, trials=trials,
         rstate=np.random.default_rng(history_seed), show_progressbar=False)
    history = [
        {"params": {k: float(v[0]) for k, v in t["misc"]["vals"].items() if v},
         "status": t["result"]["status"], "loss": float(t["result"]["loss"]) if "loss" in t["result"] else None}
        for t in trials.trials
    ]
    domain = base.Domain(loss, space())
    proposals = {}
    for seed in range(SEEDS):
        docs = tpe.suggest([len(trials.trials)], domain, trials, seed)
        for label, values in docs[0]["misc"]["vals"].items():
            if values:
                proposals.setdefault(label, []).append(float(values[0]))
    return {"hyperopt": hyperopt.__version__, "history": history, "seeds": SEEDS, "proposals": proposals}


# ---- Parzen estimator and mixture densities, called directly ----

def estimator_cases():
    rng = np.random.default_rng(3)
    history = rng.uniform(-5, 10, size=40).tolist()
    parzen = []
    for mus, prior_mu, prior_sigma in [([], 2.5, 15.0), ([0.3], 0.5, 1.0), ([0.9], 0.5, 1.0),
                                       ([0.5, 0.1, 0.9, 0.1], 0.5, 1.0), (history, 2.5, 15.0)]:
        weights, centres, sigmas = tpe.adaptive_parzen_normal(mus, 1.0, prior_mu, prior_sigma)
        parzen.append({"mus": mus, "priorMu": prior_mu, "priorSigma": prior_sigma,
                       "weights": weights.tolist(), "centres": centres.tolist(), "sigmas": sigmas.tolist()})
    samples = [0.05, 0.5, 1.2, 3.0, 7.5]
    mixture = {"weights": [0.2, 0.5, 0.3], "mus": [0.5, 1.0, 4.0], "sigmas": [0.3, 2.0, 1.5]}
    densities = []
    for name, fn, kwargs, xs in [
        ("GMM1", tpe.GMM1_lpdf, {}, samples),
        ("GMM1 truncated", tpe.GMM1_lpdf, {"low": 0.0, "high": 8.0}, samples),
        ("GMM1 quantised truncated", tpe.GMM1_lpdf, {"low": 0.0, "high": 8.0, "q": 0.5}, [0.0, 0.5, 1.0, 3.0, 7.5, 8.0]),
        ("GMM1 quantised", tpe.GMM1_lpdf, {"q": 1.0}, [-1.0, 0.0, 1.0, 4.0]),
        ("LGMM1", tpe.LGMM1_lpdf, {}, samples),
        ("LGMM1 truncated", tpe.LGMM1_lpdf, {"low": -1.0, "high": 2.0}, samples),
        ("LGMM1 quantised truncated", tpe.LGMM1_lpdf, {"low": -1.0, "high": 2.0, "q": 1.0}, [0.0, 1.0, 2.0, 5.0, 7.0]),
        ("LGMM1 quantised", tpe.LGMM1_lpdf, {"q": 2.0}, [0.0, 2.0, 4.0, 10.0]),
    ]:
        values = fn(np.asarray(xs, dtype=float), mixture["weights"], mixture["mus"], mixture["sigmas"], **kwargs)
        densities.append({"name": name, "options": kwargs, "samples": xs, "logPdf": [float(v) for v in values]})
    forgetting = {str(n): tpe.linear_forgetting_weights(n, 25).tolist() for n in (0, 3, 25, 26, 40)}
    return {"parzen": parzen, "mixture": mixture, "densities": densities, "linearForgetting": forgetting}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/tune"
    semantics = {"hyperopt": hyperopt.__version__, "draws": DRAWS, "prior": prior_draws(), "shapes": shapes(), "estimator": estimator_cases()}
    with open(f"{root}/hp-semantics.json", "w") as f:
        json.dump(semantics, f, indent=1, allow_nan=False)
    with open(f"{root}/tpe-proposals.json", "w") as f:
        json.dump(tpe_proposals(tpe_space, tpe_loss, 30, 7), f, indent=None, allow_nan=False)
    with open(f"{root}/tpe-proposals-conditional.json", "w") as f:
        cases = {kind: tpe_proposals(conditional_tpe_space, conditional_tpe_loss(kind), 40, 11) for kind in ("a", "b")}
        json.dump(cases, f, indent=None, allow_nan=False)


if __name__ == "__main__":
    main()
