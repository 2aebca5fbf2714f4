"""Starts moto's server with Vigil's extensions on 127.0.0.1.

    python tests/moto/server.py PORT

Prints nothing itself; moto logs requests to stderr.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vigil_moto  # noqa: E402

vigil_moto.install()

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    port = sys.argv[1] if len(sys.argv) > 1 else "5000"
    main(["-H", "127.0.0.1", "-p", port])
