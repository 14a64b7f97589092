"""The one registry of datasets and fields: every stage's Arrow contract and every published dataset.

Each dataset is declared once here — its fields (name, Arrow type, nullability, meaning, unit,
allowed values, range, example), its primary key, its layer (a stage hand-off or a published
dataset) and how it is partitioned. Everything else is generated from it: the Parquet schemas
(with each field's description in the Arrow field metadata), the Dagster column schemas
(pipelines/), the great-expectations contract suites (expectations/) and docs/datasets.md.
Later issues add fields and datasets here, never in the consumers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

import pyarrow as pa

from ogi.model import Placement, Severity, Stage
from ogi.reference import keys

# Bumped when a published dataset changes in a way a reader must know about (a column removed,
# renamed or retyped). Adding a nullable column does not bump it: readers ignore what they do not know.
SCHEMA_VERSION = "3"
FIRST_YEAR = 2008  # statistics years before the Regulations took effect (2008-05-01) have no reports

AMOUNT = pa.decimal128(24, 4)  # exact: counts and money in yuan (1.23万元 → 12300.0000)
TIMESTAMP = pa.timestamp("us", tz="UTC")


class Layer(StrEnum):
    """Stage datasets are hand-offs between assets; published datasets are what BI tools read."""

    STAGE = "stage"
    PUBLISHED = "published"


class Partitioning(StrEnum):
    """Hive folders of a dataset: statistics year × province-level region, or region alone (discovery)."""

    YEAR_REGION = "year_region"
    REGION = "region"
    NONE = "none"  # reference tables: one file
    YEAR = "year"  # national summaries: one file per statistics year


class DocumentStatus(StrEnum):
    """What became of a catalog document."""

    PUBLISHED = "published"  # its report is in the datasets
    DUPLICATE = "duplicate"  # another copy of a published report (duplicate_of says which, duplicate_reason why)
    EXCLUDED = "excluded"  # read, but kept out (not an authoritative copy, or excluded by an override)
    FAILED = "failed"  # could not be fetched, read or parsed (stage and message say why)


class StageStatus(StrEnum):
    """Whether a document came through a stage: ok, or failed there (and every later stage skips it)."""

    OK = "ok"
    FAILED = "failed"


class Scope(StrEnum):
    """A body's report on itself, or a government's roll-up of its whole area (two different reports)."""

    BODY = "body"
    JURISDICTION = "jurisdiction"


class Period(StrEnum):
    YEAR = "year"
    CUMULATIVE = "cumulative"


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(str(v) for v in enum)


@dataclass(frozen=True)
class Field:
    """One column: its Arrow type and everything a reader, a check and the docs need to know of it."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None  # the only values it may hold (strings)
    minimum: int | float | None = None
    maximum: int | float | None = None
    unit: str | None = None
    example: str | None = None
    pattern: str | None = None  # a regular expression every value matches

    def arrow(self) -> pa.Field:
        meta = {"description": self.description}
        if self.unit:
            meta["unit"] = self.unit
        return pa.field(self.name, self.type, nullable=self.nullable, metadata=meta)


def struct_of(fields: Iterable[Field]) -> pa.StructType:
    return pa.struct([f.arrow() for f in fields])


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    fields: tuple[Field, ...]
    layer: Layer
    primary_key: tuple[str, ...] = ()
    partitioning: Partitioning = Partitioning.YEAR_REGION
    row: str = ""  # what one row is, for the docs: "one row per …"

    @cached_property
    def schema(self) -> pa.Schema:
        return pa.schema([f.arrow() for f in self.fields], metadata={
            "ogi.dataset": self.name,
            "ogi.schema_version": SCHEMA_VERSION,
            "ogi.primary_key": ",".join(self.primary_key),
        })

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def empty(self) -> pa.Table:
        return self.schema.empty_table()

    def table(self, rows: list[dict]) -> pa.Table:
        """Rows (dicts with Decimal, date, datetime, nested lists of dicts) → a table of exactly this schema."""
        return pa.Table.from_pylist(rows, schema=self.schema)


# --- shared field groups -----------------------------------------------------------------------------

def _f(name: str, type_: pa.DataType, description: str, **kw) -> Field:
    return Field(name, type_, description, **kw)


REPORT_ID = _f("report_id", pa.string(), "Stable id of the report: `r` + the first 20 hex digits of its raw bytes' sha256.",
               example="r8cbdb91b66522a37a1b2", pattern=r"^r[0-9a-f]{20}$")
SHA256_PATTERN = r"^[0-9a-f]{64}$"
SOURCE_SHA256 = _f("source_sha256", pa.string(), "sha256 of the raw bytes the row was read from (the raw store's key).",
                   nullable=False, example="8cbdb91b66522a37…", pattern=SHA256_PATTERN)
SOURCE_ID = _f("source_id", pa.string(), "Catalog id of the document (a catalog row, or `d…` for a discovered report page).",
               nullable=False, example="seed-001-txt")

