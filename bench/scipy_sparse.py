"""Times scipy.sparse.csgraph.min_weight_full_bipartite_matching on a CSR candidate graph.

Usage: python3 bench/scipy_sparse.py PREFIX ROWS COLS MAXIMIZE(0|1) REPEATS SCALE
Reads PREFIX.rowptr (int32, ROWS+1), PREFIX.col (int32) and PREFIX.w (float64), the graph
bench/simulate.ts solved. scipy minimises positive costs: cost = round((max w + 1 − w) × SCALE)
when maximising (round((w − min w + 1) × SCALE) otherwise), integers held as float64. With
SCALE = 1e9 and compatibility scores (multiples of 1e-9) this is exactly the same problem (a
full matching's total moves by a constant); the learned weights are rounded to 1e-9. scipy
1.17 did not return within minutes on the raw float weights of a 1,000-row graph (its LAPJVsp
loops on some inputs: scipy issues 17269 and 17633), hence integer costs. Prints one JSON
object: the best solve time in seconds, wall clock and process CPU time (reading the files is
not timed), and the total of the matched weights.
"""
import json
import os
import sys

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scipy_timing import best_of  # noqa: E402


def main() -> None:
    prefix, rows, cols, maximize, repeats, scale = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5]), float(sys.argv[6])
    indptr = np.fromfile(prefix + ".rowptr", dtype=np.int32)
    indices = np.fromfile(prefix + ".col", dtype=np.int32)
    weights = np.fromfile(prefix + ".w", dtype=np.float64)
    cost = np.round(((weights.max() + 1.0 - weights) if maximize else (weights - weights.min() + 1.0)) * scale)
    graph = csr_matrix((cost, indices, indptr), shape=(rows, cols))
    original = csr_matrix((weights, indices, indptr), shape=(rows, cols))
    best, best_cpu, (r, c) = best_of(repeats, lambda: min_weight_full_bipartite_matching(graph))
    total = float(np.asarray(original[r, c]).sum())
    import scipy

    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "total": total, "matched": int(len(r)), "scale": scale, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
