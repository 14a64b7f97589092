#!/usr/bin/env python3
"""Build the labelled test corpus tests/corpus/<case_id>/{document.*, labels.json}.

Every synthetic case is a report model (tools/model.py: the printed text of each canonical cell)
rendered the way a site or crawler publishes it (tools/render.py, tools/pages.py); its labels are
derived from the same model, and its identity breaks are computed from the printed numbers by the
spec's rules. Run-together renderings are checked to have exactly one reading under the column
count and the identities. Real reports (the seeds, and pages built from them by
corpus/tools/make_pages.py) are copied with their hand-made labels. Numbers in synthetic cases are
invented; bodies, hosts and dates are illustrative.

Usage: .venv/bin/python tests/corpus/tools/make_cases.py   (deterministic; rewrites the case folders)
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model import (  # noqa: E402
    ACTIVE_LAYOUT,
    MONEY,
    Tables,
    as_raws,
    assert_unique_split,
    gen_requests,
    identity_breaks,
    read_printed,
    request_rows,
    review_raws,
    splits,
)
from pages import Site, closing, crawler_head, crawler_tail, gov_page, intro, overall, para  # noqa: E402
from render import (  # noqa: E402
    ActiveHeaders,
    Labels,
    PdfStyle,
    active_grid,
    active_headers,
    cell_per_line,
    esc,
    html_table,
    labels,
    markdown,
    pdf_active_lines,
    pdf_request_lines,
    pdf_review_lines,
    pipe_rows,
    request_grids,
    review_grid,
    run_together_lines,
    wrap,
)

TOOLS = Path(__file__).resolve().parent
CORPUS = TOOLS.parent
REPO = CORPUS.parent.parent
SEEDS = REPO / "corpus" / "seeds"
PAGES = REPO / "corpus" / "pages"


@dataclass
class Meta:
    case_id: str
    rendering: str
    fmt: str
    year: int
    agency: str
    region: str
    origin_url: str
    description: str
    site: Site | None = None
    pubdate: str = ""
    synthetic: bool = True

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def short(self) -> str:
        return "本机关" if self.agency.endswith(("局", "办公室", "部")) else "我区" if "区" in self.agency else "我市"


BUILT: list[str] = []


def write_case(meta: Meta, filename: str, data: bytes, *, cells: list[dict] | None = None,
               breaks: list[dict] | None = None, facts: list[dict] | None = None) -> None:
    folder = CORPUS / meta.case_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / filename).write_bytes(data)
    label = {
        "rendering": meta.rendering,
        "format": meta.fmt,
        "year": meta.year,
        "description": meta.description,
        "synthetic": meta.synthetic,
        "origin_url": meta.origin_url,
        "region": meta.region,
        "agency": meta.agency,
        "cells": cells or [],
        "facts": facts or [],
        "identity_breaks": breaks or [],
    }
    lines = ["{"]
    items = list(label.items())
    for k, (key, value) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        if key in ("cells", "facts", "identity_breaks") and value:
            lines.append(f'  "{key}": [')
            lines.extend("    " + json.dumps(v, ensure_ascii=False) + ("," if j < len(value) - 1 else "")
                         for j, v in enumerate(value))
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    (folder / "labels.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    BUILT.append(meta.case_id)


_UNIT = re.compile(r"[（(](?:单位[：:])?(万元|元)[)）]")


def bind_header_units(t: Tables, h: ActiveHeaders) -> None:
    """The money units the rendered headers print are what the labels' unit_source follows."""
    for attr, text in (("fee_header_unit", h.fee), ("procurement_header_unit", h.procurement)):
        m = _UNIT.search(text)
        unit = m.group(1) if m else None
        if attr == "procurement_header_unit" and t.fmt != "2019":
            continue
        if attr == "fee_header_unit" and t.fmt != "2021":
            continue
        setattr(t, attr, unit)


def write_tables_case(meta: Meta, filename: str, data: bytes, t: Tables) -> None:
    t.check()
    write_case(meta, filename, data, cells=t.label_cells(), breaks=t.identity_breaks())


# --- building blocks --------------------------------------------------------------------------------


def act21(reg: str, norm: str, lic: str, pen: str, coe: str, fee: str) -> dict[str, list[str]]:
    return {"regulations": reg.split(), "normative_documents": norm.split(), "licensing": [lic], "penalty": [pen],
            "coercion": [coe], "fees": [fee]}


def act19(reg: str, norm: str, lic: str, oth: str, pen: str, coe: str, fees: str, proc: str) -> dict[str, list[str]]:
    return {"regulations": reg.split(), "normative_documents": norm.split(), "licensing": lic.split(),
            "other_services": oth.split(), "penalty": pen.split(), "coercion": coe.split(), "fees": fees.split(),
            "procurement": proc.split()}


def total_of(t: Tables, row: str) -> int:
    """The row's total for the prose: the printed total, else the sum of printed applicant cells."""
    raws = t.requests[row]
    v, _ = read_printed(raws[6])
    if v is not None:
        return int(v)
    return int(sum((read_printed(r)[0] or Decimal(0)) for r in raws[:6]))


def n_active(t: Tables) -> int:
    return 600 + 37 * len(t.requests["granted"][0]) + int(total_of(t, "new_received")) * 3


def std_text_sections(meta: Meta, t: Tables) -> tuple[list[str], list[str], list[str]]:
    site = meta.site
    assert site is not None
    head = [intro(meta.fmt, meta.year, meta.agency, site)]
    head += overall(meta.year, meta.short, n_active(t), total_of(t, "new_received"), total_of(t, "total_processed"))
    tail = closing(meta.short, meta.fmt)
    return head, tail, [f"{meta.agency}", f"{meta.year + 1}年1月{18 + meta.year % 10}日"]


def html_case(meta: Meta, t: Tables, h: ActiveHeaders, *, active_html: str, request_html: list[str], review_html: str,
              charset: str = "utf-8", layout: bool = False, index_no: str = "", break_html: str | None = None) -> None:
    assert meta.site is not None
    bind_header_units(t, h)
    head, tail, sign = std_text_sections(meta, t)
    brk = break_html if break_html is not None else '<br clear="all" style="page-break-before:always">'
    body = [para(x) for x in head]
    body.append(para("二、主动公开政府信息情况"))
    body.append(f'<div align="center">\n{active_html}\n</div>')
    body.append(para("三、收到和处理政府信息公开申请情况"))
    body.append(("\n" + brk + "\n").join(f'<div align="center">\n{h}\n</div>' for h in request_html))
    body.append(para("四、政府信息公开行政复议、行政诉讼情况"))
    body.append(f'<div align="center">\n{review_html}\n</div>')
    body += [para(x) for x in tail]
    body += [f'<p style="text-align:right">{esc(x)}</p>' for x in sign]
    page = gov_page(title=meta.title, site=meta.site, agency=meta.agency, pubdate=meta.pubdate,
                    index_no=index_no or f"{meta.region[:2]}0000/{meta.year + 1}-00{meta.year % 100}1",
                    body="\n".join(body), charset=charset, layout=layout)
    enc = "gbk" if charset.lower() in ("gbk", "gb2312") else "utf-8"
    write_tables_case(meta, "document.html", page.encode(enc), t)


def text_case(meta: Meta, t: Tables, h: ActiveHeaders, *, active: list[str], requests: list[str], review: list[str],
              filename: str = "document.txt", head: list[str] | None = None, wrap_at: int | None = None,
              tail_lines: list[str] | None = None) -> None:
    assert meta.site is not None
    bind_header_units(t, h)
    paras, tail, sign = std_text_sections(meta, t)

    md = filename.endswith(".md")

    def heading(text: str) -> str:
        return f"**{text}**" if md else text

    def prose(lines: list[str]) -> list[str]:
        if md:  # a reader's markdown: paragraphs apart, section headings bold
            return [y for x in lines for y in (heading(x) if x[:2] in ("一、", "五、", "六、") else x, "")]
        if wrap_at is None:
            return lines
        return [p for x in lines for p in wrap(x, wrap_at)]

    out = list(head if head is not None else crawler_head(meta.title, meta.pubdate, meta.agency))
    out += prose(paras)
    out += [heading("二、主动公开政府信息情况"), *active, heading("三、收到和处理政府信息公开申请情况"), *requests,
            heading("四、政府信息公开行政复议、行政诉讼情况"), *review]
    out += prose(tail) + sign
    out += tail_lines if tail_lines is not None else crawler_tail(meta.site)
    write_tables_case(meta, filename, ("\n".join(out) + "\n").encode("utf-8"), t)