FETCH_FIELDS: tuple[Field, ...] = (
    _f("url", pa.string(), "The location asked for: an http(s) URL or a catalog-relative path.", nullable=False),
    _f("final_url", pa.string(), "Where the bytes came from after redirects."),
    _f("status", pa.int32(), "HTTP status of the final response (null for local files and failures before a response)."),
    _f("content_type", pa.string(), "Content-Type as served."),
    _f("etag", pa.string(), "ETag as served, for the next conditional request."),
    _f("last_modified", pa.string(), "Last-Modified as served, for the next conditional request."),
    _f("sha256", pa.string(), "sha256 of the bytes kept in the raw store (null when nothing was obtained)."),
    _f("size", pa.int64(), "Size of the raw bytes.", unit="bytes", minimum=0),
    _f("fetched_at", TIMESTAMP, "When the fetch finished (UTC)."),
    _f("attempts", pa.int32(), "HTTP attempts made, retries included.", minimum=0),
    _f("unchanged", pa.bool_(), "The server answered 304 or the bytes equal the last fetch's."),
    _f("error", pa.string(), "Why the document could not be obtained (null when it was)."),
    _f("error_kind", pa.string(), "Kind of failure (ogi.fetch.client.ERROR_KINDS)."),
    _f("bytes_transferred", pa.int64(), "Body bytes received over all attempts (0 for a 304).", unit="bytes", minimum=0),
    _f("encoding", pa.string(), "Text encoding of a web page as decoded (GBK, UTF-8…)."),
    _f("created", pa.bool_(), "The bytes were new to the raw store."),
    _f("local", pa.bool_(), "Read from a local path rather than over HTTP."),
    _f("robots", pa.string(), "What robots.txt said of the URL (allowed, disallowed, no robots.txt, unavailable, "
                              "ignored (catalog)); null for local files."),
)
FETCH_FIELD_NAMES = tuple(f.name for f in FETCH_FIELDS)

DOCUMENT_REF: tuple[Field, ...] = (
    SOURCE_ID,
    _f("location", pa.string(), "Where the document is fetched from: http(s) URL or a path relative to the catalog.",
       nullable=False),
    _f("origin_url", pa.string(), "Where the document was published (decides authority for bundled copies)."),
    _f("agency_hint", pa.string(), "Reporting body as the catalog names it."),
)

# What later stages carry of a document's fetch, for the ledger.
FETCHED: tuple[Field, ...] = (
    _f("sha256", pa.string(), "sha256 of the raw bytes (null when nothing could be fetched)."),
    _f("size", pa.int64(), "Size of the raw bytes.", unit="bytes", minimum=0),
    _f("fetched_at", TIMESTAMP, "When the bytes were fetched (UTC)."),
    _f("http_status", pa.int32(), "HTTP status of the final response."),
    _f("unchanged", pa.bool_(), "The bytes equal the last fetch's."),
    _f("error_kind", pa.string(), "Kind of failure: of the fetch (ogi.fetch.client.ERROR_KINDS), or the per-document "
       "limit a read or parse went past (time_limit, memory_limit, reader_crashed, reader_error)."),
)

# Published datasets carry their partition as physical columns too: a file read on its own still says
# where it belongs, and readers that do not parse Hive paths get the right types.
PARTITION_FIELDS: tuple[Field, ...] = (
    _f("year", pa.int16(), "Statistics year (the partition's `year`).", nullable=False, minimum=FIRST_YEAR,
       maximum=2100, example="2022"),
    _f("region", pa.string(), "Province-level GB/T 2260 code of the partition (`000000`: central bodies).",
       nullable=False, pattern=r"^\d{6}$", example="150000"),
)
BODY_ID = _f("body_id", pa.string(), "Stable id of the reporting body (`b<region code>-<hash of its normalised name>`): "
                                      "the same across years and reposts; overrides map renamed bodies to it.",
             pattern=r"^b\d{6}-[0-9a-f]{8}$", example="b430900-1a2b3c4d")
OVERRIDE_FIELDS: tuple[Field, ...] = (
    _f("field", pa.string(), "What the override set.", nullable=False,
       allowed=("body_id", "region", "year", "agency", "scope", "exclude")),
    _f("value", pa.string(), "The value it set.", nullable=False),
    _f("reason", pa.string(), "Why (as the overrides file says).", nullable=False),
)

FINDING_FIELDS: tuple[Field, ...] = (
    _f("stage", pa.string(), "Stage that made the finding.", nullable=False, allowed=_values(Stage)),
    _f("check", pa.string(), "What was found: I1…I4, short_row, spam_removed, unplaced_value, missing_table…",
       nullable=False, example="I2"),
    _f("severity", pa.string(), "info (recorded), warn (a fact about the source), error (a stage failed).",
       nullable=False, allowed=_values(Severity)),
    _f("message", pa.string(), "The finding in words.", nullable=False),
    _f("table", pa.string(), "Standard table concerned, if any.", allowed=keys.TABLES),
    _f("row", pa.string(), "Canonical row concerned, if any."),
    _f("col", pa.string(), "Canonical column concerned, if any."),
    _f("printed", AMOUNT, "The number as printed (for an identity: the printed total side)."),
    _f("expected", AMOUNT, "The number the other side of the identity adds up to."),
    _f("evidence", pa.string(), "The text or terms that show it."),
)

