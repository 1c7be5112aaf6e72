"""The one place where the plugin calls placedef: the Python module for the jobs it has
(overlay, align, bestfit, matrix, pcn, footprints, compare, flows), the command line for the
others (map, study). Each job writes exactly the files the command line writes for the
same request (the module's output=), and the plugin loads those files.

A job runs in a child process (/usr/bin/python3, which the module is built for): the
module's only way to stop a running job is Ctrl-C (SIGINT, it then cancels the engine
within a second), and a child process can receive one when QGIS's Cancel is pressed,
whatever thread Processing runs the algorithm on. The child's log (the engine's notes
and problems) goes to the Processing log, and the engine's progress (placedef.hooks) to
the progress bar.

A request is plain data: {"job": name, "args": {...}, "output": [paths]}; an argument
{"population": {...}} becomes a placedef.Population, {"attributes": {...}} the blocks'
columns read through the engine. Switching to the module's result objects touches this
file only.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PATHS_FILE = os.path.join(HERE, "placedef_paths.json")
MODULE_JOBS = ("overlay", "align", "bestfit", "matrix", "pcn", "footprints", "compare", "flows")
# How long a job may take to stop after SIGINT before it is killed (the module
# promises one second).
STOP_GRACE_SECONDS = 1.5
# The child's last line on stderr, after its log: the reply.
REPLY = "placedef-reply: "
# A line of the child's on stderr with the engine's progress: "placedef-progress: DONE TOTAL".
PROGRESS = "placedef-progress: "
# The part of the progress bar the job itself fills (the algorithm's steps take the rest).
JOB_START, JOB_END = 10, 90


class JobError(Exception):
    """The engine refused the request (its message) or the job could not run."""


class JobCancelled(Exception):
    """The job stopped because the user cancelled it."""


def paths():
    """Where the module, its interpreter and the command line are: the environment
    (PLACEDEF_PYTHONPATH, PLACEDEF_PYTHON, PLACEDEF_CLI) first, then the file
    scripts/install-qgis-plugin.sh writes beside the plugin."""
    found = {"pythonpath": "", "python": "/usr/bin/python3", "cli": "placedef"}
    if os.path.exists(PATHS_FILE):
        with open(PATHS_FILE, encoding="utf-8") as f:
            found.update(json.load(f))
    for key in found:
        found[key] = os.environ.get("PLACEDEF_" + key.upper(), found[key])
    return found


def _command(request):
    where = paths()
    if request["job"] in MODULE_JOBS:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (where["pythonpath"], env.get("PYTHONPATH", "")) if p)
        return [where["python"], os.path.abspath(__file__)], env, json.dumps(request)
    return [where["cli"]] + request["argv"], dict(os.environ), None


def run(request, feedback):
    """Runs the request, passing its log lines to feedback.pushInfo and stopping it
    when feedback.isCanceled(); returns the job's summary text."""
    argv, env, stdin_text = _command(request)
    if stdin_text is None:
        feedback.pushCommandInfo(" ".join(argv))
    else:
        feedback.pushCommandInfo(f"placedef.{request['job']}({json.dumps(request['args'])}, output={request['output']})")
    try:
        child = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
    except OSError as e:
        raise JobError(f"cannot start {argv[0]}: {e.strerror} (install placedef with "
                       "scripts/install-qgis-plugin.sh, or set PLACEDEF_CLI / PLACEDEF_PYTHONPATH)")
    # Both pipes are drained by threads so that the child never waits on a full pipe;
    # the log reaches feedback from this thread, the algorithm's.
    log, printed = [], []
    readers = [threading.Thread(target=lambda: log.extend(line.rstrip("\n") for line in child.stderr), daemon=True),
               threading.Thread(target=lambda: printed.extend(child.stdout), daemon=True)]
    for reader in readers:
        reader.start()
    if stdin_text is not None:
        child.stdin.write(stdin_text)
    child.stdin.close()
    cancelled_at = None
    shown = 0

    def show_log():
        nonlocal shown
        for line in log[shown:]:
            if line.startswith(PROGRESS):
                done, total = (int(n) for n in line[len(PROGRESS):].split())
                if total > 0:  # the job's share of the bar, between its inputs (10 %) and its layers (90 %)
                    feedback.setProgress(JOB_START + (JOB_END - JOB_START) * done / total)
            elif not line.startswith(REPLY):
                feedback.pushInfo(line)
            shown += 1

    while child.poll() is None:
        show_log()
        if feedback.isCanceled() and cancelled_at is None:
            cancelled_at = time.monotonic()
            child.send_signal(signal.SIGINT)
        if cancelled_at is not None and time.monotonic() - cancelled_at > STOP_GRACE_SECONDS:
            child.kill()
        time.sleep(0.05)
    for reader in readers:
        reader.join(timeout=5)
    show_log()
    child.stdout.close()
    child.stderr.close()
    stdout = "".join(printed)
    if cancelled_at is not None:
        raise JobCancelled("cancelled")
    if stdin_text is None:
        if child.returncode != 0:
            errors = [line[len("error: "):] for line in log if line.startswith("error: ")]
            raise JobError("; ".join(errors) or f"placedef ended with exit code {child.returncode}")
        said = [line for line in log if not line.startswith(("note: ", "warning: ", "problems: "))]
        return stdout.strip() or (said[-1] if said else "")
    replies = [json.loads(line[len(REPLY):]) for line in log if line.startswith(REPLY)]
    if child.returncode != 0 or not replies or "error" in replies[-1]:
        raise JobError(replies[-1]["error"] if replies else f"the placedef module ended with exit code {child.returncode}")
    return replies[-1]["summary"]


