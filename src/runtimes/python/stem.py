"""The stem-cell shim (decision 9).

Started in a sandbox before any function is known, as ``python3 -u stem.py``, with only the
variables that shape the interpreter's own start-up. It imports what the runtime client needs,
then blocks on stdin for one release message from the server::

    {"argv": [...], "env": {...}, "cwd": "/var/task"}

It becomes that environment (the function's complete variables, ``PYTHONPATH`` applied to
``sys.path`` as start-up would have) and runs the ordinary bootstrap as ``__main__``. End of
input without a message (the server went away) ends the process.
"""

# The bootstrap's imports, loaded while nothing waits; none reads the environment when loaded.
import http.client  # noqa: F401
import importlib  # noqa: F401
import json
import logging  # noqa: F401
import os
import runpy
import socket  # noqa: F401
import sys
import time  # noqa: F401
import traceback  # noqa: F401

text = sys.stdin.read()
if not text:
    sys.exit(0)
release = json.loads(text)
sys.stdin.close()

os.environ.clear()
os.environ.update(release["env"])
os.chdir(release["cwd"])
# Start-up puts PYTHONPATH's entries right after the script's directory.
extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
sys.path[1:1] = [p for p in extra if p not in sys.path]

# argv as the interpreter would have given it: the script, then its arguments.
script = release["argv"][-1]
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
