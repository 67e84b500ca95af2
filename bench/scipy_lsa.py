"""Times scipy.optimize.linear_sum_assignment on a raw float64 row-major matrix.

Usage: python3 bench/scipy_lsa.py PATH ROWS COLS MAXIMIZE(0|1) REPEATS
Prints one JSON object: the best solve time in seconds, wall clock and process CPU time
(reading the file is not timed), and the total of the assigned scores.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main() -> None:
    path, rows, cols, maximize, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5])
    scores = np.fromfile(path, dtype=np.float64).reshape(rows, cols)
    best = float("inf")
    best_cpu = float("inf")
    total = None
    for _ in range(repeats):
        started = time.perf_counter()
        started_cpu = time.process_time()
        r, c = linear_sum_assignment(scores, maximize=maximize)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
        best = min(best, time.perf_counter() - started)
        total = float(scores[r, c].sum())
    import scipy

    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "total": total, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