# ---- the child: calls the module ------------------------------------------------------

def _argument(placedef, value):
    if isinstance(value, dict) and "population" in value:
        return placedef.Population(**value["population"])
    if isinstance(value, dict) and "attributes" in value:
        spec = value["attributes"]
        columns = placedef.Layer.open(spec["layer"]).to_dict() if spec["columns"] else {}
        chosen = {name: ([float(v) for v in columns[name]], weight) for name, weight in spec["columns"]}
        chosen.update({name: weight for name, weight in spec.get("builtin", [])})  # density, position: a weight alone
        return chosen
    if isinstance(value, dict) and "pair" in value:
        return tuple(value["pair"])
    if isinstance(value, list):
        return [_argument(placedef, v) for v in value]
    return value


def _summary(job, result):
    """A line for the log, from the module's result."""
    if "text" in result:
        return result["text"]
    counts = {"overlay": lambda: f"{len(result['rows']['a_code'])} pieces",
              "bestfit": lambda: f"{len(result['child'])} units assigned",
              "pcn": lambda: f"{len(result['footprints']['code'])} PCN footprints from {result['summary']['sites']} sites",
              "footprints": lambda: f"{result['summary']['regions']} footprints by {result['summary']['method']} "
                                    f"from {result['summary']['blocks']} blocks",
              "compare": lambda: f"{len(result['proposals']['name'])} proposals compared",
              "flows": lambda: f"{result['summary']['areas']} functional areas of {result['summary']['units']} units "
                               f"from {result['summary']['flows']} flows" + _edge(result['summary'])}
    return counts[job]()


def _edge(summary):
    """The people who cross the edge of the units, as the command line says them; nothing when none do."""
    if not (summary.get("working_outside") or summary.get("coming_in")):
        return ""
    def people(count):  # whole counts without a decimal point, others as given, as the command line prints them
        return f"{count:.0f}" if float(count).is_integer() else f"{count}"

    return (f"; {people(summary['working_outside'])} of their residents work outside them and "
            f"{people(summary['coming_in'])} of their jobs are filled from outside (counted in self-containment)")


def _child():
    import logging

    class Lines(logging.Handler):
        def emit(self, record):
            level = {logging.WARNING: "warning: ", logging.INFO: "note: "}.get(record.levelno, "")
            print(level + record.getMessage(), file=sys.stderr, flush=True)

    logging.getLogger("placedef").addHandler(Lines())
    logging.getLogger("placedef").setLevel(logging.INFO)
    request = json.load(sys.stdin)
    try:
        import placedef
    except ImportError as e:
        print(REPLY + json.dumps({"error": f"{e} for {sys.executable}: run scripts/install-qgis-plugin.sh after "
                                           "building placedef, or set PLACEDEF_PYTHONPATH to the module's folder"}),
              file=sys.stderr)
        sys.exit(1)
    def progress(done, total):
        print(f"{PROGRESS}{done} {total}", file=sys.stderr, flush=True)

    try:
        args = {name: _argument(placedef, value) for name, value in request["args"].items()}
        with placedef.hooks(progress=progress):
            result = getattr(placedef, request["job"])(**args, output=request["output"])
        reply = {"summary": _summary(request["job"], result)}
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # the engine's message goes to the Processing log as the error
        reply = {"error": str(e) or type(e).__name__}
    print(REPLY + json.dumps(reply), file=sys.stderr, flush=True)
    sys.exit(1 if "error" in reply else 0)


if __name__ == "__main__":
    _child()
