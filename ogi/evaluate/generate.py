"""Realistic annual reports made up from a seed, with the cells they must yield: for tests and `ogi benchmark`.

`generate(n, seed)` makes `n` reports deterministically. Each one is

- a format: 2021 (国办公开办函〔2021〕30号) or 2019 (〔2019〕60号) with the three standard tables, or
  pre-2019 prose stating a few figures (the facts of report-tables.md);
- a page: the content wrapped by one of several site templates (a TRS-style CMS page with a
  metadata table, a Hanweb-style article page, a plain department page, a bare Word export), each
  with navigation, breadcrumbs, share bars and a footer around the content, as gov.cn sites serve;
  tables laid out like the official templates (rowspans, colspans, vertical group labels,
  full-width or half-width brackets, a requests table split at a page break);
- an encoding: UTF-8 or GBK (declared in the page), and for text renderings UTF-8 or GBK bytes;
- a rendering: the HTML page itself, or one of the text renderings of ogi/evaluate/renderings.py
  made from it (copy-paste text, cells glued, cell per line, markdown from HTML / PDF, layout text,
  a crawler's one-line archive);
- numbers: consistent (I1–I4 hold: a column's total_processed is the sum of its outcome rows, the
  total column the sum of the applicant columns, …) or, with `broken`, deliberately broken in one or
  two places. The expected cells are always the printed numbers; the identity breaks they imply are
  listed in the labels (computed by ogi/parse/identities.py from the printed cells).

The labels follow the labels.json schema of tests/corpus, so ogi/evaluate/accuracy.score_document
scores a generated report like a corpus case; `GeneratedReport.expected` gives the same cells as
(table, row, col) → Decimal (None for a printed blank).
"""

from __future__ import annotations

import html
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ogi.evaluate import renderings as R
from ogi.model import Cell
from ogi.parse.identities import identity_findings, identity_rows
from ogi.reference import keys

HTML = "html"
# The renderings a generated report can be handed over as: the page, or a text rendering of it.
RENDERINGS: tuple[str, ...] = (HTML, *(str(r) for r in R.Rendering))
ENCODINGS = ("utf-8", "gbk")
SITES = ("trs", "hanweb", "dept", "word")

Key = tuple[str, str, str]


@dataclass(frozen=True)
class GeneratedReport:
    """One generated report: the bytes a fetch would store, and what parsing them must give."""

    name: str
    filename: str
    data: bytes
    format: str
    year: int
    region: str
    agency: str
    origin_url: str
    site: str
    encoding: str
    rendering: str
    broken: bool
    labels: dict[str, Any] = field(repr=False)

    @property
    def uri(self) -> str:
        return f"generated/{self.name}/{self.filename}"

    @property
    def expected(self) -> dict[Key, Decimal | None]:
        """The printed cells (table, row, col) → value, less those the rendering destroys."""
        return {(c["table"], c["row"], c["col"]): (None if c["value"] is None else Decimal(str(c["value"])))
                for c in self.labels["cells"] if not c.get("lost_in_rendering")}

    @property
    def expected_breaks(self) -> set[tuple[str, str]]:
        return {(b["check"], b.get("row") or b.get("col")) for b in self.labels.get("identity_breaks", [])}


# --- places and bodies ------------------------------------------------------------------------------

# (province code, place as printed, site host); real names so the metadata finds the region.
PLACES = (
    ("320000", "南京市", "www.nanjing.gov.cn"), ("320000", "无锡市梁溪区", "www.wxlx.gov.cn"),
    ("330000", "杭州市西湖区", "www.hzxh.gov.cn"), ("330000", "温州市", "www.wenzhou.gov.cn"),
    ("340000", "合肥市", "www.hefei.gov.cn"), ("370000", "济南市历下区", "www.lixia.gov.cn"),
    ("410000", "洛阳市", "www.ly.gov.cn"), ("420000", "孝感市", "www.xiaogan.gov.cn"),
    ("430000", "株洲市", "www.zhuzhou.gov.cn"), ("430000", "岳阳市", "www.yueyang.gov.cn"),
    ("440000", "佛山市南海区", "www.nanhai.gov.cn"), ("440000", "广州市越秀区", "www.yuexiu.gov.cn"),
    ("450000", "南宁市", "www.nanning.gov.cn"), ("510000", "成都市武侯区", "www.cdwh.gov.cn"),
    ("520000", "贵阳市云岩区", "www.yunyan.gov.cn"), ("530000", "昆明市五华区", "www.kmwh.gov.cn"),
    ("610000", "西安市雁塔区", "www.yanta.gov.cn"), ("620000", "兰州市城关区", "www.lzcgq.gov.cn"),
    ("150000", "通辽市", "www.tongliao.gov.cn"), ("150000", "呼和浩特市", "www.huhhot.gov.cn"),
    ("350000", "厦门市思明区", "www.siming.gov.cn"), ("460000", "海口市美兰区", "www.meilan.gov.cn"),
)
# More places of one province, for a benchmark partition (320000) of many reports.
MORE_PLACES = (
    ("320000", "苏州市", "www.suzhou.gov.cn"), ("320000", "常州市", "www.changzhou.gov.cn"),
    ("320000", "徐州市", "www.xz.gov.cn"), ("320000", "扬州市", "www.yangzhou.gov.cn"),
    ("320000", "南通市", "www.nantong.gov.cn"), ("320000", "淮安市", "www.huaian.gov.cn"),
)
BODIES = ("人民政府办公室", "人民政府", "生态环境局", "财政局", "自然资源和规划局", "人力资源和社会保障局",
          "市场监督管理局", "教育局", "卫生健康委员会", "住房和城乡建设局", "交通运输局", "民政局")
