"""Work that must stay bounded: a supervised process pool for per-document tasks."""

from ogi.work.pool import FailureKind, Limits, Outcome, Pool

__all__ = ["FailureKind", "Limits", "Outcome", "Pool"]