CELL_FIELDS: tuple[Field, ...] = (
    _f("table", pa.string(), "Standard table: active (主动公开), requests (依申请公开), review_litigation (复议诉讼).",
       nullable=False, allowed=keys.TABLES),
    _f("row", pa.string(), "Canonical row key of report-tables.md (an item of `active`, a row of `requests`, a "
                           "proceeding of `review_litigation`).", nullable=False, allowed=keys.ALL_ROWS,
       example="new_received"),
    _f("col", pa.string(), "Canonical column key (a measure of `active`, an applicant type of `requests`, an outcome "
                           "of `review_litigation`).", nullable=False, allowed=keys.ALL_COLS, example="natural_person"),
    _f("value", AMOUNT, "The number exactly as printed (money converted to yuan); null where the cell is blank or "
                        "prints no number.", unit="count or yuan"),
    _f("raw", pa.string(), "The cell's printed text; '' for a blank cell (whose value is null: a blank is not a 0)."),
    _f("unit", pa.string(), "Unit printed with the cell or its header (万元, 元…)."),
    _f("unit_source", pa.string(), "Where the unit came from: printed (in the header or the cell), or template (the "
                                   "official form's unit where none is printed).", allowed=("printed", "template")),
    _f("placement", pa.string(), "printed: read where printed; inferred: cut from a run of digits with an identity's "
                                 "help (never evidence for it); ocr: read from a scan.", nullable=False,
       allowed=_values(Placement)),
    _f("confidence", pa.float32(), "OCR confidence 0–1 (ocr cells only).", minimum=0, maximum=1),
)

FACT_FIELDS: tuple[Field, ...] = (
    _f("key", pa.string(), "Canonical fact key (report-tables.md, pre-2019 prose facts).", nullable=False,
       allowed=keys.FACT_KEYS, example="requests_received"),
    _f("value", AMOUNT, "The figure as stated.", nullable=False, unit="count or the printed unit"),
    _f("unit", pa.string(), "Unit as printed: 条/件 for counts, 元/万元 for money (never converted).",
       example="件"),
    _f("evidence", pa.string(), "The sentence or statistics-table row the figure was read from.", nullable=False),
    _f("period", pa.string(), "year: the statistics year; cumulative: since the Regulations took effect (历年累计).",
       nullable=False, allowed=_values(Period)),
    _f("scope", pa.string(), "body or jurisdiction, as the report's.", allowed=_values(Scope)),
)

IDENTITY_FIELDS: tuple[Field, ...] = (
    _f("identity", pa.string(), "I1…I4 of report-tables.md.", nullable=False, allowed=("I1", "I2", "I3", "I4")),
    _f("table", pa.string(), "Table the identity lives in.", nullable=False, allowed=keys.TABLES),
    _f("subject", pa.string(), "The column (I1, I2), row (I3) or proceeding (I4) it is about.", nullable=False),
    _f("printed", AMOUNT, "The printed total side (null when not evaluable)."),
    _f("expected", AMOUNT, "What the printed parts add up to (null when not evaluable)."),
    _f("printed_terms", pa.string(), "The cells of the total side, `row/col + …`.", nullable=False),
    _f("expected_terms", pa.string(), "The cells of the parts side.", nullable=False),
    _f("evaluable", pa.bool_(), "Every operand is a printed number (no blank, missing or inferred operand).",
       nullable=False),
    _f("reason", pa.string(), "Why it is not evaluable."),
    _f("holds", pa.bool_(), "The printed total equals the sum of the printed parts (null when not evaluable)."),
    _f("printed_operands", pa.list_(AMOUNT), "The printed numbers of the total side, term by term (null where a "
                                             "term is no printed number): what the GX identity checks add up.",
       nullable=False),
    _f("expected_operands", pa.list_(AMOUNT), "The printed numbers of the parts side, term by term.", nullable=False),
)

BLOCK_FIELDS: tuple[Field, ...] = (
    _f("text", pa.string(), "A line of text (null for a table block)."),
    _f("rows", pa.list_(pa.list_(pa.string())), "A table's rows of printed cells (null for a text block)."),
    _f("source", pa.string(), "Rendering a table came from (html, pdf, docx, text…)."),
)
META_FIELDS: tuple[Field, ...] = (
    _f("key", pa.string(), "What the page states: title, page_title, published, source_office…", nullable=False),
    _f("value", pa.string(), "As stated.", nullable=False),
)

REPORT_FIELDS: tuple[Field, ...] = (
    _f("title", pa.string(), "Title as printed."),
    _f("stated_year", pa.int16(), "Statistics year the document states (the partition `year` is the catalog's).",
       minimum=FIRST_YEAR - 1, maximum=2100),
    _f("format", pa.string(), "Which template the tables follow: 2021, 2019, or pre2019 (prose).",
       allowed=keys.FORMATS),
    _f("published", pa.date32(), "Publication date stated by the page."),
    _f("agency", pa.string(), "Reporting body as printed."),
    _f("region_code", pa.string(), "GB/T 2260 code of the body's division (province, prefecture or county).",
       example="430900"),
    _f("region_name", pa.string(), "Name of that division.", example="益阳市"),
    _f("province_code", pa.string(), "Province-level code (000000 for central bodies).", example="430000"),
    _f("region_level", pa.string(), "Level of the division.", allowed=("national", "province", "prefecture", "county")),
    _f("scope", pa.string(), "body: a body's report on itself; jurisdiction: a government's roll-up of its area.",
       allowed=_values(Scope)),
    _f("authoritative", pa.bool_(), "Published by the government itself (not an essay or mirror site's copy)."),
)

