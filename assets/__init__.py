"""Thin Dagster assets, one module per stage: discovery → fetch → cleanup → parse → datasets (checked, published)."""

import warnings

from dagster import BetaWarning, PreviewWarning

# Chosen knowingly: single-run backfills (beta) and partitioned asset checks (preview) are what make a
# backfill one run and a check per partition; the warnings would repeat on every code-location load.
warnings.filterwarnings("ignore", category=BetaWarning)
warnings.filterwarnings("ignore", category=PreviewWarning)