def site(host: str, name: str, code: str, police: str, icp: str) -> Site:
    return Site(host=host, name=name, site_code=code, police=police, icp=icp)


# --- html_rowspan -------------------------------------------------------------------------------------


def hr01() -> None:
    req = as_raws(gen_requests(101, "2021", [86, 9, 1, 0, 2, 3], [4, 0, 0, 0, 0, 0], [6, 1, 0, 0, 0, 0]))
    for row in ("denied_state_secret", "denied_law_prohibited", "denied_security_stability", "denied_third_party",
                "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query_matter"):
        for k in (2, 3, 4):  # research, social_org, legal_service printed as empty cells
            assert req[row][k] == "0", (row, req[row])
            req[row][k] = ""
    t = Tables("2021", act21("0 0 0", "9 2 47", "1326", "418", "7", "0"), req,
               review_raws((3, 1, 0, 1), (1, 0, 0, 2), (0, 0, 0, 0)))
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("hr01_wuxi_liangxi_2022", "html_rowspan", "2021", 2022, "无锡市梁溪区人民政府办公室", "320000",
                "https://www.wxlx.gov.cn/doc/2023/01/16/3861234.shtml",
                "2021 format pasted from Word: MsoNormal spans, <o:p>, shaded header rows, headers as nested <p>s, "
                "vertical 三、本年度办理结果 with <br>, &nbsp; blank cells (research/social_org/legal_service of the "
                "不予公开 rows), and Word's hidden <![if !supportMisalignedColumns]> row of empty cells.",
                site("www.wxlx.gov.cn", "无锡市梁溪区人民政府", "3202130001", "苏公网安备 32021302000123号", "苏ICP备05012345号"),
                "2023-01-16 09:30")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "word", nested_p=True),
              request_html=[html_table(g, "word", header_rows=3, nested_p=True, misaligned_row=True)
                            for g in request_grids(t, lab, wrap_header=True, vertical_results=True)],
              review_html=html_table(review_grid(t, "2021"), "word", header_rows=3, nested_p=True))


def hr02() -> None:
    req = as_raws(gen_requests(102, "2019", [23, 6, 0, 1, 1, 0], [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]))
    # misprinted total of 本机关不掌握相关政府信息: one more than its applicant cells
    req["unavailable_not_held"][6] = str(int(req["unavailable_not_held"][6]) + 1)
    t = Tables("2019", act19("0 0 0", "3 3 15", "28 0 1862", "6 0 0", "312 -5 97", "18 0 6", "2 0",
                             "14 3680000"), req, review_raws((1, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", wrap=True, procurement="采购总金额（元）")
    meta = Meta("hr02_zhuzhou_sthjj_2020", "html_rowspan", "2019", 2020, "株洲市生态环境局", "430000",
                "http://www.zhuzhou.gov.cn/c14978/20210128/i1654321.html",
                "2019 format, plain TRS markup with rowspan/colspan; <br> inside the wrapped active headers and in the "
                "vertical 三、本年度办理结果 label; review table in the 2019 layout (行政复议 spans two header rows); "
                "the total of 本机关不掌握相关政府信息 is misprinted one too high (breaks I3 for that row and I2 for total).",
                site("www.zhuzhou.gov.cn", "株洲市人民政府", "4302000001", "湘公网安备 43020202000168号", "湘ICP备05001234号"),
                "2021-01-28 16:12")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "trs"),
              request_html=[html_table(g, "trs") for g in request_grids(t, lab, vertical_results=True)],
              review_html=html_table(review_grid(t, "2019"), "trs"))


def hr03() -> None:
    req = as_raws(gen_requests(103, "2021", [412, 38, 2, 3, 11, 7], [21, 2, 0, 0, 1, 0], [17, 3, 0, 0, 0, 1]))
    t = Tables("2021", act21("0 0 0", "14 6 132", "15836", "2247", "96", "3.52"), req,
               review_raws((9, 3, 2, 1), (4, 1, 2, 3), (2, 0, 1, 1)))
    lab = labels("2021")
    h = active_headers("2021", fee="本年收费金额（万元）")
    meta = Meta("hr03_chengdu_wuhou_2023", "html_rowspan", "2021", 2023, "成都市武侯区人民政府", "510000",
                "https://www.cdwh.gov.cn/wuhou/c132949/2024-03/28/content_8f1c2d.shtml",
                "2021 format with <thead>/<th> header rows and &nbsp; blanks; the active table prints single values in "
                "the first column followed by two empty layout cells (header and data rows span differently); fee "
                "header prints 万元, value 3.52 → 35200 yuan; review table in the 2021 layout.",
                site("www.cdwh.gov.cn", "成都市武侯区人民政府", "5101070001", "川公网安备 51010702000345号", "蜀ICP备05004567号"),
                "2024-03-28 10:05")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h, pad_single=True), "th", header_rows=0),
              request_html=[html_table(g, "th", header_rows=3) for g in request_grids(t, lab)],
              review_html=html_table(review_grid(t, "2021"), "th", header_rows=3))


def hr04() -> None:
    req = as_raws(gen_requests(104, "2019", [148, 12, 0, 0, 4, 2], [3, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0]))
    t = Tables("2019", act19("1 1 12", "18 18 164", "87 -3 4512", "35 +2 1283", "126 0 2035", "22 0 143", "5 -1",
                             "46 1,234.56"), req, review_raws((5, 2, 1, 0), (3, 0, 1, 1), (1, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", wrap=True, procurement="采购总金额（万元）")
    meta = Meta("hr04_luoyang_2019", "html_rowspan", "2019", 2019, "洛阳市人民政府办公室", "410000",
                "http://www.ly.gov.cn/html/1/2/28/68/10398123.html",
                "2019 format, GBK page pasted from Word: numbers split over two <span lang=EN-US> runs (15|23), "
                "header texts as nested <p>s, empty cells as <o:p>&nbsp;</o:p>; procurement header in 万元 with a "
                "thousands separator (1,234.56 万元 → 12345600 yuan); signed changes -3, +2, -1.",
                site("www.ly.gov.cn", "洛阳市人民政府", "4103000003", "豫公网安备 41030202000217号", "豫ICP备05000321号"),
                "2020-01-21 11:40")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "word", split_digits=True, nested_p=True),
              request_html=[html_table(g, "word", header_rows=3, split_digits=True, nested_p=True)
                            for g in request_grids(t, lab, wrap_header=True)],
              review_html=html_table(review_grid(t, "2019"), "word", header_rows=3, split_digits=True),
              charset="gbk")


# --- html_split ---------------------------------------------------------------------------------------


def hs01() -> None:
    req = as_raws(gen_requests(201, "2021", [265, 31, 0, 2, 9, 5], [12, 1, 0, 0, 0, 0], [14, 2, 0, 0, 1, 0]))
    t = Tables("2021", act21("0 0 0", "11 4 73", "9617", "1382", "45", "0"), req,
               review_raws((6, 1, 1, 2), (3, 1, 0, 1), (1, 0, 0, 1)))
    lab = labels("2021")
    h = active_headers("2021", fee="本年收费金额（万元）")
    meta = Meta("hs01_foshan_nanhai_2021", "html_split", "2021", 2021, "佛山市南海区人民政府办公室", "440000",
                "http://www.nanhai.gov.cn/fsnhq/zwgk/zfxxgk/gzbg/content/post_5123456.html",
                "2021 format; the requests table is split in two <table>s at a page break before (五)不予处理, the second "
                "part printing 三、本年度办理结果 again with its own rowspan; no column headers in the second part.",
                site("www.nanhai.gov.cn", "佛山市南海区人民政府", "4406050001", "粤公网安备 44060502000789号", "粤ICP备05082345号"),
                "2022-01-27 17:20")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "trs"),
              request_html=[html_table(g, "trs") for g in request_grids(t, lab, split_before="not_processed_petition")],
              review_html=html_table(review_grid(t, "2021"), "trs"))