STAGE_STATUS = (
    _f("status", pa.string(), "ok, or failed at this stage or an earlier one.", nullable=False,
       allowed=_values(StageStatus)),
    _f("failed_stage", pa.string(), "Stage a failed document stopped at.", allowed=_values(Stage)),
    _f("message", pa.string(), "Why it failed."),
)

# --- stage datasets (hand-offs between assets) -----------------------------------------------------

DISCOVERED_REPORTS = Dataset(
    "discovered_reports",
    "Annual reports found on the catalog's listing pages of a region, with the attachments of each report page.",
    (
        _f("listing_source_id", pa.string(), "Catalog id of the listing.", nullable=False),
        _f("listing_url", pa.string(), "The listing's URL.", nullable=False),
        _f("url", pa.string(), "The report page (or file) the listing links to.", nullable=False),
        _f("title", pa.string(), "The link's title."),
        _f("year", pa.int16(), "Statistics year read from the title."),
        _f("attachments", pa.list_(pa.string()), "PDF/DOC/DOCX/WPS files the report page links to."),
        _f("page_sha256", pa.string(), "sha256 of the report page read during discovery."),
        _f("page_fetch", struct_of(FETCH_FIELDS), "The fetch of the report page during discovery (not fetched again)."),
        _f("agency_hint", pa.string(), "Reporting body as the catalog names the listing's."),
        _f("error", pa.string(), "Why the report page could not be read."),
        _f("error_kind", pa.string(), "Kind of that failure."),
    ),
    Layer.STAGE, primary_key=("url",), partitioning=Partitioning.REGION, row="report found on a listing",
)

RAW_DOCUMENTS = Dataset(
    "raw_documents",
    "Fetch log of every document of the partition: where it was asked for, what came back, where its bytes are.",
    (*DOCUMENT_REF, *FETCH_FIELDS),
    Layer.STAGE, primary_key=("source_id",), row="catalog or discovered document",
)

CLEAN_DOCUMENTS = Dataset(
    "clean_documents",
    "Each document decoded and reduced to its main content: text lines and tables in reading order.",
    (
        *DOCUMENT_REF,
        *FETCHED,
        REPORT_ID,
        *STAGE_STATUS,
        _f("content_type", pa.string(), "Content type the reader settled on."),
        _f("encoding", pa.string(), "Text encoding the reader decoded with."),
        _f("blocks", pa.list_(struct_of(BLOCK_FIELDS)), "Text lines and tables in reading order."),
        _f("meta", pa.list_(struct_of(META_FIELDS)), "What the page states about itself (meta tags, 发布时间, 信息来源)."),
        _f("findings", pa.list_(struct_of(FINDING_FIELDS)), "Findings of reading and cleanup."),
        _f("work_key", pa.string(), "Digest of what reading depended on (raw sha256, location, content type, the "
           "read stage's code version): a later run finding the same key reuses the row instead of reading again."),
    ),
    Layer.STAGE, primary_key=("source_id",), row="document",
)

PARSED_REPORTS = Dataset(
    "parsed_reports",
    "Each cleaned document parsed: report metadata, canonical cells, prose facts, identities and findings.",
    (
        *DOCUMENT_REF,
        *FETCHED,
        REPORT_ID,
        *STAGE_STATUS,
        _f("content_type", pa.string(), "Content type the reader settled on."),
        _f("encoding", pa.string(), "Text encoding the reader decoded with."),
        _f("parser_version", pa.string(), "Version of the parser that read it (ogi.PARSER_VERSION)."),
        *REPORT_FIELDS,
        _f("authority_reason", pa.string(), "Why the copy is or is not authoritative."),
        _f("cells", pa.list_(struct_of(CELL_FIELDS)), "Canonical cells of the three standard tables."),
        _f("facts", pa.list_(struct_of(FACT_FIELDS)), "Figures stated in prose (pre-2019)."),
        _f("identities", pa.list_(struct_of(IDENTITY_FIELDS)), "Identity instances I1–I4 with both sides."),
        _f("findings", pa.list_(struct_of(FINDING_FIELDS)), "Findings of every stage so far."),
        _f("work_key", pa.string(), "Digest of what parsing depended on (the cleaned row's key, the parse stage's "
           "code version, the partition and the catalog's hints): the same key in a later run reuses the row."),
    ),
    Layer.STAGE, primary_key=("source_id",), row="document",
)

# --- published datasets (what BI tools read) ----------------------------------------------------------

