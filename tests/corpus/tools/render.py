"""Renderings of a report's tables as government sites and crawlers publish them.

Tables are first laid out as the official template's grid (rows of printed cells with rowspan /
colspan), then written out as HTML (TRS editor or Word paste), one-cell-per-line or pipe-row crawler
text, markdown, PDF text extraction or run-together crawler text. Every value cell of the grid is
the model's printed text for that position, so the labels (model.Tables.label_cells) stay true.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from model import ACTIVE_LAYOUT, OTHER, PROCEEDINGS, Tables, request_rows

# --- label sets -----------------------------------------------------------------------------------


@dataclass
class Labels:
    """The printed texts of row labels and headers; variants are built by `labels(...)`."""

    rows: dict[str, str]
    groups: dict[str, str]
    active_items: dict[str, str]
    section: str  # 第二十条第{}项 with the brackets
    note: str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


_BASE_ROWS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "{o}一{c}予以公开",
    "partially_granted": "{o}二{c}部分公开{o}区分处理的，只计这一情形，不计其他情形{c}",
    "denied_state_secret": "{n1}属于国家秘密",
    "denied_law_prohibited": "{n2}其他法律行政法规禁止公开",
    "denied_security_stability": "{n3}危及“三安全一稳定”",
    "denied_third_party": "{n4}保护第三方合法权益",
    "denied_internal_affairs": "{n5}属于三类内部事务信息",
    "denied_process_info": "{n6}属于四类过程性信息",
    "denied_enforcement_file": "{n7}属于行政执法案卷",
    "denied_query_matter": "{n8}属于行政查询事项",
    "unavailable_not_held": "{n1}本机关不掌握相关政府信息",
    "unavailable_needs_creation": "{n2}没有现成信息需要另行制作",
    "unavailable_unclear": "{n3}补正后申请内容仍不明确",
    "not_processed_petition": "{n1}信访举报投诉类申请",
    "not_processed_duplicate": "{n2}重复申请",
    "not_processed_publication": "{n3}要求提供公开出版物",
    "not_processed_excessive": "{n4}无正当理由大量反复申请",
    "not_processed_confirmation": "{n5}要求行政机关确认或重新出具已获取信息",
    "other": "{o}六{c}其他处理",
    "other_no_correction": "{n1}申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "{n2}申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "{n3}其他",
    "total_processed": "{o}七{c}总计",
    "carried_forward": "四、结转下年度继续办理",
}
_BASE_GROUPS = {
    "results": "三、本年度办理结果",
    "denied": "{o}三{c}不予公开",
    "unavailable": "{o}四{c}无法提供",
    "not_processed": "{o}五{c}不予处理",
    "other": "{o}六{c}其他处理",
}


def labels(fmt: str, *, brackets: str = "（）", numbering: str = "1.", normative: str | None = None,
           new_received_verb: str = "收", overrides: dict[str, str] | None = None) -> Labels:
    """Row labels as a body prints them: bracket width, sub-item numbering, 规范性文件 wording, typos."""
    o, c = brackets[0], brackets[1]

    def num(k: int) -> str:
        if numbering == "1.":
            return f"{k}."
        if numbering == "1、":
            return f"{k}、"
        if numbering == "（1）":
            return f"（{k}）"
        if numbering == "１．":
            return "０１２３４５６７８９"[k] + "．"
        raise ValueError(numbering)

    fill = {"o": o, "c": c, **{f"n{k}": num(k) for k in range(1, 9)}}
    rows = {k: v.format(**fill) for k, v in _BASE_ROWS.items()}
    if new_received_verb != "收":
        rows["new_received"] = rows["new_received"].replace("新收", "新" + new_received_verb)
    rows.update(overrides or {})
    groups = {k: v.format(**fill) for k, v in _BASE_GROUPS.items()}
    items = {
        "regulations": "规章",
        "normative_documents": normative or ("行政规范性文件" if fmt == "2021" else "规范性文件"),
        "licensing": "行政许可",
        "other_services": "其他对外管理服务事项",
        "penalty": "行政处罚",
        "coercion": "行政强制",
        "fees": "行政事业性收费",
        "procurement": "政府集中采购",
    }
    return Labels(rows=rows, groups=groups, active_items=items, section="第二十条第" + o + "{}" + c + "项")


# --- grids ----------------------------------------------------------------------------------------


@dataclass
class C:
    """One printed cell: text ("\n" = a line break in the cell), rowspan, colspan."""

    text: str
    rs: int = 1
    cs: int = 1
    value: bool = False  # a value cell (vs a label or header)


def V(text: str, cs: int = 1) -> C:
    return C(text, cs=cs, value=True)


Grid = list[list[C]]


@dataclass
class ActiveHeaders:
    """Header texts of the active table; "\n" where the Word table wraps them."""

    measures: dict[str, str] = field(default_factory=dict)
    fee: str = "本年收费金额（单位：万元）"
    procurement: str = "采购总金额（元）"


def active_headers(fmt: str, *, wrap: bool = False, fee: str | None = None, procurement: str | None = None) -> ActiveHeaders:
    if fmt == "2021":
        m = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数", "decisions": "本年处理决定数量"}
    else:
        m = {"new_made": "本年新\n制作数量" if wrap else "本年新制作数量",
             "new_published": "本年新\n公开数量" if wrap else "本年新公开数量",
             "total_published": "对外公开\n总数量" if wrap else "对外公开总数量",
             "prev_year_items": "上一年\n项目数量" if wrap else "上一年项目数量",
             "change": "本年增/减", "decisions": "处理决定数量", "items": "采购项目数量"}
    h = ActiveHeaders(measures=m)
    if fee is not None:
        h.fee = fee
    elif fmt == "2021":
        h.fee = "本年收费金额（单位：万元）"
    if procurement is not None:
        h.procurement = procurement
    return h


_SECTIONS = {
    "2021": [("一", ["regulations", "normative_documents"]), ("五", ["licensing"]),
             ("六", ["penalty", "coercion"]), ("八", ["fees"])],
    "2019": [("一", ["regulations", "normative_documents"]), ("五", ["licensing", "other_services"]),
             ("六", ["penalty", "coercion"]), ("八", ["fees"]), ("九", ["procurement"])],
}


def active_sections(fmt: str) -> list[tuple[str, list[str]]]:
    return _SECTIONS[fmt]


def section_measure_headers(t: Tables, h: ActiveHeaders, items: list[str]) -> list[str]:
    measures = dict(ACTIVE_LAYOUT[t.fmt])[items[0]]
    out = []
    for m in measures:
        if m == "fee_amount":
            out.append(h.fee)
        elif m == "amount":
            out.append(h.procurement)
        else:
            out.append(h.measures[m])
    return out


def active_grid(t: Tables, lab: Labels, h: ActiveHeaders, *, pad_single: bool = False) -> Grid:
    """The 4-column active table. 2021 single-measure rows span 3 columns unless `pad_single`,
    which prints the value in the first column and two empty layout cells after it."""
    rows: Grid = []
    for sec, items in active_sections(t.fmt):
        rows.append([C(lab.section.format(sec), cs=4)])
        heads = section_measure_headers(t, h, items)
        if len(heads) == 1:
            rows.append([C("信息内容")] + ([C(heads[0]), C(""), C("")] if pad_single else [C(heads[0], cs=3)]))
        else:
            rows.append([C("信息内容")] + [C(x) for x in heads] + [C("")] * (3 - len(heads)))
        for item in items:
            vals = t.active[item]
            if len(vals) == 1:
                cells = [V(vals[0]), C(""), C("")] if pad_single else [V(vals[0], cs=3)]
            elif item == "procurement":
                cells = [V(vals[0]), V(vals[1], cs=2)]
            else:
                cells = [V(v) for v in vals] + [C("")] * (3 - len(vals))
            rows.append([C(lab.active_items[item])] + cells)
    return rows


def request_header(lab: Labels, *, wrap: bool = False) -> Grid:
    org = ["商业\n企业", "科研\n机构", "社会公益\n组织", "法律服务\n机构", "其他"] if wrap else \
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    return [
        [C(lab.note, rs=3, cs=3), C("申请人情况", cs=7)],
        [C("自然人", rs=2), C("法人或其他组织", cs=5), C("总计", rs=2)],
        [C(x) for x in org],
    ]


def _vals(t: Tables, row: str) -> list[C]:
    raws = t.requests[row]
    n = t.short_rows.get(row, 7)
    return [V(r) for r in raws[:n]]


def request_grids(t: Tables, lab: Labels, *, split_before: str | None = None, repeat_header: bool = False,
                  wrap_header: bool = False, vertical_results: bool = False) -> list[Grid]:
    """The 10-column requests table; split in two before `split_before` (a page break), where the
    spanning group labels are printed again (and the column headers too with `repeat_header`)."""
    fmt = t.fmt
    groups = {
        "denied": list(DENIED_ROWS),
        "unavailable": ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"],
        "not_processed": ["not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                          "not_processed_excessive", "not_processed_confirmation"],
    }
    if fmt == "2021":
        groups["other"] = list(OTHER["2021"])
    group_of = {r: g for g, rs in groups.items() for r in rs}
    results = [r for r in request_rows(fmt) if r not in ("new_received", "carried_over", "carried_forward")]
    results_label = lab.groups["results"]
    if vertical_results:
        results_label = results_label[:2] + "\n" + "\n".join(results_label[2:])
    order = list(request_rows(fmt))
    cut = order.index(split_before) if split_before else len(order)
    parts = [order[:cut], order[cut:]] if split_before else [order]
    grids: list[Grid] = []
    for k, part_rows in enumerate(parts):
        grid: Grid = request_header(lab, wrap=wrap_header) if k == 0 or repeat_header else []
        seen: set[str] = set()
        for row in part_rows:
            cells: list[C] = []
            if row in results:
                if "results" not in seen:
                    seen.add("results")
                    cells.append(C(results_label, rs=sum(1 for r in part_rows if r in results)))
                g = group_of.get(row)
                if g is not None:
                    if g not in seen:
                        seen.add(g)
                        cells.append(C(lab.groups[g], rs=sum(1 for r in part_rows if group_of.get(r) == g)))
                    cells.append(C(lab.rows[row]))
                else:
                    cells.append(C(lab.rows[row], cs=2))
            else:
                cells.append(C(lab.rows[row], cs=3))
            grid.append(cells + _vals(t, row))
        grids.append(grid)
    return grids


DENIED_ROWS = ("denied_state_secret", "denied_law_prohibited", "denied_security_stability", "denied_third_party",
               "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query_matter")
OUTCOME_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def review_grid(t: Tables, layout: str = "2021") -> Grid:
    """Layout "2019": 行政复议 spans two header rows; "2021": its outcomes span them."""
    if layout == "2019":
        head = [
            [C("行政复议", rs=2, cs=5), C("行政诉讼", cs=10)],
            [C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
            [C(x) for x in OUTCOME_HEADS * 3],
        ]
    else:
        head = [
            [C("行政复议", cs=5), C("行政诉讼", cs=10)],
            [*(C(x, rs=2) for x in OUTCOME_HEADS), C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
            [C(x) for x in OUTCOME_HEADS * 2],
        ]
    return head + [[V(v) for v in t.review]]


def grid_width(rows: Grid) -> int:
    """Check the spans tile a rectangle (short rows allowed) and return the width."""
    occupied: set[tuple[int, int]] = set()
    width = 0
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in occupied:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    if (r + dr, c + dc) in occupied:
                        raise ValueError(f"overlapping cells at row {r}: {cell}")
                    occupied.add((r + dr, c + dc))
            c += cell.cs
            width = max(width, c)
    return width


# --- HTML ----------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def _word_inner(cell: C, split_digits: bool, nested_p: bool) -> str:
    span = '<span style="font-size:10.5pt;font-family:宋体">{}</span>'
    num_span = '<span lang="EN-US" style="font-size:10.5pt;font-family:&quot;Times New Roman&quot;">{}</span>'
    if cell.text.strip() == "":
        return '<p class="MsoNormal" align="center" style="text-align:center"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>'
    parts = cell.text.split("\n")
    if cell.value:
        text = cell.text
        if split_digits and len(text) >= 2 and text.isdigit():
            cut = len(text) // 2
            inner = num_span.format(esc(text[:cut])) + num_span.format(esc(text[cut:]) + "<o:p></o:p>")
        else:
            inner = num_span.format(esc(text) + "<o:p></o:p>")
        return f'<p class="MsoNormal" align="center" style="text-align:center">{inner}</p>'
    if nested_p and len(parts) > 1:
        return "".join(f'<p class="MsoNormal" align="center" style="text-align:center">{span.format(esc(p))}</p>'
                       for p in parts)
    inner = "<br>".join(esc(p) for p in parts)
    return f'<p class="MsoNormal" align="center" style="text-align:center">{span.format(inner)}</p>'


def html_table(rows: Grid, style: str = "trs", *, header_rows: int = 0, split_digits: bool = False,
               nested_p: bool = False, misaligned_row: bool = False) -> str:
    """A grid as a <table>: "word" (Word pasted into the editor), "trs" (plain editor markup) or "th"
    (thead/th header rows, &nbsp; blanks)."""
    width = grid_width(rows)
    out: list[str] = []
    if style == "word":
        out.append('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="620" '
                   'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;'
                   'mso-padding-alt:0cm 5.4pt 0cm 5.4pt">')
        out.append("<tbody>")
        for r, cells in enumerate(rows):
            out.append(f'<tr style="mso-yfti-irow:{r};height:20.25pt">')
            for cell in cells:
                attrs = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
                shade = "background:#D9D9D9;" if r < header_rows else ""
                out.append(f'<td{attrs} width="{62 * cell.cs}" valign="center" style="border:solid windowtext 1.0pt;'
                           f'{shade}padding:0cm 5.4pt 0cm 5.4pt">{_word_inner(cell, split_digits, nested_p)}</td>')
            out.append("</tr>")
        if misaligned_row:
            out.append("<![if !supportMisalignedColumns]>")
            out.append('<tr height="0">' + "".join('<td width="62" style="border:none"></td>' for _ in range(width)) + "</tr>")
            out.append("<![endif]>")
        out += ["</tbody>", "</table>"]
        return "\n".join(out)
    if style == "th":
        out.append('<table class="table-xxgk" border="1" cellspacing="0" cellpadding="4" width="100%">')
        out.append("<thead>")
        for r, cells in enumerate(rows):
            if r == header_rows:
                out.append("</thead>\n<tbody>")
            out.append("<tr>")
            tag = "th" if r < header_rows else "td"
            for cell in cells:
                attrs = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
                inner = "<br />".join(esc(p) for p in cell.text.split("\n")) or "&nbsp;"
                t = "td" if cell.value else tag
                out.append(f"<{t}{attrs}>{inner}</{t}>")
            out.append("</tr>")
        if header_rows >= len(rows):
            out.append("</thead>")
        else:
            out.append("</tbody>")
        out.append("</table>")
        return "\n".join(out)
    out.append('<table border="1" cellspacing="0" cellpadding="0" align="center" width="100%" '
               'style="border-collapse:collapse">')
    out.append("<tbody>")
    for cells in rows:
        out.append("<tr>")
        for cell in cells:
            attrs = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
            inner = "<br/>".join(esc(p) for p in cell.text.split("\n")) or "&nbsp;"
            out.append(f'<td{attrs} style="text-align:center;vertical-align:middle">{inner}</td>')
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


# --- crawler text renderings ------------------------------------------------------------------------


def cell_per_line(grids: list[Grid], ncols: int) -> list[str]:
    """Seed 001's crawler: each printed cell on its own line as "text |" ("|" when blank), then a
    line of "|" padding the row to `ncols` printed cells, except after the table's last row."""
    rows = [r for g in grids for r in g]
    out: list[str] = []
    for i, cells in enumerate(rows):
        for c in cells:
            t = c.text.replace("\n", "")
            out.append(f"{t} |" if t.strip() else "|")
        pad = ncols - len(cells)
        if pad > 0 and i != len(rows) - 1:
            out.append("|" * pad)
    return out