def hs02() -> None:
    req = as_raws(gen_requests(202, "2019", [97, 14, 0, 1, 3, 2], [5, 0, 0, 0, 0, 0], [4, 1, 0, 0, 0, 0]))
    req["carried_forward"][0] = "6"  # misprint: 4 were carried forward (breaks I1 and I3)
    t = Tables("2019", act19("0 0 0", "7 7 58", "64 +1 3376", "12 0 215", "98 -2 731", "15 0 37", "3 0",
                             "21 4867500"), req, review_raws((2, 1, 0, 0), (1, 0, 0, 1), (0, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", procurement="采购总金额（元）")
    meta = Meta("hs02_wenzhou_lucheng_2020", "html_split", "2019", 2020, "温州市鹿城区人民政府", "330000",
                "http://www.lucheng.gov.cn/art/2021/1/29/art_1229123456_3712345.html",
                "2019 format on an older site whose whole article sits in nested layout tables; Word table split at a "
                "page break inside (三)不予公开 (before 4.保护第三方合法权益): the second part repeats the three column "
                "header rows and prints 三、本年度办理结果 and (三)不予公开 again; carried_forward natural_person "
                "misprinted 6 (breaks I1 natural_person and I3 carried_forward).",
                site("www.lucheng.gov.cn", "温州市鹿城区人民政府", "3303020001", "浙公网安备 33030202000456号", "浙ICP备05009876号"),
                "2021-01-29 15:48")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "word"),
              request_html=[html_table(g, "word", header_rows=3)
                            for g in request_grids(t, lab, split_before="denied_third_party", repeat_header=True)],
              review_html=html_table(review_grid(t, "2019"), "word", header_rows=3),
              layout=True, break_html='<p class="MsoNormal"><span lang="EN-US">&nbsp;</span></p>')


def hs03() -> None:
    req = as_raws(gen_requests(203, "2021", [54, 7, 0, 0, 2, 1], [2, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0]))
    req["granted"][0] = str(int(req["granted"][0]) + 1)  # misprint: breaks I2 natural_person
    for row in req:
        req[row][6] = ""  # the 总计 column is left blank throughout
    t = Tables("2021", act21("0 0 0", "4 1 29", "2716", "381", "12", "0"), req,
               review_raws((1, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("hs03_jinan_lixia_2022", "html_split", "2021", 2022, "济南市历下区人民政府办公室", "370000",
                "http://www.lixia.gov.cn/art/2023/1/30/art_18436_4756789.html",
                "2021 format inside nested layout tables; the requests table leaves the 总计 column blank in every row "
                "while the applicant columns are filled (blank ≠ 0: I3 and the total column's I1/I2 are unverifiable); "
                "granted natural_person misprinted one too high (breaks I2 natural_person only).",
                site("www.lixia.gov.cn", "济南市历下区人民政府", "3701020001", "鲁公网安备 37010202000123号", "鲁ICP备05001122号"),
                "2023-01-30 10:00")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "trs"),
              request_html=[html_table(g, "trs") for g in request_grids(t, lab)],
              review_html=html_table(review_grid(t, "2021"), "trs"),
              layout=True)


# --- text_cell_per_line / text_pipe_rows --------------------------------------------------------------


def tc01() -> None:
    req = as_raws(gen_requests(301, "2019", [61, 5, 0, 0, 1, 0], [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]))
    for row in ("granted", "total_processed"):
        for k in range(1, 6):
            if req[row][k] == "0":
                req[row][k] = ""
    req["partially_granted"][6] = str(int(req["partially_granted"][6]) + 2)  # misprint
    t = Tables("2019", act19("0 0 0", "5 5 31", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "0 0"), req,
               review_raws((0, 0, 0, 0), (1, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2019", brackets="()")
    h = active_headers("2019", procurement="采购总金额(元)")
    meta = Meta("tc01_shaoyang_2020", "text_cell_per_line", "2019", 2020, "邵阳市人民政府办公室", "430000",
                "https://www.shaoyang.gov.cn/syszf/zfxxgknb/202101/a1b2c3d4.shtml",
                "crawler text of a Word table, one printed cell per line ('39 |', '|' for a blank, '||' padding) as in "
                "seed 001; half-width brackets; blanks in the org columns of granted and 总计 rows; requests table split "
                "with 三、本年度办理结果 repeated; partially_granted total misprinted (+2).",
                site("www.shaoyang.gov.cn", "邵阳市人民政府", "4305000001", "湘公网安备 43050202000077号", "湘ICP备05007654号"),
                "2021-01-25 09:12")
    grids = request_grids(t, lab, split_before="not_processed_petition")
    text_case(meta, t, h, active=cell_per_line([active_grid(t, lab, h)], 4), requests=cell_per_line(grids, 10),
              review=cell_per_line([review_grid(t, "2019")], 15))


def tc02() -> None:
    req = as_raws(gen_requests(302, "2021", [138, 16, 1, 0, 5, 3], [7, 1, 0, 0, 0, 0], [9, 0, 0, 0, 1, 0]))
    req["carried_over"][6] = str(int(req["carried_over"][6]) - 2)  # misprint: breaks I1 total and I3 carried_over
    t = Tables("2021", act21("1 0 9", "16 9 104", "4583", "927", "31", "0"), req,
               review_raws((4, 1, 0, 1), (2, 0, 1, 0), (1, 0, 0, 0)))
    lab = labels("2021")
    h = active_headers("2021", fee="本年收费金额（单位：万元）")
    meta = Meta("tc02_chifeng_2022", "text_cell_per_line", "2021", 2022, "赤峰市人民政府办公室", "150000",
                "http://www.chifeng.gov.cn/zwgk/zfxxgk/fdzdgknr/zfxxgknb/202301/t20230120_1987654.html",
                "2021 format as one-cell-per-line crawler text; vertical label printed as one line "
                "('三、本年度办理结果 |'); carried_over total misprinted two too low (breaks I1 total and I3 carried_over).",
                site("www.chifeng.gov.cn", "赤峰市人民政府", "1504000001", "蒙公网安备 15040202000456号", "蒙ICP备05002345号"),
                "2023-01-20 16:30")
    text_case(meta, t, h, active=cell_per_line([active_grid(t, lab, h)], 4),
              requests=cell_per_line(request_grids(t, lab, vertical_results=True), 10),
              review=cell_per_line([review_grid(t, "2021")], 15))


def tp01() -> None:
    req = as_raws(gen_requests(401, "2021", [204, 22, 0, 1, 6, 4], [9, 0, 0, 0, 0, 0], [11, 1, 0, 0, 0, 0]))
    t = Tables("2021", act21("0 0 0", "21 13 148", "6210", "1573", "88", "0"), req,
               review_raws((5, 2, 0, 1), (2, 1, 0, 2), (0, 0, 0, 1)), short_rows={"other_unpaid_fee": 6})
    req["other_unpaid_fee"][6] = ""
    lab = labels("2021")
    h = active_headers("2021", fee="本年收费金额")
    meta = Meta("tp01_baotou_2022", "text_pipe_rows", "2021", 2022, "包头市人民政府办公室", "150000",
                "http://www.baotou.gov.cn/info/2203/245678.htm",
                "2021 format as one-row-per-line pipe text ('a | b | c', '|' padding) as in seed 004; fee header "
                "without unit (万元 from the template); the 2.申请人逾期未按收费通知… row prints six values and no "
                "total (a short row: total blank).",
                site("www.baotou.gov.cn", "包头市人民政府", "1502000001", "蒙公网安备 15020202000111号", "蒙ICP备05006789号"),
                "2023-01-18 11:02")
    text_case(meta, t, h, active=pipe_rows([active_grid(t, lab, h)], 4),
              requests=pipe_rows(request_grids(t, lab, vertical_results=True), 10),
              review=pipe_rows([review_grid(t, "2021")], 15))


def tp02() -> None:
    req = as_raws(gen_requests(402, "2019", [176, 41, 0, 0, 7, 3], [6, 2, 0, 0, 0, 0], [8, 1, 0, 0, 0, 0]))
    t = Tables("2019", act19("0 0 0", "6 6 43", "41 -2 2874", "9 0 126", "57 0 318", "4 0 21", "0 0", "8 865000"),
               req, review_raws((3, 2, 0, 1), (2, 1, 0, 0), (0, 0, 0, 0)))
    lab = labels("2019", normative="行政规范性文件")
    h = active_headers("2019", procurement="采购总金额（元）")
    meta = Meta("tp02_hengyang_zrzy_2021", "text_pipe_rows", "2019", 2021, "衡阳市自然资源和规划局", "430000",
                "https://www.hengyang.gov.cn/zrzyj/xxgk/gknb/20220125/i2765432.html",
                "a 2021 report still printed in the 2019 layout (format decided by content: 新制作数量 / 其他处理 single "
                "row); pipe-row text; 行政规范性文件 label in a 2019 table.",
                site("www.hengyang.gov.cn", "衡阳市人民政府", "4304000001", "湘公网安备 43040202000321号", "湘ICP备05003456号"),
                "2022-01-25 14:40")
    text_case(meta, t, h, active=pipe_rows([active_grid(t, lab, h)], 4), requests=pipe_rows(request_grids(t, lab), 10),
              review=pipe_rows([review_grid(t, "2019")], 15))


# --- markdown ----------------------------------------------------------------------------------------


def md_head(meta: Meta) -> list[str]:
    return [f"Title: {meta.title}", "", f"URL Source: {meta.origin_url}", "", f"Published Time: {meta.pubdate}", "",
            "Markdown Content:", f"# {meta.title}", "", f"发布时间：{meta.pubdate}  来源：{meta.agency}", ""]


def md_tables(grids: list, **kw) -> list[str]:
    out: list[str] = []
    for g in grids:
        out += markdown(g, **kw) + [""]
    return out


def md01() -> None:
    req = as_raws(gen_requests(501, "2021", [523, 67, 3, 2, 18, 9], [31, 4, 0, 0, 2, 1], [26, 3, 0, 0, 1, 0]))
    t = Tables("2021", act21("0 0 0", "19 7 165", "21450", "3318", "204", "12.6"), req,
               review_raws((11, 4, 3, 2), (6, 2, 1, 4), (3, 1, 0, 2)))
    lab = labels("2021")
    h = active_headers("2021", fee="本年收费金额（万元）")
    meta = Meta("md01_hangzhou_xihu_2022", "markdown", "2021", 2022, "杭州市西湖区人民政府", "330000",
                "http://www.hzxh.gov.cn/art/2023/3/28/art_1229258456_4123456.html",
                "2021 format as markdown from an HTML→markdown reader: each table's first row becomes the header with a "
                "|---| separator of its own width, spanning cells appear once (rows with fewer cells), <br> kept in "
                "header cells, column-header rows appear as data rows; fee 12.6 万元 → 126000 yuan.",
                site("www.hzxh.gov.cn", "杭州市西湖区人民政府", "3301060001", "浙公网安备 33010602000987号", "浙ICP备05021234号"),
                "2023-03-28 15:00")
    text_case(meta, t, h, filename="document.md", head=md_head(meta),
              active=[""] + md_tables([active_grid(t, lab, h)]),
              requests=[""] + md_tables(request_grids(t, lab, wrap_header=True, vertical_results=True)),
              review=[""] + md_tables([review_grid(t, "2021")]), tail_lines=[])


def md02() -> None:
    req = as_raws(gen_requests(502, "2019", [88, 19, 0, 1, 4, 2], [3, 1, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]))
    for row in ("denied_state_secret", "denied_security_stability", "not_processed_publication"):
        req[row] = [""] * 7  # rows left entirely blank
    t = Tables("2019", act19("0 0 0", "8 8 67", "52 0 3920", "14 +3 602", "76 -4 1143", "9 0 58", "1 0", "17 2315000"),
               req, review_raws((2, 0, 1, 0), (1, 1, 0, 0), (0, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", procurement="采购总金额（元）")
    meta = Meta("md02_ningbo_jiangbei_2020", "markdown", "2019", 2020, "宁波市江北区人民政府", "330000",
                "http://www.nbjb.gov.cn/art/2021/1/27/art_1229123001_3698765.html",
                "2019 format as markdown whose converter pads every row with empty cells to the table width (extra "
                "cells after the values); three rows printed entirely blank (blank ≠ 0).",
                site("www.nbjb.gov.cn", "宁波市江北区人民政府", "3302050001", "浙公网安备 33020502000135号", "浙ICP备05031234号"),
                "2021-01-27 09:30")
    text_case(meta, t, h, filename="document.md", head=md_head(meta),
              active=[""] + md_tables([active_grid(t, lab, h)], pad_to=4),
              requests=[""] + md_tables(request_grids(t, lab), pad_to=10),
              review=[""] + md_tables([review_grid(t, "2019")], pad_to=15), tail_lines=[])


def md03() -> None:
    req = as_raws(gen_requests(503, "2021", [301, 45, 1, 3, 12, 6], [15, 2, 0, 0, 1, 0], [18, 1, 0, 0, 0, 1]))
    rev = review_raws((7, 2, 1, 3), (5, 1, 2, 2), (2, 0, 1, 0))
    rev[4] = "12"  # 行政复议 总计 misprinted (7+2+1+3 = 13): breaks I4 review
    t = Tables("2021", act21("0 0 0", "12 5 96", "13762", "2054", "131", "0"), req, rev)
    lab = labels("2021", brackets="()")
    h = active_headers("2021", fee="本年收费金额(万元)")
    meta = Meta("md03_hefei_shushan_2023", "markdown", "2021", 2023, "合肥市蜀山区人民政府", "340000",
                "https://www.shushan.gov.cn/public/2653/121234567.html",
                "2021 format as markdown with half-width brackets and the requests table split at a page break "
                "(second markdown table opens with a data row as its header); the 行政复议 总计 is misprinted 12 for "
                "7+2+1+3 (breaks I4 review).",
                site("www.shushan.gov.cn", "合肥市蜀山区人民政府", "3401040001", "皖公网安备 34010402000246号", "皖ICP备05011234号"),
                "2024-01-26 10:10")
    text_case(meta, t, h, filename="document.md", head=md_head(meta),
              active=[""] + md_tables([active_grid(t, lab, h)], br=" "),
              requests=[""] + md_tables(request_grids(t, lab, split_before="unavailable_not_held"), br=" "),
              review=[""] + md_tables([review_grid(t, "2021")], br=" "), tail_lines=[])


# --- pdf_text ----------------------------------------------------------------------------------------


def pdf_case(meta: Meta, t: Tables, lab: Labels, h: ActiveHeaders, st: PdfStyle, *, wrap_headers: bool = False) -> None:
    head = [meta.agency, f"{meta.year}年政府信息公开工作年度报告", ""]
    text_case(meta, t, h, head=head, wrap_at=38,
              active=pdf_active_lines(t, lab, h, wrap_headers=wrap_headers),
              requests=pdf_request_lines(t, lab, st), review=pdf_review_lines(t),
              tail_lines=["— 6 —"])


def pt01() -> None:
    req = as_raws(gen_requests(601, "2021", [187, 23, 0, 1, 8, 2], [10, 1, 0, 0, 0, 0], [12, 2, 0, 0, 0, 0]))
    t = Tables("2021", act21("0 0 0", "10 3 88", "7342", "1196", "54", "0"), req,
               review_raws((4, 1, 1, 1), (2, 1, 0, 1), (1, 0, 0, 0)))
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("pt01_kunming_wuhua_2022", "pdf_text", "2021", 2022, "昆明市五华区人民政府", "530000",
                "https://www.kmwh.gov.cn/c/2023-03-30/6543210.shtml",
                "text layer of a PDF attachment: cells separated by spaces; 三、本年度办理结果 printed one character per "
                "line between rows; group labels on lines of their own; long labels wrapped over three lines with the "
                "values on the middle line; page footer '— 4 —' inside the requests table; prose wrapped at 38 characters.",
                site("www.kmwh.gov.cn", "昆明市五华区人民政府", "5301020001", "滇公网安备 53010202000567号", "滇ICP备05005678号"),
                "2023-03-30 17:00")
    pdf_case(meta, t, lab, h, PdfStyle(footer_after="unavailable_unclear"))


def pt02() -> None:
    req = as_raws(gen_requests(602, "2019", [72, 3, 0, 0, 1, 0], [2, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0]))
    t = Tables("2019", act19("0 0 0", "4 4 37", "23 +1 16350", "8 0 2741", "3 0 112", "0 0 0", "0 0", "11 1520000"),
               req, review_raws((2, 0, 0, 1), (1, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", wrap=True, procurement="采购总金额（元）")
    meta = Meta("pt02_nanning_rsj_2020", "pdf_text", "2019", 2020, "南宁市人力资源和社会保障局", "450000",
                "http://www.nanning.gov.cn/xxgk/xxgknb/2020nzfxxgkndbg/t4512345.html",
                "2019 format from a PDF text layer: active headers wrapped onto two lines (本年新 / 制作数量), "
                "vertical results label, page footer '— 5 —' inside the requests table, then the column headers "
                "printed again on the new page.",
                site("www.nanning.gov.cn", "南宁市人民政府", "4501000001", "桂公网安备 45010202000234号", "桂ICP备05000567号"),
                "2021-01-29 10:30")
    pdf_case(meta, t, lab, h, PdfStyle(footer_after="denied_process_info", footer="— 5 —", repeat_header_after_footer=True),
             wrap_headers=True)


def pt03() -> None:
    req = as_raws(gen_requests(603, "2021", [356, 29, 2, 1, 14, 5], [18, 3, 0, 0, 1, 0], [15, 2, 0, 0, 0, 0]))
    t = Tables("2021", act21("0 0 0", "13 8 121", "11904", "2987", "163", "0"), req,
               review_raws((8, 2, 1, 2), (4, 2, 1, 3), (2, 1, 0, 1)), short_rows={"other_no_correction": 6})
    req["other_no_correction"][6] = ""
    req["granted"][6] = str(int(req["granted"][6]) - 1)  # misprint: breaks I3 granted
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("pt03_xian_yanta_2023", "pdf_text", "2021", 2023, "西安市雁塔区人民政府", "610000",
                "http://www.yanta.gov.cn/xxgk/xxgknb/1234567890.html",
                "PDF text, harder: group labels merged onto a row's line by y-position ('（三）不予公开 5.属于三类内部事务信息 "
                "…'), two-line labels with their values on a line of their own between the two label lines, a page footer "
                "and repeated column headers mid-table, the 1.申请人无正当理由逾期不补正… row printing six values (total "
                "blank), and the granted total misprinted one too low (breaks I3 granted).",
                site("www.yanta.gov.cn", "西安市雁塔区人民政府", "6101130001", "陕公网安备 61011302000135号", "陕ICP备05002468号"),
                "2024-01-30 09:00")
    pdf_case(meta, t, lab, h, PdfStyle(merge_groups=True, values_between={"partially_granted", "not_processed_confirmation"},
                                       footer_after="denied_enforcement_file", footer="- 3 -", repeat_header_after_footer=True))


# --- run_together ------------------------------------------------------------------------------------


def rt_check(t: Tables) -> list[str]:
    """Each run-together table has exactly one reading under the column count and the identities.

    A requests row is first read with I3 alone; rows that stay ambiguous are settled jointly with
    the column identities I1 and I2. Returns the rows that needed the column identities.
    """
    for item, measures in ACTIVE_LAYOUT[t.fmt]:
        raws = t.active[item]
        signed = frozenset(k for k, m in enumerate(measures) if m == "change")
        assert_unique_split("".join(raws), raws, signed=signed)
        if len(raws) > 1:
            t.inferred.add(("active", item))
    readings: dict[str, list[list[str]]] = {}
    for row, raws in t.requests.items():
        found = [p for p in splits("".join(raws), 7) if sum(int(x) for x in p[:6]) == int(p[6])]
        if raws not in found:
            raise SystemExit(f"{row}: intended reading {raws} breaks I3")
        readings[row] = found
        t.inferred.add(("requests", row))
    ambiguous = [r for r, f in readings.items() if len(f) > 1]
    rows = list(t.requests)
    outcomes = [r for r in rows if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    solutions = []
    for combo in product(*(readings[r] for r in ambiguous)):
        table = {r: [int(x) for x in (readings[r][0] if r not in ambiguous else combo[ambiguous.index(r)])] for r in rows}
        ok = all(
            table["new_received"][c] + table["carried_over"][c] == table["total_processed"][c] + table["carried_forward"][c]
            and table["total_processed"][c] == sum(table[r][c] for r in outcomes)
            for c in range(7)
        )
        if ok:
            solutions.append(combo)
    if len(solutions) != 1:
        raise SystemExit(f"requests table reads {len(solutions)} ways (ambiguous rows {ambiguous})")

    def i4(parts: list[str]) -> bool:
        return all(sum(int(x) for x in parts[5 * k:5 * k + 4]) == int(parts[5 * k + 4]) for k in range(3))

    assert_unique_split("".join(t.review), t.review, constraint=i4)
    for proc in ("review", "litigation_direct", "litigation_after_review"):
        t.inferred.add(("review_litigation", proc))
    return ambiguous


def rt_case(meta: Meta, t: Tables, lab: Labels, h: ActiveHeaders) -> None:
    ambiguous = rt_check(t)
    if ambiguous:
        meta.description += (f" Rows {', '.join(ambiguous)} have more than one reading under I3 and are settled only "
                             "by the column identities I1/I2.")
    parts = run_together_lines(t, lab, h)
    text_case(meta, t, h, active=parts["active"], requests=parts["requests"], review=parts["review"])


def rt01() -> None:
    req = as_raws(gen_requests(701, "2021", [217, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0],
                               weights={"partially_granted": 4}))
    t = Tables("2021", act21("0 0 0", "5 2 9", "3871", "642", "19", "0"), req,
               review_raws((2, 1, 0, 0), (1, 0, 0, 1), (0, 0, 0, 0)))
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("rt01_shijiazhuang_changan_2022", "run_together", "2021", 2022, "石家庄市长安区人民政府", "130000",
                "http://www.sjzca.gov.cn/col/1587654321/2023/01/19/1674098765432.html",
                "crawler text that dropped every cell separator: each table row is its label followed by its cells' "
                "digits run together (一、本年新收政府信息公开申请数量2171000…); rows are read with the "
                "column count and I3 (I4 for the review row); every cell of a run-together row is labelled "
                "placement inferred (single-value active rows stay printed).",
                site("www.sjzca.gov.cn", "石家庄市长安区人民政府", "1301020001", "冀公网安备 13010202000246号", "冀ICP备05003579号"),
                "2023-01-19 16:00")
    rt_case(meta, t, lab, h)


def rt02() -> None:
    req = as_raws(gen_requests(702, "2019", [134, 6, 0, 0, 2, 1], [4, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]))
    t = Tables("2019", act19("0 0 0", "3 3 8", "35 -4 7", "6 0 4", "12 +3 0", "0 0 0", "2 0", "0 0"), req,
               review_raws((1, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 0)))
    lab = labels("2019")
    h = active_headers("2019", procurement="采购总金额（元）")
    meta = Meta("rt02_taiyuan_xiaodian_2019", "run_together", "2019", 2019, "太原市小店区人民政府", "140000",
                "http://www.xiaodian.gov.cn/xdqzfxxgk/zfxxgknb/202001/t20200120_987654.shtml",
                "2019 format run together, including signed changes glued to their neighbours (行政许可35-47 → 35, -4, 7; "
                "行政处罚12+30 → 12, +3, 0: only 本年增/减 may carry a sign); every multi-cell row placement inferred.",
                site("www.xiaodian.gov.cn", "太原市小店区人民政府", "1401050001", "晋公网安备 14010502000357号", "晋ICP备05004680号"),
                "2020-01-20 10:20")
    rt_case(meta, t, lab, h)


def rt03() -> None:
    req = as_raws(gen_requests(703, "2021", [96, 4, 0, 0, 1, 0], [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]))
    t = Tables("2021", act21("0 0 0", "2 0 7", "1294", "387", "6", "0"), req,
               review_raws((12, 3, 0, 1), (2, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2021", brackets="()")
    h = active_headers("2021")
    meta = Meta("rt03_changchun_chaoyang_2021", "run_together", "2021", 2021, "长春市朝阳区人民政府", "220000",
                "http://www.chaoyang.gov.cn/zwgk/zfxxgknb/202201/t20220126_2876543.html",
                "2021 format run together with half-width brackets; the review row prints 17 digits for 15 cells "
                "(123011620002…) and needs I4 to split; every multi-cell row placement inferred.",
                site("www.chaoyang.gov.cn", "长春市朝阳区人民政府", "2201040001", "吉公网安备 22010402000468号", "吉ICP备05005791号"),
                "2022-01-26 08:50")
    rt_case(meta, t, lab, h)


# --- labels_variant -----------------------------------------------------------------------------------


def lv01() -> None:
    req = as_raws(gen_requests(801, "2019", [57, 8, 0, 0, 2, 0], [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]))
    for row in request_rows("2019"):
        for k in (2, 3):  # research and social_org: '/' where nothing applies
            if req[row][k] == "0":
                req[row][k] = "/"
    for row in ("denied_state_secret", "denied_security_stability", "not_processed_excessive"):
        req[row] = [("-" if v == "0" else v) for v in req[row]]
    t = Tables("2019", act19("0 0 0", "2 2 19", "0 0 0", "2548 +1036 3584", "31 -3 6", "0 0 0", "- -",
                             "5 251000元"), req, review_raws((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)))
    t.review[10:15] = ["无"] * 5
    lab = labels("2019", numbering="1、", overrides={
        "carried_over": "二、上年转结政府信息公开申请数量",
        "denied_law_prohibited": "2、其他法律行政止公开",
        "carried_forward": "四、转结下年度继续办理",
    })
    h = active_headers("2019", procurement="采购总金额")
    meta = Meta("lv01_yueyang_czj_2020", "labels_variant", "2019", 2020, "岳阳市财政局", "430000",
                "http://www.yueyang.gov.cn/czj/xxgk/gknb/content_1876543.html",
                "label and cell variants, pipe rows: sub-items numbered 1、, typos 上年转结 / 其他法律行政止公开 / 转结下年度, "
                "'/' in research and social_org, '-' in three rows and the fees row, '无' for 复议后起诉 (all value null), "
                "signed changes +1036 and -3, procurement amount with the unit in the cell (251000元) and none in the header.",
                site("www.yueyang.gov.cn", "岳阳市人民政府", "4306000001", "湘公网安备 43060202000579号", "湘ICP备05008642号"),
                "2021-01-22 15:30")
    text_case(meta, t, h, active=pipe_rows([active_grid(t, lab, h)], 4), requests=pipe_rows(request_grids(t, lab), 10),
              review=pipe_rows([review_grid(t, "2019")], 15))


def lv02() -> None:
    req = as_raws(gen_requests(802, "2021", [243, 17, 0, 2, 5, 3], [8, 0, 0, 0, 0, 0], [6, 1, 0, 0, 0, 0]))
    t = Tables("2021", act21("0 0 0", "8 3 61", "5318", "876", "无", "0.85"), req,
               review_raws((3, 0, 1, 0), (1, 1, 0, 1), (0, 0, 0, 0)))
    lab = labels("2021", brackets="()", numbering="（1）", normative="规范性文件", new_received_verb="收到")
    # （1）-numbering keeps full-width brackets for the sub-items while the groups use half-width ones
    h = active_headers("2021", fee="本年收费金额(万元)")
    meta = Meta("lv02_guiyang_yunyan_2022", "labels_variant", "2021", 2022, "贵阳市云岩区人民政府", "520000",
                "http://www.yunyan.gov.cn/zwgk/zfxxgk/fdzdgknr/zfxxgknb/202301/t20230131_78123456.html",
                "2021 format HTML with half-width brackets for groups and （1） numbering for sub-items, 规范性文件 (not "
                "行政规范性文件), 本年新收到…, '无' for coercion decisions (value null), fee header (万元) half-width with "
                "0.85 → 8500 yuan.",
                site("www.yunyan.gov.cn", "贵阳市云岩区人民政府", "5201030001", "黔公网安备 52010302000689号", "黔ICP备05006802号"),
                "2023-01-31 18:00")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "trs"),
              request_html=[html_table(g, "trs") for g in request_grids(t, lab)],
              review_html=html_table(review_grid(t, "2021"), "trs"))


def lv03() -> None:
    req = as_raws(gen_requests(803, "2019", [119, 26, 1, 0, 3, 2], [4, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0]))
    t = Tables("2019", act19("0 0 0", "9 9 72", "43 +12 5210", "17 -3 388", "64 0 927", "11 0 84", "3 0",
                             "28 1,234.5"), req, review_raws((2, 1, 0, 0), (1, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2019", brackets="()", numbering="1、", normative="行政规范性文件")
    h = active_headers("2019", procurement="采购总金额(万元)")
    meta = Meta("lv03_lanzhou_chengguan_2019", "labels_variant", "2019", 2019, "兰州市城关区人民政府", "620000",
                "http://www.lzcg.gov.cn/art/2020/1/31/art_1234_876543.html",
                "2019 format Word HTML with half-width brackets, 1、 numbering, 行政规范性文件 in a 2019 table, "
                "changes +12 / -3, procurement in (万元) header with 1,234.5 → 12345000 yuan.",
                site("www.lzcg.gov.cn", "兰州市城关区人民政府", "6201020001", "甘公网安备 62010202000791号", "甘ICP备05007913号"),
                "2020-01-31 12:00")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "word"),
              request_html=[html_table(g, "word", header_rows=3) for g in request_grids(t, lab)],
              review_html=html_table(review_grid(t, "2019"), "word", header_rows=3))


def lv04() -> None:
    req = as_raws(gen_requests(804, "2021", [66, 9, 0, 0, 1, 1], [3, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]))
    for row in ("denied_state_secret", "denied_law_prohibited", "denied_security_stability", "other_unpaid_fee"):
        req[row] = [("-" if v == "0" else v) for v in req[row]]
    t = Tables("2021", act21("0 0 0", "3 1 22", "964", "211", "-", "0元"), req,
               review_raws((1, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)))
    lab = labels("2021", numbering="１．", normative="规范性文件", overrides={
        "carried_over": "二、上年转结政府信息公开申请数量",
        "denied_law_prohibited": "２．其他法律行政止公开",
        "carried_forward": "四、转结下年度继续办理",
    })
    h = active_headers("2021", fee="本年收费金额")
    meta = Meta("lv04_haikou_meilan_2022", "labels_variant", "2021", 2022, "海口市美兰区人民政府", "460000",
                "http://mlqzf.haikou.gov.cn/xxgk/zfxxgknb/202301/t20230128_1765432.html",
                "2021 format as one-cell-per-line text with full-width sub-item numbers (１．), typos 上年转结 / "
                "其他法律行政止公开 / 转结下年度, 规范性文件, '-' for zero in four rows and for coercion decisions, fee "
                "printed as 0元 (unit in the cell, no unit in the header).",
                site("mlqzf.haikou.gov.cn", "海口市美兰区人民政府", "4601080001", "琼公网安备 46010802000147号", "琼ICP备05001579号"),
                "2023-01-28 11:11")
    text_case(meta, t, h, active=cell_per_line([active_grid(t, lab, h)], 4),
              requests=cell_per_line(request_grids(t, lab), 10), review=cell_per_line([review_grid(t, "2021")], 15))


# --- central_body ------------------------------------------------------------------------------------

CENTRAL_REL = "www.mwr.gov.cn/xxgk/gknb/202301/t20230130_1234567.html"


def cb01() -> None:
    req = as_raws(gen_requests(901, "2021", [612, 94, 3, 5, 21, 11], [28, 6, 0, 0, 1, 1], [33, 4, 0, 0, 2, 0]))
    t = Tables("2021", act21("2 1 57", "6 4 38", "4823", "167", "0", "0"), req,
               review_raws((14, 2, 5, 3), (9, 1, 3, 6), (4, 0, 1, 2)))
    lab = labels("2021")
    h = active_headers("2021")
    meta = Meta("cb01_mwr_2022", "central_body", "2021", 2022, "中华人民共和国水利部", "000000",
                "http://www.mwr.gov.cn/xxgk/gknb/202301/t20230130_1234567.html",
                "a central government department (region 000000) on www.mwr.gov.cn, 2021 format HTML with plain "
                "markup; prints 规章 counts (a ministry makes regulations). Numbers invented; also bundled as "
                "corpus/pages/" + CENTRAL_REL + " (catalog source mwr-2022-html).",
                site("www.mwr.gov.cn", "中华人民共和国水利部", "bm15000001", "京公网安备 11010202000001号", "京ICP备05008811号"),
                "2023-01-30 16:45")
    html_case(meta, t, h,
              active_html=html_table(active_grid(t, lab, h), "trs"),
              request_html=[html_table(g, "trs") for g in request_grids(t, lab, vertical_results=True)],
              review_html=html_table(review_grid(t, "2021"), "trs"),
              index_no="000014349/2023-00017")
    src = CORPUS / meta.case_id / "document.html"
    dest = PAGES / CENTRAL_REL
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


# --- prose_pre2019 ------------------------------------------------------------------------------------


def pp01() -> None:
    text = """扬州市2012年政府信息公开工作年度报告

发布时间：2013-03-29　　来源：扬州市人民政府办公室

本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由扬州市人民政府办公室综合全市各地区各部门2012年度政府信息公开工作情况编制而成。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，存在的主要问题和改进措施等六个部分。本报告中所列数据的统计期限自2012年1月1日起至2012年12月31日止。

一、概述
2012年，全市各级行政机关认真贯彻落实《条例》，进一步健全工作机制，拓展公开渠道，规范依申请公开办理程序，政府信息公开工作总体运行平稳。全年共组织业务培训6次，培训人员420人次。

二、主动公开政府信息情况
2012年，全市各级行政机关共主动公开政府信息45873条，其中通过政府网站公开21564条，通过政府公报公开1203条，通过新闻发布会、广播电视等其他方式公开23106条。全文电子化率达100%。
市政府门户网站“中国扬州”全年发布信息8962条，网站总访问量达1620万人次。“市长信箱”全年共受理群众来信4402件，办结率98.6%。

三、依申请公开政府信息情况
（一）申请情况
2012年，全市各级行政机关共受理政府信息公开申请386件，其中当面申请121件，占31.3%；网上申请213件，占55.2%；信函申请52件，占13.5%。申请内容主要涉及城乡规划、征地拆迁、社会保障等方面。
（二）答复情况
已答复的申请中，同意公开241件，同意部分公开37件，不予公开22件，其余为信息不存在、非本机关政府信息或申请内容不明确等情形。全年按时办结379件，延期办结7件。

四、政府信息公开的收费及减免情况
全年共收取检索、复制、邮寄等费用320元，对3名经济困难的申请人减免了相关费用。

五、因政府信息公开申请行政复议、提起行政诉讼的情况
2012年，全市共发生政府信息公开行政复议案件8件，其中维持具体行政行为5件，被依法纠错2件，其他情形1件。发生政府信息公开行政诉讼案件3件，其中维持具体行政行为或驳回原告诉讼请求2件，其他情形1件。

六、存在的主要问题和改进措施
一是部分单位主动公开信息更新不及时；二是依申请公开答复的规范性有待提高。2013年，我们将进一步完善工作制度，加强督查考核，不断提高政府信息公开工作水平。

扬州市人民政府办公室
2013年3月29日
"""
    meta = Meta("pp01_yangzhou_2012", "prose_pre2019", "pre2019", 2012, "扬州市人民政府办公室", "320000",
                "http://www.yangzhou.gov.cn/xxgk/ndbg/201303/c2a1b3e4f5.shtml",
                "pre-2019 prose roll-up (jurisdiction): totals with channel/platform breakdowns after them (政府网站公开21564条, "
                "当面申请121件 … are not facts), percentages, and traps 受理群众来信4402件 / 网站总访问量 / 培训420人次.")
    facts = [
        {"key": "proactive_items", "value": 45873},
        {"key": "requests_received", "value": 386},
        {"key": "requests_granted", "value": 241},
        {"key": "requests_partially_granted", "value": 37},
        {"key": "requests_denied", "value": 22},
        {"key": "requests_completed_on_time", "value": 379},
        {"key": "requests_completed_extended", "value": 7},
        {"key": "fees_charged", "value": 320},
        {"key": "review_cases", "value": 8},
        {"key": "review_upheld", "value": 5},
        {"key": "review_corrected", "value": 2},
        {"key": "review_other", "value": 1},
        {"key": "litigation_cases", "value": 3},
        {"key": "litigation_upheld", "value": 2},
        {"key": "litigation_other", "value": 1},
    ]
    write_case(meta, "document.txt", text.encode("utf-8"), facts=facts)


def pp02() -> None:
    rows = [
        ("主动公开政府信息数", "条", "3260", "25847"),
        ("其中：政府网站公开数", "条", "2980", "21035"),
        ("受理政府信息公开申请数", "件", "42", "317"),
        ("其中：同意公开数", "件", "30", "226"),
        ("　　　同意部分公开数", "件", "5", "31"),
        ("　　　不予公开数", "件", "2", "18"),
        ("政府信息公开行政复议数", "件", "1", "6"),
        ("政府信息公开行政诉讼数", "件", "0", "3"),
        ("依申请公开收费金额", "元", "0", "120"),
    ]
    trs = "\n".join(
        f"<tr><td>{esc(a)}</td><td align=\"center\">{b}</td><td align=\"center\">{c}</td><td align=\"center\">{d}</td></tr>"
        for a, b, c, d in rows)
    body = f"""<p style="text-indent:2em">根据《中华人民共和国政府信息公开条例》要求，现公布婺源县人民政府2016年度政府信息公开工作年度报告。本报告统计期限自2016年1月1日起至2016年12月31日止。</p>
<p style="text-indent:2em"><strong>一、概述</strong></p>
<p style="text-indent:2em">2016年，县政府认真贯彻落实《条例》和省、市关于政务公开工作的部署，以县政府门户网站为主要平台，扎实推进重点领域信息公开，政府信息公开工作规范有序。</p>
<p style="text-indent:2em"><strong>二、政府信息公开情况</strong></p>
<p style="text-indent:2em">本年度政府信息公开各项数据详见下表。</p>
<p align="center"><strong>婺源县人民政府2016年度政府信息公开情况统计表</strong></p>
<table border="1" cellspacing="0" cellpadding="3" width="90%" align="center">
<tr><th>统 计 指 标</th><th>单位</th><th>本年度</th><th>历年累计</th></tr>
{trs}
</table>
<p style="text-indent:2em"><strong>三、存在的问题和改进措施</strong></p>
<p style="text-indent:2em">部分乡镇和部门信息更新不够及时。下一步，县政府将进一步加强督查考核，提升公开实效。</p>
<p style="text-align:right">婺源县人民政府办公室</p>
<p style="text-align:right">2017年3月20日</p>"""
    s = site("www.jxwy.gov.cn", "婺源县人民政府", "3611300001", "赣公网安备 36113002000123号", "赣ICP备05001357号")
    page = gov_page(title="婺源县人民政府2016年政府信息公开工作年度报告", site=s, agency="婺源县人民政府办公室",
                    pubdate="2017-03-20 10:00", index_no="014123456/2017-00321", body=body)
    meta = Meta("pp02_wuyuan_2016", "prose_pre2019", "pre2019", 2016, "婺源县人民政府", "360000",
                "http://www.jxwy.gov.cn/doc/2017/03/20/987654.shtml",
                "pre-2019 report whose statistics are an ad-hoc 统计表 (HTML) with 本年度 and 历年累计 columns: each "
                "figure is a fact with period year or cumulative; 其中：政府网站公开数 is a platform count, not a fact.")
    facts = []
    keyed = {"主动公开政府信息数": "proactive_items", "受理政府信息公开申请数": "requests_received",
             "其中：同意公开数": "requests_granted", "　　　同意部分公开数": "requests_partially_granted",
             "　　　不予公开数": "requests_denied", "政府信息公开行政复议数": "review_cases",
             "政府信息公开行政诉讼数": "litigation_cases", "依申请公开收费金额": "fees_charged"}
    for a, _, c, d in rows:
        if a in keyed:
            facts.append({"key": keyed[a], "value": int(c), "period": "year"})
            facts.append({"key": keyed[a], "value": int(d), "period": "cumulative"})
    write_case(meta, "document.html", page.encode("utf-8"), facts=facts)


def pp03() -> None:
    text = """嘉峪关市国土资源局2009年政府信息公开工作年度报告

根据《中华人民共和国政府信息公开条例》规定，现将我局2009年政府信息公开工作情况报告如下。

一、概述
2009年，我局认真贯彻落实《条例》，成立了由局长任组长的政府信息公开工作领导小组，明确了分管领导和具体承办科室，制定了《政府信息公开指南》和《政府信息公开目录》，建立了保密审查、依申请公开等五项工作制度。

二、主动公开政府信息情况
我局通过市政府门户网站、局政务公开栏、办事大厅电子显示屏等渠道，及时公开机构职能、法规政策、土地利用规划、建设用地审批、征地补偿标准、矿业权出让等信息，方便群众查阅。

三、依申请公开政府信息情况
我局严格按照《条例》规定受理和答复政府信息公开申请，进一步规范了依申请公开的受理、审核和答复流程。

四、存在的问题及改进措施
一是公开内容还不够全面，二是信息更新还不够及时。下一步，我局将进一步规范公开程序，丰富公开内容，把政府信息公开工作做得更好。

嘉峪关市国土资源局
二〇一〇年三月二十六日
"""
    meta = Meta("pp03_jiayuguan_gtj_2009", "prose_pre2019", "pre2019", 2009, "嘉峪关市国土资源局", "620000",
                "http://www.jyg.gov.cn/gtzy/xxgk/201003/t20100326_45678.html",
                "pre-2019 report with no statistics at all: no figure is printed (五项工作制度 and dates are not "
                "facts).")
    write_case(meta, "document.txt", text.encode("utf-8"))


def pp04() -> None:
    text = """厦门市思明区人民政府二〇一七年政府信息公开工作年度报告
发布日期：2018-03-26　　信息来源：思明区人民政府办公室　　【字体：大 中 小】

根据《中华人民共和国政府信息公开条例》和《福建省政府信息公开办法》的规定，现公布思明区人民政府二〇一七年度政府信息公开工作年度报告。本报告所列数据的统计期限自2017年1月1日起至2017年12月31日止。

一、主动公开政府信息情况
二〇一七年，区政府全年主动公开政府信息1,326条，其中通过区政府门户网站公开980条，通过“思明发布”政务微博公开346条。区政府门户网站全年点击量达135万人次。

二、依申请公开政府信息情况
全年共受理政府信息公开申请12件，其中同意公开9件，部分公开2件，不予公开1件，均在规定期限内予以答复，按时答复率100%。全年接待群众来访咨询56件次。

三、政府信息公开的收费及减免情况
全年未收取任何费用。

四、因政府信息公开申请提起行政复议、行政诉讼的情况
本年度未发生因政府信息公开申请提起的政府信息公开行政复议和行政诉讼案件，行政复议0件，行政诉讼0件。

五、存在的主要问题和改进措施
主要是政策解读的针对性还不够强。下一步，区政府将加强政策解读和回应关切，进一步提升公开质量。
"""
    meta = Meta("pp04_xiamen_siming_2017", "prose_pre2019", "pre2019", 2017, "厦门市思明区人民政府", "350000",
                "http://www.siming.gov.cn/xxgk/zfxxgknb/201803/t20180326_2654321.htm",
                "pre-2019 prose with the year written 二〇一七 in the title, a thousands separator (1,326条), platform "
                "breakdowns after the total, 按时答复率100% (percentage), 来访咨询56件次 (not requests), 未收取任何费用 "
                "(fees 0) and 行政复议0件 / 行政诉讼0件.")
    facts = [
        {"key": "proactive_items", "value": 1326},
        {"key": "requests_received", "value": 12},
        {"key": "requests_granted", "value": 9},
        {"key": "requests_partially_granted", "value": 2},
        {"key": "requests_denied", "value": 1},
        {"key": "fees_charged", "value": 0},
        {"key": "review_cases", "value": 0},
        {"key": "litigation_cases", "value": 0},
    ]
    write_case(meta, "document.txt", text.encode("utf-8"), facts=facts)


# --- real reports (seeds) --------------------------------------------------------------------------


def seed_file(num: str) -> Path:
    found = sorted(SEEDS.glob(f"{num}_*.txt"))
    if len(found) != 1:
        raise SystemExit(f"seed {num} not found in {SEEDS}")
    return found[0]


def seed_cells(name: str) -> tuple[list[dict], str]:
    data = json.loads((REPO / "tests" / "labels" / f"{name}.json").read_text(encoding="utf-8"))
    cells = data["cells"]
    for c in cells:  # the hand labels must agree with the printed texts
        value, unit = read_printed(c["raw"])
        if c["table"] == "active" and c["col"] in MONEY and value is not None:
            value = value * {"元": 1, "万元": 10000}[c.get("unit") or "元"]
        want = None if value is None else (int(value) if value == value.to_integral_value() else float(value))
        if want != c["value"]:
            raise SystemExit(f"{name}: label value {c} disagrees with its raw")
    return cells, data["format"]


def seeds() -> None:
    c001, f001 = seed_cells("seed_001")
    c004, f004 = seed_cells("seed_004")
    yiyang = "http://www.yiyang.gov.cn/xxgkpt/625/629/27495/35059/index.htm"
    tongliao = "https://www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/2022_645/szfzcbm/202301/t20230118_62744.html"
    cases = [
        (Meta("seed001_yiyang_2020_txt", "text_cell_per_line", f001, 2020, "益阳市人民政府办公室", "430000", yiyang,
              "real report (seed 001): crawler text, one cell per line; requests table split at a page break; blanks are "
              "not zeros; breaks I1/I2 natural_person, I2 total, I3 denied_process_info.", synthetic=False),
         seed_file("001"), "document.txt", c001),
        (Meta("seed004_tongliao_2022_txt", "text_pipe_rows", f004, 2022, "通辽市人民政府办公室", "150000", tongliao,
              "real report (seed 004): pipe rows; fee header without unit (万元 from template); first (六)其他处理 row "
              "prints six values and no total.", synthetic=False),
         seed_file("004"), "document.txt", c004),
        (Meta("seed001_yiyang_2020_html", "html_split", f001, 2020, "益阳市人民政府办公室", "430000", yiyang,
              "seed 001's numbers in a GBK Word-pasted page built by corpus/tools/make_pages.py: requests table split "
              "in two <table>s with 三、本年度办理结果 repeated; &nbsp; blanks."),
         PAGES / "www.yiyang.gov.cn/xxgkpt/625/629/27495/35059/index.html", "document.html", c001),
        (Meta("seed004_tongliao_2022_html", "html_rowspan", f004, 2022, "通辽市人民政府办公室", "150000", tongliao,
              "seed 004's numbers in a TRS page built by corpus/tools/make_pages.py: rowspan/colspan, vertical label "
              "with <br/>, short (六)其他处理 row."),
         PAGES / "www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/2022_645/szfzcbm/202301/t20230118_62744.html",
         "document.html", c004),
    ]
    for meta, src, name, cells in cases:
        write_case(meta, name, src.read_bytes(), cells=cells, breaks=identity_breaks(cells, meta.fmt))
    huhhot = "https://www.huhhot.gov.cn/zwgk/zfxxgk/zfxxgknb/201903/t20190329_413562.html"
    meta = Meta("seed000_huhhot_2018_txt", "prose_pre2019", "pre2019", 2018, "呼和浩特市政务公开领导小组办公室", "150000",
                huhhot, "real report (seed 000): pre-2019 prose roll-up printed twice with SEO spam after the second "
                "copy; channel counts after the 78246 total and 门户网站…3510条 are not facts; percentages after the "
                "review outcomes.", synthetic=False)
    facts = [
        {"key": "proactive_items", "value": 78246},
        {"key": "requests_received", "value": 216},
        {"key": "requests_completed_on_time", "value": 197},
        {"key": "requests_completed_extended", "value": 19},
        {"key": "review_cases", "value": 20},
        {"key": "review_upheld", "value": 1},
        {"key": "review_corrected", "value": 12},
        {"key": "review_other", "value": 7},
        {"key": "litigation_cases", "value": 3},
        {"key": "litigation_upheld", "value": 2},
        {"key": "litigation_corrected", "value": 1},
        {"key": "fees_charged", "value": 0},
    ]
    write_case(meta, "document.txt", seed_file("000").read_bytes(), facts=facts)
    urumqi = "http://www.urumqi.gov.cn/wlmqs/c120220/201801/811bfac3955441a29a470dc0400abdd7.shtml"
    meta = Meta("seed003_urumqi_2017_txt", "prose_pre2019", "pre2019", 2017, "乌鲁木齐市人民政府机关", "650000", urumqi,
                "real report (seed 003): pre-2019 prose; 市政府累计公开政务信息10180条 is the year's total; website, "
                "new-media and 受理群众来信4402件 counts are not facts; '均依法按期答复' states no number.", synthetic=False)
    facts = [{"key": "proactive_items", "value": 10180}, {"key": "requests_received", "value": 7}]
    write_case(meta, "document.txt", seed_file("003").read_bytes(), facts=facts)


CASES = [hr01, hr02, hr03, hr04, hs01, hs02, hs03, tc01, tc02, tp01, tp02, md01, md02, md03, pt01, pt02, pt03,
         rt01, rt02, rt03, lv01, lv02, lv03, lv04, cb01, pp01, pp02, pp03, pp04, seeds]


def main() -> int:
    for build in CASES:
        build()
    from make_scans import SCAN_CASE_IDS  # scans of these cases, written by make_scans.py (needs LibreOffice)

    stale = [p.name for p in CORPUS.iterdir()
             if p.is_dir() and p.name != "tools" and p.name not in BUILT and p.name not in SCAN_CASE_IDS]
    for name in stale:
        shutil.rmtree(CORPUS / name)
    print(f"{len(BUILT)} cases written to {CORPUS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