DOCUMENTS = Dataset(
    "documents",
    "Ledger of every catalog document and what became of it: published, duplicate (another copy of a published "
    "report: other rendering, attachment, repost, earlier version), excluded (not an authoritative copy) or failed "
    "(with the stage and the reason). Lineage: the sha256 of its raw bytes.",
    (
        *PARTITION_FIELDS,
        *DOCUMENT_REF,
        REPORT_ID,
        BODY_ID,
        _f("sha256", pa.string(), "sha256 of the raw bytes (null when nothing could be fetched)."),
        _f("size", pa.int64(), "Size of the raw bytes.", unit="bytes", minimum=0),
        _f("content_type", pa.string(), "Content type the reader settled on."),
        _f("encoding", pa.string(), "Text encoding the reader decoded with."),
        _f("fetched_at", TIMESTAMP, "When the bytes were fetched (UTC)."),
        _f("http_status", pa.int32(), "HTTP status of the final response."),
        _f("unchanged", pa.bool_(), "The bytes equal the last fetch's."),
        _f("status", pa.string(), "published, duplicate, excluded or failed.", nullable=False,
           allowed=_values(DocumentStatus)),
        _f("duplicate_of", pa.string(), "report_id of the canonical report this document is a copy of."),
        _f("duplicate_reason", pa.string(), "Why it is a copy of that report, and which copy is canonical."),
        _f("duplicate_of_source", pa.string(), "source_id of the canonical copy's document (for a row naming the "
           "same bytes as another: the row whose copy was read and published).", example="yiyang-2020-html"),
        _f("overrides", pa.list_(struct_of(OVERRIDE_FIELDS)), "Overrides applied to the document (overrides file)."),
        _f("stage", pa.string(), "Where an excluded or failed document stopped.",
           allowed=(*_values(Stage), "identity", "override")),
        _f("message", pa.string(), "Why it was excluded or failed."),
        _f("error_kind", pa.string(), "Kind of failure: of the fetch (ogi.fetch.client.ERROR_KINDS), or the per-document "
       "limit a read or parse went past (time_limit, memory_limit, reader_crashed, reader_error)."),
        _f("authoritative", pa.bool_(), "Published by the government itself."),
        _f("format", pa.string(), "Template of its tables.", allowed=keys.FORMATS),
    ),
    Layer.PUBLISHED, primary_key=("source_id",), row="catalog document",
)

REPORTS = Dataset(
    "reports",
    "One row per authoritative report: title, stated year, format, agency, region (GB/T 2260), scope, publication "
    "date, source URI and sha256, and how much was read from it.",
    (
        *PARTITION_FIELDS,
        REPORT_ID,
        BODY_ID,
        SOURCE_ID,
        SOURCE_SHA256,
        _f("source_uri", pa.string(), "Where the bytes were fetched from.", nullable=False),
        _f("origin_url", pa.string(), "Where the report was published."),
        *REPORT_FIELDS,
        _f("province_name", pa.string(), "Name of the province-level division.", example="湖南省"),
        _f("prefecture_code", pa.string(), "Prefecture-level division the body belongs to (null for a province's or a "
                                           "central body's own report).", example="430900"),
        _f("prefecture_name", pa.string(), "Its name.", example="益阳市"),
        _f("county_code", pa.string(), "County-level division of the body, if it is one.", example="430902"),
        _f("county_name", pa.string(), "Its name.", example="资阳区"),
        _f("encoding", pa.string(), "Text encoding the reader decoded with."),
        _f("parser_version", pa.string(), "Version of the parser that read it.", nullable=False),
        _f("n_cells", pa.int32(), "Cells read from the standard tables.", nullable=False, minimum=0),
        _f("n_facts", pa.int32(), "Prose facts read.", nullable=False, minimum=0),
        _f("n_findings", pa.int32(), "Findings about the report.", nullable=False, minimum=0),
        _f("n_breaks", pa.int32(), "Identity instances its printed numbers break.", nullable=False, minimum=0),
        _f("copies", pa.int32(), "Other documents that are copies of this report (in `documents` as duplicate).",
           nullable=False, minimum=0),
        _f("ocr_derived", pa.bool_(), "Some of its text was read from a scan by OCR (its cells have placement `ocr` "
           "and a confidence; they are never evidence for an identity).", nullable=False),
    ),
    Layer.PUBLISHED, primary_key=("report_id",), row="canonical report (one per body, year and scope)",
)

CELLS = Dataset(
    "cells",
    "Every printed cell of the three standard tables in canonical keys (table / row / col): the exact value "
    "(decimal, money in yuan) beside the printed text; a blank cell has raw '' and no value.",
    (*PARTITION_FIELDS, REPORT_ID, SOURCE_SHA256, *CELL_FIELDS),
    Layer.PUBLISHED, primary_key=("report_id", "table", "row", "col"), row="printed cell",
)

FACTS = Dataset(
    "facts",
    "Figures stated in prose or in a report's own statistics table (pre-2019 reports), each with its evidence, "
    "period and scope.",
    (*PARTITION_FIELDS, REPORT_ID, SOURCE_SHA256, *FACT_FIELDS),
    Layer.PUBLISHED, primary_key=("report_id", "key", "period"), row="prose figure",
)

