"""Personal data: what the landlord keeps about a person, for how long, and how it is erased.

- ``retention``: the retention schedule, one rule per kind of record, from the ``LEARNLOOP_RETAIN_*`` settings.
- ``erasure``: erase what has passed its period (the nightly sweep) or one person's records on request.
- ``holds``: legal holds that keep a person's or a case's records from erasure, and the ledger of what was erased.
- ``models``: the domain's tables, as the model scan finds them (defined in ``holds``).
"""
