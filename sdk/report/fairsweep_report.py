"""Fairsweep trial-side helpers for Python (standard library only).

Copy this file next to your trial script, or put its folder on PYTHONPATH:

    import fairsweep_report as fs

    p = fs.params()            # {'lr': 0.01, 'optimizer': 'adam', ...}
    random.seed(fs.seed())     # the trial seed (a uint32)
    for epoch in range(10):
        ...
        fs.report(step=epoch, loss=loss, accuracy=acc)
    fs.report(**{"val/loss": val_loss})   # names that are not Python identifiers

Early stopping: when a pruner stops the trial, the platform writes the stop file
(FAIRSWEEP_STOP_FILE, JSON such as {"reason": "pruned", "message": "...", ...}) and then sends
SIGTERM, with a grace period before SIGKILL. Call `install_stop_handler()` once to turn SIGTERM
into a flag, then check `should_stop()` between steps and read `stop_reason()`:

    fs.install_stop_handler()
    for epoch in range(100):
        ...
        fs.report(step=epoch, loss=loss)
        if fs.should_stop():
            print("stopping:", fs.stop_reason()["reason"])   # "pruned", "cancelled" or "preempted"
            save_checkpoint(); sys.exit(0)

`report` prints one line of the Fairsweep line protocol on stdout and flushes it:

    FAIRSWEEP_METRIC accuracy=0.9 loss=0.31 step=5
"""

import json
import math
import os
import re
import signal
import sys

__all__ = [
    "params", "seed", "trial", "report", "format_report_line",
    "stop_reason", "should_stop", "install_stop_handler",
]

_PREFIX = "FAIRSWEEP_METRIC"
_METRIC_NAME = re.compile(r"^(?!step$)[A-Za-z_][A-Za-z0-9_./-]*$")


def trial():
    """The whole params document: trialId, experimentId, trialIndex, attempt, seed, params."""
    path = os.environ.get("FAIRSWEEP_PARAMS_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    inline = os.environ.get("FAIRSWEEP_PARAMS")
    if inline:
        return {"params": json.loads(inline), "seed": seed()}
    raise RuntimeError(
        "fairsweep_report: not running as a Fairsweep trial "
        "(FAIRSWEEP_PARAMS_FILE and FAIRSWEEP_PARAMS are unset)"
    )


def params():
    """The trial's parameters, as a dict of name to value."""
    return trial()["params"]


def seed():
    """The trial seed (FAIRSWEEP_SEED), an integer in 0..2**32-1."""
    text = os.environ.get("FAIRSWEEP_SEED")
    if text is None or not text.isdigit():
        raise RuntimeError("fairsweep_report: FAIRSWEEP_SEED is not set; not running as a Fairsweep trial?")
    return int(text)


def format_report_line(step=None, **metrics):
    """The protocol line for these metrics, without the newline. Raises ValueError on bad input."""
    if not metrics:
        raise ValueError("fairsweep_report: give at least one metric")
    pairs = []
    for name, value in metrics.items():
        if not _METRIC_NAME.match(name):
            raise ValueError("fairsweep_report: invalid metric name %r" % (name,))
        if isinstance(value, bool):
            raise ValueError("fairsweep_report: metric %s must be a number, got a bool" % name)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("fairsweep_report: metric %s must be finite, got %r" % (name, value))
        pairs.append("%s=%s" % (name, _format_number(value, number)))
    if step is not None:
        if isinstance(step, bool) or int(step) != step or step < 0:
            raise ValueError("fairsweep_report: step must be an integer >= 0, got %r" % (step,))
        pairs.append("step=%d" % int(step))
    return _PREFIX + " " + " ".join(pairs)


def report(step=None, **metrics):
    """Reports metrics (and an optional step) by printing one FAIRSWEEP_METRIC line on stdout."""
    line = format_report_line(step, **metrics)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _format_number(value, number):
    if isinstance(value, int):
        return str(value)
    return repr(number)


_sigterm_seen = False


def stop_reason():
    """Why the platform is stopping this trial: the stop file's JSON document
    ({"reason": "pruned" | "cancelled" | "preempted", "message": ..., "attemptId": ..., "at": ...}),
    or None while the trial is not being stopped."""
    path = os.environ.get("FAIRSWEEP_STOP_FILE")
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None  # being written: the next call sees it


def should_stop():
    """True once the platform asked the trial to stop (stop file present, or SIGTERM caught by
    install_stop_handler)."""
    return _sigterm_seen or stop_reason() is not None


def install_stop_handler(callback=None):
    """Handles SIGTERM instead of dying at once: sets the flag should_stop() reads and calls
    callback(stop_reason()) if given. Use the grace period to save and exit."""

    def _handler(signum, frame):
        global _sigterm_seen
        _sigterm_seen = True
        if callback is not None:
            callback(stop_reason())

    signal.signal(signal.SIGTERM, _handler)
