"""Optuna side of `npm run bench:strategies`: reads a JSON job on stdin, prints JSON lines.

Job: {"mode": "regret", "functions": [...], "samplers": ["tpe", "random"], "seeds": [...], "trials": [100, 200]}
  -> one line per (function, sampler, seed): {"function", "sampler", "seed", "best": {"100": v, "200": v}}
Job: {"mode": "latency", "function": name, "sampler": name, "history": [{params, value}, ...], "at": [100, 1000], "reps": 5}
  -> one line: {"function", "sampler", "ms": {"100": median ms, "1000": median ms}}
Job: {"mode": "trace", "function": name, "space": {...}, "seed": s, "trials": n}
  -> one line: {"function", "seed", "history": [{params, value}, ...], "uniforms": [...]}: a TPE run
  and the doubles its sampler's RandomState(seed) draws (after the startup trials, each parameter
  of each trial takes 2 x n_ei_candidates of them: the kernel choice, then the truncnorm or
  categorical draws), for the equivalence check (equivalence.js).
Job: {"mode": "distribution", "space": {...}, "history": [{params, value}, ...], "seeds": [first, count], "check": k}
  -> one line: {"suggestions": [{params}, ...]}: the first suggestion of TPESampler(seed=s) for each
  seed s, conditioned on the same completed history (sample_independent per parameter, sorted
  names, as study.ask() + suggest_* call it; the first k seeds are also run through study.ask()
  and must agree), for the distribution check (distribution.js).
Job: {"mode": "uniforms", "seeds": [first, count], "draws": k, "path": file}
  -> writes numpy.random.RandomState(s).random_sample(k) for each seed s, in order, to file as
  little-endian float64 (the doubles both TPESampler(seed=s)'s RandomState and its
  RandomSampler(seed=s) draw), prints {"path", "seeds", "draws"}, for the replica check (replica.js).
Objective formulas mirror bench/strategies/functions.js.
"""
import json
import math
import statistics
import sys
import time

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)


def branin(p):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (p["x2"] - b * p["x1"] ** 2 + c * p["x1"] - 6) ** 2 + 10 * (1 - t) * math.cos(p["x1"]) + 10


def rosenbrock(p):
    x = [p["x1"], p["x2"], p["x3"], p["x4"]]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))


def mixed(p):
    offset = {"sgd": 0, "adam": 0.3, "rmsprop": 0.6}
    return (math.log10(p["lr"]) + 2.5) ** 2 + ((p["units"] - 24) / 16) ** 2 + offset[p["optimizer"]]


FUNCTIONS = {"branin": branin, "rosenbrock4": rosenbrock, "mixed": mixed}


def distributions(space):
    out = {}
    for name in sorted(space):
        s = space[name]
        if s["type"] == "float":
            out[name] = FloatDistribution(s["low"], s["high"], log=s["log"])
        elif s["type"] == "int":
            out[name] = IntDistribution(s["low"], s["high"], log=s["log"], step=s["step"])
        else:
            out[name] = CategoricalDistribution(s["choices"])
    return out


def sampler(name, seed):
    return optuna.samplers.TPESampler(seed=seed) if name == "tpe" else optuna.samplers.RandomSampler(seed=seed)


def suggest_all(trial, dists):
    out = {}
    for name, d in dists.items():
        if isinstance(d, FloatDistribution):
            out[name] = trial.suggest_float(name, d.low, d.high, log=d.log)
        elif isinstance(d, IntDistribution):
            out[name] = trial.suggest_int(name, d.low, d.high, step=d.step, log=d.log)
        else:
            out[name] = trial.suggest_categorical(name, d.choices)
    return out


def regret(job):
    marks = sorted(job["trials"])
    for fn in job["functions"]:
        dists = distributions(job["spaces"][fn])
        for name in job["samplers"]:
            for seed in job["seeds"]:
                study = optuna.create_study(sampler=sampler(name, seed))
                best, out = math.inf, {}
                for i in range(marks[-1]):
                    trial = study.ask()
                    value = FUNCTIONS[fn](suggest_all(trial, dists))
                    study.tell(trial, value)
                    best = min(best, value)
                    if i + 1 in marks:
                        out[str(i + 1)] = best
                print(json.dumps({"function": fn, "sampler": name, "seed": seed, "best": out}), flush=True)


def latency(job):
    dists = distributions(job["space"])
    ms = {}
    for n in job["at"]:
        study = optuna.create_study(sampler=sampler(job["sampler"], 0))
        study.add_trials([create_trial(params=h["params"], distributions=dists, value=h["value"]) for h in job["history"][:n]])
        times = []
        for _ in range(job["reps"] + 1):  # the first call warms up
            start = time.perf_counter()
            trial = study.ask()
            suggest_all(trial, dists)
            times.append((time.perf_counter() - start) * 1000)
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        ms[str(n)] = statistics.median(times[1:])
    print(json.dumps({"function": job["function"], "sampler": job["sampler"], "ms": ms}), flush=True)


def trace(job):
    dists = distributions(job["space"])
    study = optuna.create_study(sampler=sampler("tpe", job["seed"]))
    history = []
    for _ in range(job["trials"]):
        trial = study.ask()
        params = suggest_all(trial, dists)
        value = FUNCTIONS[job["function"]](params)
        study.tell(trial, value)
        history.append({"params": params, "value": value})
    draws = 2 * 24 * len(dists) * max(job["trials"] - 10, 0)
    uniforms = np.random.RandomState(job["seed"]).random_sample(draws).tolist()
    print(json.dumps({"function": job["function"], "seed": job["seed"], "history": history, "uniforms": uniforms}), flush=True)


def distribution(job):
    dists = distributions(job["space"])
    done = [create_trial(params=h["params"], distributions=dists, value=h["value"]) for h in job["history"]]
    study = optuna.create_study()
    study.add_trials(done)
    running = study.ask()
    frozen = study._storage.get_trial(running._trial_id)
    first, count = job["seeds"]
    out = []
    for seed in range(first, first + count):
        tpe = optuna.samplers.TPESampler(seed=seed)
        out.append({name: tpe.sample_independent(study, frozen, name, d) for name, d in dists.items()})
    for seed in range(first, first + job.get("check", 0)):
        fresh = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        fresh.add_trials(done)
        via_ask = suggest_all(fresh.ask(), dists)
        if via_ask != out[seed - first]:
            raise SystemExit(f"distribution: seed {seed}: study.ask() gave {via_ask}, sample_independent {out[seed - first]}")
    print(json.dumps({"suggestions": out}), flush=True)


def uniforms(job):
    first, count = job["seeds"]
    with open(job["path"], "wb") as out:
        for seed in range(first, first + count):
            out.write(np.random.RandomState(seed).random_sample(job["draws"]).astype("<f8").tobytes())
    print(json.dumps({"path": job["path"], "seeds": job["seeds"], "draws": job["draws"]}), flush=True)


if __name__ == "__main__":
    job = json.load(sys.stdin)
    modes = {"regret": regret, "latency": latency, "trace": trace, "distribution": distribution, "uniforms": uniforms}
    modes[job["mode"]](job)
