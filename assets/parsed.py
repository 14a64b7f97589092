"""Stage 3: the three standard tables, prose facts and metadata of each report, with identities."""

import json

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, BackfillPolicy, Output, asset

from ogi.datasets.rows import identity_json
from ogi.model import document_from_json
from ogi.parse.report import SourceInfo, parse_document
from pipelines.io import records
from pipelines.partitions import REPORT_PARTITIONS

PARSED_COLUMNS = ["source_id", "year", "region", "location", "origin_url", "agency_hint", "sha256", "size", "fetched_at",
                  "http_status", "unchanged", "content_type", "encoding", "report_id", "record", "identities",
                  "status", "stage", "message"]


@asset(
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="parse",
    io_manager_key="stage_io",
    ins={"clean_documents": AssetIn()},
    kinds={"python", "parquet"},
    description=(
        "Each cleaned report parsed into canonical cells of the tables active / requests / review_litigation "
        "(format 2021, 2019 or pre2019 decided from the content), prose facts for pre-2019 reports, metadata "
        "(year, agency, region, scope, authority) and the identities I1–I4 as data: the same record "
        "`ogi parse` prints."
    ),
)
def parsed_reports(context: AssetExecutionContext, clean_documents: pd.DataFrame) -> Output[pd.DataFrame]:
    rows = []
    for doc in records(clean_documents):
        base = {k: doc.get(k) for k in PARSED_COLUMNS if k in doc and k not in ("status", "stage", "message")}
        if doc.get("status") != "ok":
            rows.append({**base, "status": "failed", "stage": doc.get("stage"), "message": doc.get("message")})
            continue
        try:
            source = SourceInfo(uri=doc["location"], sha256=doc["sha256"], content_type=doc.get("content_type"),
                                encoding=doc.get("encoding"), origin_uri=doc.get("origin_url"))
            report = parse_document(document_from_json(json.loads(doc["document"])), source,
                                    province_hint=doc["region"], agency_hint=doc.get("agency_hint"),
                                    year_hint=int(doc["year"]))
        except Exception as exc:  # a parser bug on one report is recorded, the others proceed
            context.log.warning(f"parse failed: {doc['source_id']}: {exc}")
            rows.append({**base, "status": "failed", "stage": "parse", "message": f"{type(exc).__name__}: {exc}"})
            continue
        rows.append({**base, "record": json.dumps(report.to_record(exact=True), ensure_ascii=False),
                     "identities": json.dumps([identity_json(r) for r in report.identities], ensure_ascii=False),
                     "status": "ok", "stage": None, "message": None})
    frame = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    return Output(frame, metadata={"reports": int((frame["status"] == "ok").sum()),
                                   "failed": int((frame["status"] == "failed").sum())})
