"""Times scipy.optimize.linear_sum_assignment on a raw float64 row-major matrix.

Usage: python3 bench/scipy_lsa.py PATH ROWS COLS MAXIMIZE(0|1) REPEATS
Prints one JSON object: the best solve time in seconds, wall clock and process CPU time
(reading the file is not timed), and the total of the assigned scores.
"""
import json
import os
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scipy_timing import best_of  # noqa: E402


def main() -> None:
    path, rows, cols, maximize, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5])
    scores = np.fromfile(path, dtype=np.float64).reshape(rows, cols)
    best, best_cpu, (r, c) = best_of(repeats, lambda: linear_sum_assignment(scores, maximize=maximize))
    total = float(scores[r, c].sum())
    import scipy

    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "total": total, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