FINDINGS = Dataset(
    "findings",
    "Everything found about the sources: broken identities with printed and expected values, short rows, "
    "unplaced values, removed spam and duplicates, missing tables.",
    (*PARTITION_FIELDS, REPORT_ID, SOURCE_SHA256, _f("seq", pa.int32(), "Order of the finding within its report.", nullable=False,
                                  minimum=0), *FINDING_FIELDS),
    Layer.PUBLISHED, primary_key=("report_id", "seq"), row="finding about a report",
)

IDENTITIES = Dataset(
    "identities",
    "Identities I1–I4 of every report as data: the printed total side, what the parts add up to, evaluable "
    "or why not, and whether it holds.",
    (*PARTITION_FIELDS, REPORT_ID, SOURCE_SHA256, *IDENTITY_FIELDS),
    Layer.PUBLISHED, primary_key=("report_id", "identity", "subject"), row="identity instance",
)

# --- analysis datasets: one row per report (or report × applicant type), canonical column names ------

def _labels() -> dict[tuple[str | None, str], str]:
    from ogi.reference.dictionary import entries

    return {(e.table, e.key): e.label for e in entries()}


ANALYSIS_BASE: tuple[Field, ...] = (
    *PARTITION_FIELDS,
    REPORT_ID,
    BODY_ID,
    _f("scope", pa.string(), "body or jurisdiction: sum one scope at a time (a roll-up contains the body reports).",
       allowed=_values(Scope)),
    _f("format", pa.string(), "Template of the report's tables.", allowed=keys.FORMATS),
    SOURCE_SHA256,
)
PLACEMENT_COUNTS: tuple[Field, ...] = (
    _f("inferred_cells", pa.int32(), "Cells of this row placed with an identity's help (see `cells.placement`).",
       nullable=False, minimum=0),
    _f("ocr_cells", pa.int32(), "Cells of this row read by OCR.", nullable=False, minimum=0),
)


def _requests_fields() -> tuple[Field, ...]:
    labels = _labels()
    rows = tuple(_f(r, pa.int64(), f"{labels[('requests', r)]} (for this applicant type); null where printed blank "
                                   "or not printed.", minimum=0) for r in keys.ALL_REQUEST_ROWS)
    return (
        *ANALYSIS_BASE,
        _f("applicant", pa.string(), "Applicant type: a column of the printed table (total = 总计).", nullable=False,
           allowed=keys.REQUEST_COLS),
        _f("applicant_order", pa.int16(), "Printed order of the applicant column (0 = 自然人 … 6 = 总计).",
           nullable=False, minimum=0, maximum=6),
        *rows,
        _f("other_total", pa.int64(), "（六）其他处理 as one figure: the 2019 row, or the sum of the 2021 three rows "
                                      "when all three are printed.", minimum=0),
        *PLACEMENT_COUNTS,
    )


def _active_fields() -> tuple[Field, ...]:
    from ogi.datasets.analysis import active_columns

    labels = _labels()
    out: list[Field] = [*ANALYSIS_BASE]
    for item, measure in active_columns():
        meaning = f"{labels[('active', item)]}·{labels[('active', measure)]}"
        if measure in keys.MONEY_MEASURES:
            out.append(_f(f"{item}_{measure}", AMOUNT, f"{meaning}, in yuan.", unit="yuan"))
            out.append(_f(f"{item}_{measure}_unit", pa.string(), f"Unit {meaning} was printed in (万元 or 元)."))
        else:
            signed = measure in keys.SIGNED_MEASURES
            out.append(_f(f"{item}_{measure}", pa.int64(), f"{meaning}." + (" Signed." if signed else ""),
                          minimum=None if signed else 0))
    return (*out, *PLACEMENT_COUNTS)


def _review_fields() -> tuple[Field, ...]:
    labels = _labels()
    return (
        *ANALYSIS_BASE,
        *(_f(f"{p}_{o}", pa.int64(), f"{labels[('review_litigation', p)]}·{labels[('review_litigation', o)]}.",
             minimum=0) for p in keys.PROCEEDINGS for o in keys.OUTCOMES),
        *PLACEMENT_COUNTS,
    )


_HEADLINE_MEANINGS = {
    "requests_received": "Requests received this year (requests/new_received/total; pre-2019: 受理申请).",
    "requests_carried_over": "Requests carried over from last year (2019+ only).",
    "requests_processed": "Requests processed (（七）总计; 2019+ only).",
    "requests_granted": "Granted in full (予以公开 / 同意公开).",
    "requests_partially_granted": "Granted in part (部分公开).",
    "requests_denied": "Denied (不予公开: the sum of the eight denied rows when all are printed).",
    "requests_other_total": "（六）其他处理, comparable across the 2019 and 2021 formats.",
    "requests_carried_forward": "Carried forward to next year (2019+ only).",
    "reviews": "Administrative reviews (行政复议) about disclosure.",
    "reviews_upheld": "Reviews that upheld the decision.",
    "reviews_corrected": "Reviews that corrected it.",
    "suits": "Lawsuits (行政诉讼): direct and after review.",
    "suits_upheld": "Lawsuits that upheld the decision.",
    "suits_corrected": "Lawsuits that corrected it.",
    "proactive_items": "Items published proactively (pre-2019 prose: 主动公开政府信息N条).",
}


