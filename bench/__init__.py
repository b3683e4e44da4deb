"""The benchmark: a seeded, landlord-scale dataset and a runner that times GraphQL requests through the engine
against hand-written SQL returning the same JSON.

Run it with ``learnloop bench`` (see docs/performance.md). The package lives in the source checkout beside the
application packages and is not installed with them.
"""


class BenchError(Exception):
    """The benchmark cannot run as asked: the message says why and what to do."""