def pipe_rows(grids: list[Grid], ncols: int) -> list[str]:
    """Seed 004's crawler: one row per line, "cell | cell | " then "|" padding, right-stripped."""
    out: list[str] = []
    for g in grids:
        for cells in g:
            texts = [c.text.replace("\n", " ") for c in cells]
            pad = ncols - len(cells)
            out.append(("".join(f"{t} | " for t in texts) + "|" * max(pad, 0)).rstrip())
    return out


def markdown(grid: Grid, *, pad_to: int | None = None, br: str = "<br>") -> list[str]:
    """What an HTML→markdown converter prints: the first row becomes the header (separator sized to
    it), spanning cells appear once, so rows have fewer cells than the table is wide; `pad_to`
    pads every row with empty cells to that width (extra cells)."""
    out: list[str] = []
    for r, cells in enumerate(grid):
        texts = [c.text.replace("\n", br) for c in cells]
        if pad_to:
            texts += [""] * (pad_to - len(texts))
        out.append("| " + " | ".join(texts) + " |")
        if r == 0:
            out.append("|" + "|".join(" --- " for _ in texts) + "|")
    return out


# --- PDF text extraction -----------------------------------------------------------------------------


def wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


@dataclass
class PdfStyle:
    label_width: int = 14  # characters per line in the label column
    vertical_results: bool = True  # 三、本年度办理结果 printed one character per line
    merge_groups: bool = False  # group labels land on the same line as a row (pdfplumber y-merge)
    footer_after: str | None = None  # row after which the page ends
    footer: str = "— 4 —"
    repeat_header_after_footer: bool = False
    values_between: set[str] = field(default_factory=set)  # 2-line labels: values on a line of their own