def _headline_fields() -> tuple[Field, ...]:
    from ogi.datasets.analysis import HEADLINE_ACTIVE, HEADLINE_FIGURES

    out: list[Field] = [*ANALYSIS_BASE]
    for figure in HEADLINE_FIGURES:
        out.append(_f(figure, pa.int64(), _HEADLINE_MEANINGS[figure], minimum=0))
        out.append(_f(f"{figure}_source", pa.string(), f"Where `{figure}` comes from: cell, cells (a sum of printed "
                                                       "cells) or fact (pre-2019 prose or statistics table).",
                      allowed=("cell", "cells", "fact")))
    labels = _labels()
    for name, (only, item, measure) in HEADLINE_ACTIVE.items():
        meaning = f"{labels[('active', item)]}·{labels[('active', measure)]}"
        out.append(_f(name, pa.int64(), f"{meaning}" + (f" ({only} format only: the formats measure different things)"
                                                        if only else " (both formats)") + ".", minimum=0))
    return tuple(out)


REQUESTS = Dataset(
    "requests", "The requests table (三、收到和处理政府信息公开申请情况) wide: one row per report and applicant type, "
    "each printed row a column, counts as integers, blanks null.", _requests_fields(), Layer.PUBLISHED,
    primary_key=("report_id", "applicant"), row="canonical report × applicant type")
ACTIVE = Dataset(
    "active", "The active-disclosure table (二、主动公开政府信息情况) wide: one row per report, a column per item × "
    "measure of either template (2019 and 2021 measures apart), money in yuan beside its printed unit.",
    _active_fields(), Layer.PUBLISHED, primary_key=("report_id",), row="canonical report")
REVIEW_LITIGATION = Dataset(
    "review_litigation", "The review and litigation table (四、政府信息公开行政复议、行政诉讼情况) wide: one row per "
    "report, a column per proceeding × outcome.", _review_fields(), Layer.PUBLISHED, primary_key=("report_id",),
    row="canonical report")
HEADLINE = Dataset(
    "headline", "The figures a reader wants first, one row per report, harmonised across the three eras: from the "
    "tables for 2019+ and from the prose facts / 统计表 for pre-2019, each figure with its source.",
    _headline_fields(), Layer.PUBLISHED, primary_key=("report_id",), row="canonical report")
COVERAGE = Dataset(
    "coverage", "Bodies expected to publish a report for the year vs reports found: every people's government at "
    "county level and above in the region's division table for that year, and every body the catalog lists.",
    (
        *PARTITION_FIELDS,
        _f("body_name", pa.string(), "The body expected to report.", nullable=False, example="益阳市人民政府"),
        _f("division_code", pa.string(), "Its division (GB/T 2260).", example="430900"),
        _f("expected_because", pa.string(), "government: a people's government of the division table; catalog: "
                                            "listed in the catalog.", nullable=False,
           allowed=("government", "catalog")),
        _f("found", pa.bool_(), "A canonical report of this body is in the partition.", nullable=False),
        _f("report_id", pa.string(), "That report."),
    ),
    Layer.PUBLISHED, primary_key=("year", "region", "body_name", "expected_because"), row="expected body")
DICTIONARY = Dataset(
    "dictionary", "Every canonical key with its Chinese label, table, printed order and the formats it exists in.",
    (
        _f("kind", pa.string(), "What the key names.", nullable=False,
           allowed=("item", "measure", "row", "col", "proceeding", "outcome", "fact")),
        _f("table", pa.string(), "Its table (null for prose facts).", allowed=keys.TABLES),
        _f("key", pa.string(), "The canonical key.", nullable=False, example="new_received"),
        _f("label", pa.string(), "Chinese label as the official template prints it.", nullable=False),
        _f("printed_order", pa.int16(), "Position in the printed table (sort by it, not by the key).", nullable=False,
           minimum=0),
        _f("formats", pa.list_(pa.string()), "Formats the key exists in (2019, 2021, pre2019).", nullable=False),
    ),
    Layer.PUBLISHED, primary_key=("kind", "table", "key"), partitioning=Partitioning.NONE, row="canonical key")
REGIONS = Dataset(
    "regions", "GB/T 2260 divisions since 2008, one row per code and name: levels, parents and the years each name "
    "was valid (renames start a new row, abolished divisions end theirs).",
    (
        _f("code", pa.string(), "Division code.", nullable=False, pattern=r"^\d{6}$", example="420600"),
        _f("name", pa.string(), "Name in those years.", nullable=False, example="襄阳市"),
        _f("level", pa.string(), "province, prefecture or county.", nullable=False,
           allowed=("province", "prefecture", "county")),
        _f("parent_code", pa.string(), "The division it belongs to."),
        _f("province_code", pa.string(), "Its province-level division.", nullable=False),
        _f("valid_from", pa.int16(), "First statistics year under this name.", nullable=False),
        _f("valid_to", pa.int16(), "Last statistics year under this name (null: still in force)."),
        _f("former_name", pa.string(), "The name the code had just before (a rename).", example="襄樊市"),
    ),
    Layer.PUBLISHED, primary_key=("code", "valid_from"), partitioning=Partitioning.NONE, row="division name period")


