"""Shared by bench/scipy_*.py: the best wall-clock and CPU time of `repeats` calls, and the last result."""
import time


def best_of(repeats, call):
    best = float("inf")
    best_cpu = float("inf")
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        started_cpu = time.process_time()
        result = call()
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
        best = min(best, time.perf_counter() - started)
    return best, best_cpu, result