def _value_line(raws: list[str]) -> str:
    return " ".join(r for r in raws if r.strip() != "")


def pdf_request_lines(t: Tables, lab: Labels, st: PdfStyle) -> list[str]:
    """Requests table as pdfplumber's extract_text prints it: cells separated by spaces, long labels
    wrapped in their column with the values on the middle line, vertical labels one character a line."""
    head = [
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二 法人或其他组织",
        "项之和，等于第三项加第四项之和） 自然人 商业 科研 社会公益 法律服务 其他 总计",
        "企业 机构 组织 机构",
    ]
    out = list(head)
    fmt = t.fmt
    results = [r for r in request_rows(fmt) if r not in ("new_received", "carried_over", "carried_forward")]
    vchars = list(lab.groups["results"]) if st.vertical_results else []
    # characters of the vertical label, spread over the results rows
    char_at: dict[int, list[str]] = {}
    for k, ch in enumerate(vchars):
        char_at.setdefault(int(k * len(results) / max(len(vchars), 1)), []).append(ch)
    group_rows = {
        "denied": list(DENIED_ROWS),
        "unavailable": ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"],
        "not_processed": ["not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                          "not_processed_excessive", "not_processed_confirmation"],
    }
    if fmt == "2021":
        group_rows["other"] = list(OTHER["2021"])
    group_mid = {rs[len(rs) // 2]: g for g, rs in group_rows.items()}
    for row in request_rows(fmt):
        raws = t.requests[row][: t.short_rows.get(row, 7)]
        vals = _value_line(raws)
        label = lab.rows[row]
        if row in results:
            i = results.index(row)
            for ch in char_at.get(i, []):
                out.append(ch)
        prefix = ""
        if row in group_mid:
            g = group_mid[row]
            if st.merge_groups:
                prefix = lab.groups[g] + " "
            else:
                out.append(lab.groups[g])
        width = st.label_width if row not in ("new_received", "carried_over", "carried_forward") else 40
        parts = wrap(label, width)
        if len(parts) == 1:
            out.append(f"{prefix}{parts[0]} {vals}")
        elif len(parts) == 2 and row in st.values_between:
            out.append(prefix + parts[0])
            out.append(vals)
            out.append(parts[1])
        elif len(parts) == 2:
            out.append(prefix + parts[0])
            out.append(f"{parts[1]} {vals}")
        else:
            mid = len(parts) // 2
            out.append(prefix + parts[0])
            out.extend(parts[1:mid])
            out.append(f"{parts[mid]} {vals}")
            out.extend(parts[mid + 1:])
        if st.footer_after == row:
            out.append(st.footer)
            if st.repeat_header_after_footer:
                out.extend(head)
    return out


def pdf_active_lines(t: Tables, lab: Labels, h: ActiveHeaders, *, wrap_headers: bool = False) -> list[str]:
    out: list[str] = []
    for sec, items in active_sections(t.fmt):
        out.append(lab.section.format(sec))
        heads = section_measure_headers(t, h, items)
        if wrap_headers and any("\n" in x for x in heads):
            first = [x.split("\n")[0] for x in heads]
            second = [x.split("\n")[1] if "\n" in x else "" for x in heads]
            out.append("信息内容 " + " ".join(first))
            out.append(" ".join(s for s in second if s))
        else:
            out.append("信息内容 " + " ".join(x.replace("\n", "") for x in heads))
        for item in items:
            out.append(f"{lab.active_items[item]} {_value_line(t.active[item])}")
    return out


def pdf_review_lines(t: Tables) -> list[str]:
    return [
        "行政复议 行政诉讼",
        "结果 结果 其他 尚未 未经复议直接起诉 复议后起诉",
        "总计",
        "维持 纠正 结果 审结 结果 结果 其他 尚未 结果 结果 其他 尚未",
        "总计 总计",
        "维持 纠正 结果 审结 维持 纠正 结果 审结",
        _value_line(t.review),
    ]


# --- run-together crawler text -----------------------------------------------------------------------


def run_together_lines(t: Tables, lab: Labels, h: ActiveHeaders) -> dict[str, list[str]]:
    """A crawler that dropped every cell separator: one line per table row, cells glued together.
    Blank cells vanish, so cases rendered this way print no blanks."""
    active: list[str] = []
    for sec, items in active_sections(t.fmt):
        active.append(lab.section.format(sec))
        active.append("信息内容" + "".join(x.replace("\n", "") for x in section_measure_headers(t, h, items)))
        for item in items:
            active.append(lab.active_items[item] + "".join(t.active[item]))
    requests = [
        lab.note + "申请人情况",
        "自然人法人或其他组织总计",
        "商业企业科研机构社会公益组织法律服务机构其他",
    ]
    fmt = t.fmt
    firsts = {"granted": lab.groups["results"], "denied_state_secret": lab.groups["denied"],
              "unavailable_not_held": lab.groups["unavailable"], "not_processed_petition": lab.groups["not_processed"]}
    if fmt == "2021":
        firsts["other_no_correction"] = lab.groups["other"]
    for row in request_rows(fmt):
        requests.append(firsts.get(row, "") + lab.rows[row] + "".join(t.requests[row]))
    review = [
        "行政复议行政诉讼",
        "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉",
        "结果维持结果纠正其他结果尚未审结总计" * 2,
        "".join(t.review),
    ]
    return {"active": active, "requests": requests, "review": review}


PROCEEDING_NAMES = dict(zip(PROCEEDINGS, ("行政复议", "未经复议直接起诉", "复议后起诉"), strict=True))