class ContinuityCheck(StrEnum):
    """Checks across years of the same body (report-tables.md I5, and the stock of rules in force)."""

    I5 = "I5"  # carried_over(year) = carried_forward(year − 1), requests total
    ACTIVE_STOCK = "active_stock"  # in_force(year − 1) + issued − repealed = in_force, 2021 format both years
    REQUESTS_JUMP = "requests_jump"  # new requests ×10 or ÷10 from one year to the next


CONTINUITY = Dataset(
    "continuity", "A body's figures against its own report of the year before: I5 (carried over = last year's "
    "carried forward), the stock of regulations and normative documents (last year's in force + issued − repealed "
    "= in force), and tenfold jumps in new requests. The operands as printed; GX does the arithmetic.",
    (
        *PARTITION_FIELDS,
        REPORT_ID,
        BODY_ID,
        _f("check", pa.string(), "Which continuity check.", nullable=False, allowed=_values(ContinuityCheck)),
        _f("subject", pa.string(), "What it is about (requests/total, regulations, normative_documents).",
           nullable=False),
        _f("previous_report_id", pa.string(), "The body's report of the year before.", nullable=False),
        _f("printed_operands", pa.list_(AMOUNT), "This year's side, term by term (I5: carried_over; stock: in_force "
                                                 "and repealed).", nullable=False),
        _f("expected_operands", pa.list_(AMOUNT), "The other side (I5: last year's carried_forward; stock: last "
                                                  "year's in_force and this year's issued).", nullable=False),
        _f("ratio", pa.float64(), "requests_jump: this year's new requests ÷ last year's."),
        _f("evaluable", pa.bool_(), "Every operand is a printed number (both years).", nullable=False),
        _f("holds", pa.bool_(), "The check holds (null when not evaluable)."),
    ),
    Layer.PUBLISHED, primary_key=("report_id", "check", "subject"), row="continuity check of a report")


NATIONAL_SUMMARY = Dataset(
    "national_summary", "Headline figures of a statistics year by province: sums over body reports only, each with "
    "the number of reports that print it (a missing figure is not a 0).",
    (
        PARTITION_FIELDS[0],
        PARTITION_FIELDS[1],
        _f("province", pa.string(), "English name of the province-level division.", nullable=False),
        _f("reports", pa.int32(), "Canonical reports published.", nullable=False, minimum=0),
        _f("body_reports", pa.int32(), "Of which a body's report on itself.", nullable=False, minimum=0),
        _f("jurisdiction_reports", pa.int32(), "Of which a government's roll-up of its area.", nullable=False, minimum=0),
        *(f for figure in ("requests_received", "requests_granted", "reviews", "suits") for f in (
            _f(figure, pa.int64(), f"Sum of `headline.{figure}` over the body reports that print it.", minimum=0),
            _f(f"{figure}_reports_stating", pa.int32(), f"Body reports that print `{figure}`.", nullable=False,
               minimum=0),
        )),
    ),
    Layer.PUBLISHED, primary_key=("year", "region"), partitioning=Partitioning.YEAR, row="province and year")


# Make the nullable report_id of the shared group non-null where a report row is meant.
_REQUIRED_REPORT_ID = replace(REPORT_ID, nullable=False)


def _require_report_id(ds: Dataset) -> Dataset:
    return replace(ds, fields=tuple(_REQUIRED_REPORT_ID if f.name == "report_id" else f for f in ds.fields))


REPORTS, CELLS, FACTS, FINDINGS, IDENTITIES, REQUESTS, ACTIVE, REVIEW_LITIGATION, HEADLINE = map(
    _require_report_id, (REPORTS, CELLS, FACTS, FINDINGS, IDENTITIES, REQUESTS, ACTIVE, REVIEW_LITIGATION, HEADLINE))

STAGES: dict[str, Dataset] = {d.name: d for d in (DISCOVERED_REPORTS, RAW_DOCUMENTS, CLEAN_DOCUMENTS, PARSED_REPORTS)}
# Published per partition (year × region), in the order a partition's publication writes them.
PUBLISHED: dict[str, Dataset] = {d.name: d for d in (DOCUMENTS, REPORTS, CELLS, FACTS, FINDINGS, IDENTITIES, REQUESTS,
                                                     ACTIVE, REVIEW_LITIGATION, HEADLINE, COVERAGE, CONTINUITY)}
# Reference tables: one file each, not partitioned.
REFERENCE: dict[str, Dataset] = {d.name: d for d in (DICTIONARY, REGIONS)}
# Summaries over the partitions of a year.
SUMMARIES: dict[str, Dataset] = {NATIONAL_SUMMARY.name: NATIONAL_SUMMARY}
DATASETS: dict[str, Dataset] = {**STAGES, **PUBLISHED, **REFERENCE, **SUMMARIES}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"no dataset {name!r} in the registry (known: {', '.join(DATASETS)})") from None