_SYLLABLES = "东西南北新城河山湖桥塘泉安平兴华丰和永宁长乐阳林石沙龙凤金玉清溪水田港口湾岭坪庄集"
_TOWNSHIP_KINDS = ("镇人民政府", "街道办事处", "乡人民政府")


def township_body(index: int) -> str:
    """A township-level body named after `index`: distinct for every index (a partition of many bodies)."""
    n = len(_SYLLABLES)
    name = _SYLLABLES[index % n] + _SYLLABLES[(index // n) % n]
    rest = index // (n * n * len(_TOWNSHIP_KINDS))
    if rest:
        name += _SYLLABLES[rest % n] * (1 + rest // n)
    return name + _TOWNSHIP_KINDS[(index // (n * n)) % len(_TOWNSHIP_KINDS)]


# --- numbers -----------------------------------------------------------------------------------------


def _small(rng: random.Random, hi: int, zero: float = 0.6) -> int:
    return 0 if rng.random() < zero else rng.randint(1, hi)


def _requests_numbers(rng: random.Random, fmt: str) -> dict[tuple[str, str], int]:
    """Every requests cell, with I1, I2 and I3 holding."""
    outcome_rows = [*keys.OUTCOME_ROWS_COMMON, *(keys.OTHER_ROWS_2021 if fmt == "2021" else keys.OTHER_ROWS_2019)]
    scale = rng.choice([5, 20, 60, 200, 800])
    out: dict[tuple[str, str], int] = {}
    for col in keys.APPLICANT_COLS:
        size = scale if col == "natural_person" else scale // rng.choice([4, 10, 30, 100])
        for row in outcome_rows:
            if row == "granted":
                v = _small(rng, max(1, size), zero=0.2)
            elif row in ("partially_granted", "unavailable_not_held"):
                v = _small(rng, max(1, size // 3), zero=0.5)
            else:
                v = _small(rng, max(1, size // 15), zero=0.8)
            out[(row, col)] = v
        done = sum(out[(r, col)] for r in outcome_rows)
        forward = _small(rng, max(1, done // 8 + 1), zero=0.6)
        over = min(_small(rng, max(1, done // 8 + 1), zero=0.6), done + forward)
        out[("total_processed", col)] = done
        out[("carried_forward", col)] = forward
        out[("carried_over", col)] = over
        out[("new_received", col)] = done + forward - over
    for row in keys.request_rows(fmt):
        out[(row, "total")] = sum(out[(row, c)] for c in keys.APPLICANT_COLS)
    return out


def _review_numbers(rng: random.Random) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for proc in keys.PROCEEDINGS:
        for o in ("upheld", "corrected", "other", "pending"):
            out[(proc, o)] = _small(rng, 6, zero=0.65)
        out[(proc, "total")] = sum(out[(proc, o)] for o in ("upheld", "corrected", "other", "pending"))
    return out


def _money(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "0"
    return f"{rng.randint(0, 300)}.{rng.randint(1, 99):02d}".rstrip("0")


def _active_numbers(rng: random.Random, fmt: str) -> dict[tuple[str, str], str]:
    """Printed texts of the active table's cells."""
    out: dict[tuple[str, str], str] = {}
    if fmt == "2021":
        for item in ("regulations", "normative_documents"):
            issued, repealed = _small(rng, 20, 0.4), _small(rng, 10, 0.5)
            out[(item, "issued")], out[(item, "repealed")] = str(issued), str(repealed)
            out[(item, "in_force")] = str(issued + rng.randint(0, 150))
        for item in ("licensing", "penalty", "coercion"):
            out[(item, "decisions")] = str(_small(rng, 20000, 0.3))
        out[("fees", "fee_amount")] = _money(rng)
    else:
        for item in ("regulations", "normative_documents"):
            made = _small(rng, 30, 0.4)
            out[(item, "new_made")], out[(item, "new_published")] = str(made), str(made)
            out[(item, "total_published")] = str(made + rng.randint(0, 200))
        for item in ("licensing", "other_services", "penalty", "coercion", "fees"):
            out[(item, "prev_year_items")] = str(_small(rng, 400, 0.4))
            change = _small(rng, 12, 0.6) * rng.choice([1, -1])
            out[(item, "change")] = f"+{change}" if change > 0 and rng.random() < 0.5 else str(change)
            if item != "fees":
                out[(item, "decisions")] = str(_small(rng, 9000, 0.3))
        out[("procurement", "items")] = str(_small(rng, 60, 0.4))
        out[("procurement", "amount")] = str(_small(rng, 9_000_000, 0.4))
    return out


def _break(rng: random.Random, req: dict[tuple[str, str], int], rev: dict[tuple[str, str], int], fmt: str) -> None:
    """One or two misprints of the kinds real tables carry: a total off, a column's 总计 off, a review total off."""
    kinds = rng.sample(["row_total", "column_total", "review_total"], rng.choice([1, 2]))
    for kind in kinds:
        delta = rng.choice([1, 2, 3, 5, 10])
        if kind == "row_total":
            row = rng.choice([r for r in keys.request_rows(fmt) if r not in ("total_processed",)])
            req[(row, "total")] += delta
        elif kind == "column_total":
            col = rng.choice(["natural_person", "total"])
            req[("total_processed", col)] += delta
        else:
            rev[(rng.choice(keys.PROCEEDINGS), "total")] += delta


def _value(table: str, col: str, raw: str) -> Decimal | None:
    if raw == "":
        return None
    v = Decimal(raw)
    if table == "active" and col == "fee_amount":
        v = v * 10000
    return v.normalize() if v != v.to_integral_value() else v.quantize(Decimal(1))


# --- the report's content ------------------------------------------------------------------------------


@dataclass
class C:
    """One printed <td>: text ("\n" is a <br>), rowspan, colspan."""

    text: str
    rs: int = 1
    cs: int = 1


@dataclass
class _Style:
    fullwidth: bool  # （一） or (一)
    regulations_label: str  # 规范性文件 or 行政规范性文件
    vertical_group: bool  # 三、本年度办理结果 printed one character per line
    split_requests: bool  # the requests table cut in two at a page break (the group label printed again)
    fee_unit_printed: bool  # 本年收费金额（单位：万元） or just 本年收费金额
    new_received_label: str
    table_style: str  # word / plain


def _br(text: str, style: _Style) -> str:
    if style.fullwidth:
        return text.replace("(", "（").replace(")", "）")
    return text.replace("（", "(").replace("）", ")")


SEC = "第二十条第（{}）项"
OUTCOMES_PRINTED = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _active_grid(fmt: str, act: dict[tuple[str, str], str], style: _Style) -> list[list[C]]:
    b = lambda t: _br(t, style)  # noqa: E731
    if fmt == "2021":
        fee_header = "本年收费金额（单位：万元）" if style.fee_unit_printed else "本年收费金额"
        return [
            [C(b(SEC.format("一")), cs=4)],
            [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
            [C("规章"), *(C(act[("regulations", m)]) for m in ("issued", "repealed", "in_force"))],
            [C(style.regulations_label), *(C(act[("normative_documents", m)]) for m in ("issued", "repealed", "in_force"))],
            [C(b(SEC.format("五")), cs=4)],
            [C("信息内容"), C("本年处理决定数量", cs=3)],
            [C("行政许可"), C(act[("licensing", "decisions")], cs=3)],
            [C(b(SEC.format("六")), cs=4)],
            [C("信息内容"), C("本年处理决定数量", cs=3)],
            [C("行政处罚"), C(act[("penalty", "decisions")], cs=3)],
            [C("行政强制"), C(act[("coercion", "decisions")], cs=3)],
            [C(b(SEC.format("八")), cs=4)],
            [C("信息内容"), C(b(fee_header), cs=3)],
            [C("行政事业性收费"), C(act[("fees", "fee_amount")], cs=3)],
        ]
    three = ("prev_year_items", "change", "decisions")
    return [
        [C(b(SEC.format("一")), cs=4)],
        [C("信息内容"), C("本年新\n制作数量"), C("本年新\n公开数量"), C("对外公开\n总数量")],
        [C("规章"), *(C(act[("regulations", m)]) for m in ("new_made", "new_published", "total_published"))],
        [C(style.regulations_label),
         *(C(act[("normative_documents", m)]) for m in ("new_made", "new_published", "total_published"))],
        [C(b(SEC.format("五")), cs=4)],
        [C("信息内容"), C("上一年\n项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政许可"), *(C(act[("licensing", m)]) for m in three)],
        [C("其他对外管理服务事项"), *(C(act[("other_services", m)]) for m in three)],
        [C(b(SEC.format("六")), cs=4)],
        [C("信息内容"), C("上一年\n项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政处罚"), *(C(act[("penalty", m)]) for m in three)],
        [C("行政强制"), *(C(act[("coercion", m)]) for m in three)],
        [C(b(SEC.format("八")), cs=4)],
        [C("信息内容"), C("上一年\n项目数量"), C("本年增/减", cs=2)],
        [C("行政事业性收费"), C(act[("fees", "prev_year_items")]), C(act[("fees", "change")], cs=2)],
        [C(b(SEC.format("九")), cs=4)],
        [C("信息内容"), C("采购项目数量"), C(b("采购总金额（元）"), cs=2)],
        [C("政府集中采购"), C(act[("procurement", "items")]), C(act[("procurement", "amount")], cs=2)],
    ]


_REQUEST_LABELS = {
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密", "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”", "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息", "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_query_matter": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息", "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "not_processed_petition": "1.信访举报投诉类申请", "not_processed_duplicate": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物", "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
_SUBGROUPS = {"denied_state_secret": ("（三）不予公开", 8), "unavailable_not_held": ("（四）无法提供", 3),
              "not_processed_petition": ("（五）不予处理", 5), "other_no_correction": ("（六）其他处理", 3)}
_IN_SUBGROUP = {r for first, (_, n) in _SUBGROUPS.items()
                for r in keys.ALL_REQUEST_ROWS[keys.ALL_REQUEST_ROWS.index(first):][:n]}


def _requests_grids(fmt: str, printed: dict[tuple[str, str], str], style: _Style) -> list[list[list[C]]]:
    b = lambda t: _br(t, style)  # noqa: E731
    vals = lambda row: [C(printed[(row, c)]) for c in keys.REQUEST_COLS]  # noqa: E731
    head = [
        [C(b("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), rs=3, cs=3), C("申请人情况", cs=7)],
        [C("自然人", rs=2), C("法人或其他组织", cs=5), C("总计", rs=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")],
    ]
    rows = keys.request_rows(fmt)
    results = [r for r in rows if r not in ("new_received", "carried_over", "carried_forward")]
    cut = results.index("not_processed_petition") if style.split_requests else len(results)
    group = "三、\n本\n年\n度\n办\n理\n结\n果" if style.vertical_group else "三、本年度办理结果"

    def result_rows(part: list[str]) -> list[list[C]]:
        out: list[list[C]] = []
        for k, row in enumerate(part):
            cells: list[C] = []
            if k == 0:
                cells.append(C(group, rs=len(part)))
            if row in _SUBGROUPS:
                label, n = _SUBGROUPS[row]
                cells += [C(b(label), rs=n), C(b(_REQUEST_LABELS[row]))]
            elif row in _IN_SUBGROUP:
                cells.append(C(b(_REQUEST_LABELS[row])))
            else:
                cells.append(C(b(_REQUEST_LABELS[row]), cs=2))
            out.append(cells + vals(row))
        return out

    first = [*head,
             [C(style.new_received_label, cs=3), *vals("new_received")],
             [C(_REQUEST_LABELS["carried_over"], cs=3), *vals("carried_over")],
             *result_rows(results[:cut])]
    last = [[C(_REQUEST_LABELS["carried_forward"], cs=3), *vals("carried_forward")]]
    if cut == len(results):
        return [first + last]
    return [first, result_rows(results[cut:]) + last]


def _review_grid(rev_printed: dict[tuple[str, str], str], rng: random.Random) -> list[list[C]]:
    values = [C(rev_printed[(p, o)]) for p in keys.PROCEEDINGS for o in keys.OUTCOMES]
    if rng.random() < 0.5:  # 2021 template: 行政复议's outcomes under it, rowspan 2
        return [
            [C("行政复议", cs=5), C("行政诉讼", cs=10)],
            [*(C(o, rs=2) for o in OUTCOMES_PRINTED), C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
            [C(o) for o in OUTCOMES_PRINTED * 2],
            values,
        ]
    return [
        [C("行政复议", rs=2, cs=5), C("行政诉讼", cs=10)],
        [C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
        [C(o) for o in OUTCOMES_PRINTED * 3],
        values,
    ]


def _table_html(rows: list[list[C]], style: str, header_rows: int) -> str:
    if style == "word":
        out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="620" '
               'style="border-collapse:collapse;border:none">', "<tbody>"]
    else:
        out = ['<table border="1" cellspacing="0" cellpadding="0" align="center" width="100%" '
               'style="border-collapse:collapse">', "<tbody>"]
    for r, cells in enumerate(rows):
        out.append('<tr style="height:20.25pt">' if style == "word" else "<tr>")
        for cell in cells:
            attrs = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
            inner = "<br>".join(html.escape(p, quote=False) for p in cell.text.split("\n")) or "&nbsp;"
            if style == "word":
                shade = "background:#D9D9D9;" if r < header_rows else ""
                out.append(f'<td{attrs} valign="center" style="border:solid windowtext 1.0pt;{shade}padding:0cm 5.4pt">'
                           f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt;'
                           f'font-family:宋体">{inner}</span></p></td>')
            else:
                cls = ' class="th"' if r < header_rows else ""
                out.append(f'<td{attrs}{cls} style="text-align:center;vertical-align:middle">{inner}</td>')
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _p(text: str, bold: bool = False) -> str:
    t = html.escape(text, quote=False)
    return f'<p style="text-indent:2em"><strong>{t}</strong></p>' if bold else f'<p style="text-indent:2em">{t}</p>'


def _intro(agency: str, year: int) -> str:
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于"
            f"印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，由{agency}编制。本报告所列数据的统计期限自"
            f"{year}年1月1日起至{year}年12月31日止。")


def _tables_body(fmt: str, year: int, agency: str, act: dict[tuple[str, str], str],
                 req_printed: dict[tuple[str, str], str], rev_printed: dict[tuple[str, str], str],
                 new_received_total: str, style: _Style, rng: random.Random) -> list[str]:
    body = [_p(_intro(agency, year)), _p("一、总体情况", True),
            _p(f"{year}年，{agency}深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，严格执行《条例》，"
               "坚持以公开为常态、不公开为例外，政府信息公开工作取得新成效。"),
            _p("（一）主动公开。全年通过门户网站政府信息公开专栏主动公开政府信息，及时发布政策文件及解读材料。"),
            _p(f"（二）依申请公开。严格落实依申请公开受理、登记、审核、答复等工作流程，全年新收政府信息公开申请"
               f"{new_received_total}件，均在法定期限内答复。"),
            _p("（三）平台建设。优化政府网站政府信息公开专栏栏目设置，加强政务新媒体内容审核和日常监管。"),
            _p("二、主动公开政府信息情况", True),
            f'<div align="center">\n{_table_html(_active_grid(fmt, act, style), style.table_style, 0)}\n</div>',
            _p("三、收到和处理政府信息公开申请情况", True)]
    grids = _requests_grids(fmt, req_printed, style)
    for k, grid in enumerate(grids):
        if k:
            body.append('<br clear="all" style="page-break-before:always">')
        body.append(f'<div align="center">\n{_table_html(grid, style.table_style, 3 if k == 0 else 0)}\n</div>')
    body += [_p("四、政府信息公开行政复议、行政诉讼情况", True),
             f'<div align="center">\n{_table_html(_review_grid(rev_printed, rng), style.table_style, 3)}\n</div>',
             _p("五、存在的主要问题及改进情况", True),
             _p("一是公开内容的全面性有待加强；二是政策解读形式较为单一。下一步，将进一步完善工作机制，加强业务培训。"),
             _p("六、其他需要报告的事项", True),
             _p("本年度未收取信息处理费。无其他需要报告的事项。")]
    return body


def _prose_body(year: int, agency: str, place: str, rng: random.Random) -> tuple[list[str], list[dict[str, Any]]]:
    """A pre-2019 report: figures stated in sentences, with their facts."""
    proactive = rng.randint(200, 60000)
    received = rng.randint(5, 600)
    granted = rng.randint(0, received)
    partial = rng.randint(0, received - granted)
    denied = rng.randint(0, received - granted - partial)
    review = rng.randint(0, 12)
    upheld = rng.randint(0, review)
    facts = [{"key": "proactive_items", "value": proactive}, {"key": "requests_received", "value": received},
             {"key": "requests_granted", "value": granted}, {"key": "requests_partially_granted", "value": partial},
             {"key": "requests_denied", "value": denied}, {"key": "review_cases", "value": review}]
    review_text = (f"全年发生政府信息公开行政复议案件{review}件，其中维持具体行政行为{upheld}件，其他情形{review - upheld}件。"
                   if review else "全年未发生政府信息公开行政复议案件。")
    if review:
        facts += [{"key": "review_upheld", "value": upheld}, {"key": "review_other", "value": review - upheld}]
    body = [
        _p(f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency}编制。本报告中所列数据的统计"
           f"期限自{year}年1月1日起至{year}年12月31日止。"),
        _p("一、概述", True),
        _p(f"{year}年，{place}认真贯彻落实《条例》，进一步健全工作机制，拓展公开渠道，政府信息公开工作总体运行平稳。"
           f"全年共组织业务培训{rng.randint(2, 9)}次。"),
        _p("二、主动公开政府信息情况", True),
        _p(f"{year}年，共主动公开政府信息{proactive}条，全文电子化率达100%。"),
        _p("三、依申请公开政府信息情况", True),
        _p(f"{year}年，共受理政府信息公开申请{received}件。已答复的申请中，同意公开{granted}件，同意部分公开{partial}件，"
           f"不予公开{denied}件，其余为信息不存在、非本机关政府信息或申请内容不明确等情形。"),
        _p("四、因政府信息公开申请行政复议、提起行政诉讼的情况", True),
        _p(review_text),
        _p("五、存在的主要问题和改进措施", True),
        _p("一是部分单位主动公开信息更新不及时；二是依申请公开答复的规范性有待提高。"),
    ]
    return body, facts


# --- site templates ---------------------------------------------------------------------------------------


def _meta(items: list[tuple[str, str]]) -> str:
    return "\n".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in items)


def _page(site: str, charset: str, title: str, agency: str, site_name: str, host: str, url: str, published: str,
          body: list[str], rng: random.Random) -> str:
    content = "\n".join(body)
    nav = "".join(f'<li><a href="/col/col{i}/">{n}</a></li>'
                  for i, n in enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进" + site_name[:2], "专题专栏"]))
    hits = rng.randint(100, 9000)
    index_no = f"{rng.randint(100000, 999999)}/{published[:4]}-{rng.randint(1, 99999):05d}"
    footer = (f'<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | '
              f'<a href="/wzsm/">网站声明</a></p><p>主办：{html.escape(site_name)}办公室　承办：{html.escape(site_name)}'
              f'大数据中心</p><p>网站标识码{rng.randint(1000000000, 9999999999)}　ICP备{rng.randint(10000000, 99999999)}号'
              f'　<a href="http://www.beian.gov.cn/">公网安备 {rng.randint(10 ** 13, 10 ** 14 - 1)}号</a></p></div>')
    head = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n<title>{html.escape(title)}_'
            f'政府信息公开年报_{html.escape(site_name)}</title>\n')
    if site == "trs":
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{head}{_meta([("SiteName", site_name), ("SiteDomain", host), ("ColumnName", "政府信息公开年报"), ("ArticleTitle", title),
              ("PubDate", published), ("ContentSource", agency), ("Url", url)])}
<link rel="stylesheet" type="text/css" href="/images/xxgk/css/style.css">
<script type="text/javascript">function doZoom(size){{document.getElementById('zoom').style.fontSize=size+'px';}}</script>
</head>
<body>
<div class="topbar"><span>您好，欢迎访问{html.escape(site_name)}门户网站！</span><a href="/wza/">无障碍</a> | <a href="/m/">手机版</a></div>
<div class="header"><a class="logo" href="/"><img src="/images/logo.png" alt="{html.escape(site_name)}"></a>
<form class="search" action="/search/"><input type="text" name="q" value="请输入关键字"><input type="submit" value="搜索"></form></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/nb/">政府信息公开年报</a></div>
<table class="xxgk-meta" width="100%">
<tr><th>索 引 号：</th><td>{index_no}</td><th>发布机构：</th><td>{html.escape(agency)}</td></tr>
<tr><th>主题分类：</th><td>政府信息公开年报</td><th>生成日期：</th><td>{published[:10]}</td></tr>
<tr><th>名　　称：</th><td colspan="3">{html.escape(title)}</td></tr>
</table>
<div class="article"><h1 class="title">{html.escape(title)}</h1>
<div class="info">发布时间：{published} 浏览次数：{hits} 字体：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(14)">小</a>]</div>
<div id="zoom" class="content"><div class="TRS_Editor">
{content}
</div></div>
<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">新浪微博</a></div>
<div class="tools">[<a href="javascript:window.print()">打印本页</a>] [<a href="javascript:window.close()">关闭窗口</a>]</div>
</div>
{footer}
</body>
</html>
"""
    if site == "hanweb":
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{head}{_meta([("ArticleTitle", title), ("PubDate", published), ("ContentSource", agency), ("ColumnName", "年度报告")])}
<script src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<div id="barrierfree_container">
<div class="top-links"><a href="/">{html.escape(site_name)}</a> <a href="/col/col1/">简体版</a> <a href="/col/col2/">繁体版</a> <a href="/col/col3/">English</a></div>
<ul class="main-nav">{nav}</ul>
<div class="bt-position">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{rng.randint(1000, 99999)}/">年度报告</a></div>
<div class="main-txt">
<div class="title">{html.escape(title)}</div>
<div class="sub">信息来源：{html.escape(agency)}　发布日期：{published[:10]}　访问量：<span>{hits}</span></div>
<div id="zoom">
{content}
</div>
<div class="print"><a href="javascript:window.print();">【打印】</a> <a href="javascript:window.close();">【关闭】</a></div>
</div>
<div class="links"><span>相关链接：</span><a href="http://www.gov.cn/">中国政府网</a></div>
{footer}
</div>
</body>
</html>
"""
    if site == "dept":
        return f"""<html>
<head>
{head}</head>
<body>
<div class="head"><img src="/images/banner.jpg" alt="{html.escape(agency)}"></div>
<div class="menu"><a href="/">网站首页</a> | <a href="/jgsz/">机构设置</a> | <a href="/xxgk/">信息公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a></div>
<div class="location">当前位置：首页 &gt;&gt; 信息公开 &gt;&gt; 年度报告</div>
<div class="con">
<h2>{html.escape(title)}</h2>
<div class="date">时间：{published[:10]}　来源：{html.escape(agency)}</div>
{content}
</div>
<div class="bottom">版权所有：{html.escape(agency)}　技术支持：{html.escape(site_name)}信息中心</div>
</body>
</html>
"""
    # a Word document saved as a web page, uploaded as is
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head>
{head}<meta name="Generator" content="Microsoft Word 15">
<style><!-- p.MsoNormal {{margin:0cm;font-size:10.5pt;font-family:宋体;}} --></style>
</head>
<body lang="ZH-CN" style="tab-interval:21.0pt">
<div class="WordSection1">
<p class="MsoNormal" align="center" style="text-align:center"><b><span style="font-size:18pt">{html.escape(title)}</span></b></p>
{content}
<p class="MsoNormal" align="right" style="text-align:right">{html.escape(agency)}</p>
<p class="MsoNormal" align="right" style="text-align:right">{published[:4]}年{int(published[5:7])}月{int(published[8:10])}日</p>
</div>
</body>
</html>
"""


# --- one report ------------------------------------------------------------------------------------------


def _identity_breaks(cells: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The breaks the printed cells imply, by the project's own identity code."""
    as_cells = [Cell(c["table"], c["row"], c["col"], None if c["value"] is None else Decimal(str(c["value"])), c["raw"])
                for c in cells]
    out = []
    for f in identity_findings(identity_rows(as_cells)):
        if f.check in ("I1", "I2", "I3", "I4"):
            subject = {"I1": "col", "I2": "col", "I3": "row", "I4": "row"}[f.check]
            out.append({"check": f.check, subject: f.col if subject == "col" else f.row})
    return out


def _json_number(v: Decimal | None) -> int | float | str | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else str(v)


def _cells(fmt: str, act: dict[tuple[str, str], str], req: dict[tuple[str, str], str],
           rev: dict[tuple[str, str], str], style: _Style) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = []
    for (row, col), raw in act.items():
        cell = {"table": "active", "row": row, "col": col, "raw": raw, "value": _json_number(_value("active", col, raw))}
        if col == "fee_amount":
            cell.update(unit="万元", unit_source="printed" if style.fee_unit_printed else "template")
        elif col == "amount":
            cell.update(unit="元", unit_source="printed")
        cells.append(cell)
    for row in keys.request_rows(fmt):
        for col in keys.REQUEST_COLS:
            raw = req[(row, col)]
            cells.append({"table": "requests", "row": row, "col": col, "raw": raw,
                          "value": _json_number(_value("requests", col, raw))})
    for proc in keys.PROCEEDINGS:
        for o in keys.OUTCOMES:
            raw = rev[(proc, o)]
            cells.append({"table": "review_litigation", "row": proc, "col": o, "raw": raw,
                          "value": _json_number(_value("review_litigation", o, raw))})
    return cells


def _blank_some(rng: random.Random, req: dict[tuple[str, str], int], fmt: str) -> dict[tuple[str, str], str]:
    """Printed texts of the requests cells; now and then a zero left blank, as some bodies print them."""
    printed = {k: str(v) for k, v in req.items()}
    if rng.random() < 0.15:
        for _ in range(rng.randint(1, 4)):
            row = rng.choice(keys.request_rows(fmt)[2:-2])
            col = rng.choice(keys.APPLICANT_COLS[1:])
            if req[(row, col)] == 0:
                printed[(row, col)] = ""
    return printed


def _format_of(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "pre2019"


def make_report(index: int, seed: int, *, broken: bool | None = None, rendering: str | None = None,
                encoding: str | None = None, fmt: str | None = None, site: str | None = None,
                year: int | None = None, region: str | None = None, unique_body: bool = False) -> GeneratedReport:
    """Report number `index` of seed `seed`; what is not given is drawn (deterministically) from the pair.

    `year` and `region` put the report in one partition (its format the year's); `unique_body` names a
    township body of its own after `index`, so no two reports of a partition are the same body's.
    """
    rng = random.Random(zlib.crc32(f"ogi-generate|{seed}|{index}".encode()))
    fmt = fmt or (_format_of(year) if year else rng.choices(["2021", "2019", "pre2019"], weights=[6, 3, 1])[0])
    broken = (rng.random() < 0.2) if broken is None else broken
    if fmt == "pre2019":
        broken = False
    site = site or rng.choice(SITES)
    encoding = encoding or rng.choice(ENCODINGS)
    rendering = rendering or (HTML if rng.random() < 0.5 else rng.choice(RENDERINGS[1:]))
    places = [p for p in (*PLACES, *MORE_PLACES) if p[0] == region] if region else PLACES
    if not places:
        raise ValueError(f"no generated places in region {region}")
    region, place, host = rng.choice(places)
    body_name = rng.choice(BODIES)
    agency = place + (township_body(index) if unique_body else body_name)
    drawn = {"2021": rng.randint(2021, 2024), "2019": rng.randint(2019, 2020), "pre2019": rng.randint(2009, 2018)}[fmt]
    year = year or drawn
    title = f"{agency}{year}年政府信息公开工作年度报告"
    published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(10, 28):02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    path = f"/xxgk/ndbg/{year + 1}{rng.randint(1, 3):02d}/t{year + 1}0{rng.randint(1, 3)}{rng.randint(10, 28)}_{rng.randint(10 ** 5, 10 ** 6 - 1)}.html"
    url = f"http://{host}{path}"
    name = f"gen{seed}-{index:05d}"
    style = _Style(fullwidth=rng.random() < 0.7,
                   regulations_label="行政规范性文件" if (fmt == "2021") == (rng.random() < 0.8) else "规范性文件",
                   vertical_group=rng.random() < 0.3, split_requests=rng.random() < 0.2,
                   fee_unit_printed=rng.random() < 0.7,
                   new_received_label=rng.choice(["一、本年新收政府信息公开申请数量", "一、本年新收到政府信息公开申请数量"]),
                   table_style=rng.choice(["word", "plain"]))
    cells: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    if fmt == "pre2019":
        body, facts = _prose_body(year, agency, place, rng)
    else:
        req = _requests_numbers(rng, fmt)
        rev = _review_numbers(rng)
        if broken:
            _break(rng, req, rev, fmt)
        act = _active_numbers(rng, fmt)
        req_printed = _blank_some(rng, req, fmt) if not broken else {k: str(v) for k, v in req.items()}
        rev_printed = {k: str(v) for k, v in rev.items()}
        cells = _cells(fmt, act, req_printed, rev_printed, style)
        body = _tables_body(fmt, year, agency, act, req_printed, rev_printed, req_printed[("new_received", "total")],
                            style, rng)
    site_name = place + "人民政府"
    charset = "gbk" if encoding == "gbk" else "utf-8"
    page = _page(site, charset, title, agency, site_name, host, url, published, body, rng)
    labels: dict[str, Any] = {
        "rendering": rendering, "format": fmt, "year": year, "synthetic": True, "origin_url": url, "region": region,
        "agency": agency, "site": site, "encoding": encoding, "broken": broken,
        "description": f"generated by ogi/evaluate/generate.py (seed {seed}, report {index})",
        "cells": cells, "facts": facts, "identity_breaks": _identity_breaks(cells) if cells else [],
    }
    labels["printed_breaks"] = labels["identity_breaks"]
    if rendering == HTML:
        data = page.encode(charset)
        return GeneratedReport(name, "document.html", data, fmt, year, region, agency, url, site, encoding, rendering,
                               broken, labels)
    source = R.LabelledSource(name, page.encode("utf-8"), f"generated/{name}/document.html", labels)
    rendered = R.render(source, R.Rendering(rendering), seed)
    # the breaks the source prints, even where the rendering leaves them unverifiable (identity_breaks_unknown)
    out_labels = {**rendered.labels, "site": site, "encoding": encoding, "broken": broken,
                  "printed_breaks": labels["identity_breaks"]}
    data = rendered.data if encoding == "utf-8" else rendered.data.decode("utf-8").encode("gbk")
    return GeneratedReport(name, rendered.filename, data, fmt, year, region, agency, url, site, encoding, rendering,
                           broken, out_labels)


def generate(n: int, seed: int = 0, **fixed: Any) -> Iterator[GeneratedReport]:
    """`n` reports, deterministic in `seed` (any keyword of make_report fixes that choice for all)."""
    for index in range(n):
        yield make_report(index, seed, **fixed)
