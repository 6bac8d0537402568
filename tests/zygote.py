"""A process that starts build processes in milliseconds, for the differential test.

Run as `python -m tests.zygote`: it imports the builder, sets the test's thresholds and warms
the builder's own data (`tests/warm.py`), then reads commands on its standard input, one JSON
line each (`{"argv": [...], "log": "file"}`), and for each forks a new process that runs
`catalogue ARGV` with its output in the log; it answers with the exit code. Each build thus
runs in a process of its own, that knows nothing of the builds before it.
"""

from __future__ import annotations

import json
import os
import sys

from builder.cli import main as catalogue

from .warm import small_thresholds, warm


def serve() -> None:
    small_thresholds()
    warm()
    print("ready", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the build process
            try:
                fd = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                code = catalogue(command["argv"])
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001 - a traceback is a failure the test reports
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
