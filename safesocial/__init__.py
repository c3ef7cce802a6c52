import os

# One BLAS thread per process, set before numpy is first imported. The classifier's one matrix product per comment
# (semantic_comments.Memory.margins) is too small to share: with OpenBLAS's default of a thread per core, the extra
# thread only spins waiting for work, and a worker took twice the CPU per comment for the same wall time (35 ms
# against 18 ms: benchmarks/webhook_latency.py --worker). Web processes and workers run side by side on the same cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
