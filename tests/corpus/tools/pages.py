"""Prose and page chrome around the tables: what a government report page looks like.

The prose is generic report language with the body's name and totals filled in; site chrome
(navigation, meta tags, footers with 网站标识码 and 公网安备) imitates TRS / Hanweb CMS pages.
Hosts, index numbers and phone numbers are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

from render import esc


@dataclass
class Site:
    host: str
    name: str  # 网站名称, e.g. 无锡市梁溪区人民政府
    site_code: str  # 网站标识码 (its first six digits name the division)
    police: str  # 公网安备 number
    icp: str
    column: str = "政府信息公开年报"


def intro(fmt: str, year: int, agency: str, site: Site) -> str:
    doc = "国办公开办函〔2021〕30号" if fmt == "2021" else "国办公开办函〔2019〕60号"
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发"
        f"〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{doc}）要求编制。全文包括总体情况、主动公开政府信息情况、"
        f"收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在“{site.name}”门户网站"
        f"（http://{site.host}）查阅或下载。如对本报告有疑问，请与{agency}联系。"
    )


def overall(year: int, short: str, n_active: int, n_new: int, n_done: int) -> list[str]:
    return [
        "一、总体情况",
        f"{year}年，{short}深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，严格执行《条例》，坚持以公开为常态、"
        f"不公开为例外，持续推进决策、执行、管理、服务、结果公开，政务公开工作取得新成效。",
        f"（一）主动公开。全年通过门户网站政府信息公开专栏主动公开政府信息{n_active}条，其中政策文件及解读材料"
        f"{max(n_active // 9, 1)}条；围绕优化营商环境、社会保障、教育医疗等群众关注事项召开新闻发布会{max(n_active // 400, 2)}场。",
        f"（二）依申请公开。严格落实依申请公开受理、登记、审核、答复等工作流程，全年新收政府信息公开申请{n_new}件，"
        f"办结{n_done}件，均在法定期限内答复。",
        "（三）政府信息管理。严格落实公开前保密审查机制，动态调整主动公开基本目录，对行政规范性文件开展清理，"
        "及时公布清理结果。",
        "（四）平台建设。优化政府网站政府信息公开专栏栏目设置，加强政务新媒体内容审核和日常监管，确保发布信息准确、及时。",
        "（五）监督保障。将政务公开工作纳入年度绩效考核，组织开展业务培训，提升工作人员业务能力。",
    ]


def closing(short: str, fmt: str) -> list[str]:
    fee = ("（一）收取信息处理费情况。本年度未收取政府信息公开信息处理费。" if fmt == "2021"
           else "（一）本年度未收取政府信息公开相关费用。")
    return [
        "五、存在的主要问题及改进情况",
        f"{short}政务公开工作取得了一定成效，但仍存在政策解读形式不够丰富、基层公开标准化规范化水平有待提升等问题。"
        "下一步，将进一步完善公开目录，丰富解读形式，加强业务培训，不断提升政务公开工作质量。",
        "六、其他需要报告的事项",
        fee,
        "（二）落实年度政务公开工作要点情况。按照年度政务公开工作要点要求，逐项分解任务，明确责任单位，各项任务均已完成。",
    ]


def meta_tags(items: list[tuple[str, str]]) -> str:
    return "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in items)


def para(text: str) -> str:
    if len(text) < 40 and (text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")):
        return f'<p style="text-indent:2em"><strong>{esc(text)}</strong></p>'
    return f'<p style="text-indent:2em">{esc(text)}</p>'


def gov_page(*, title: str, site: Site, agency: str, pubdate: str, index_no: str, body: str,
             charset: str = "utf-8", layout: bool = False) -> str:
    """A CMS article page; `layout` wraps everything in nested layout tables (older sites)."""
    head = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{esc(title)}_{esc(site.column)}_{esc(site.name)}</title>
{meta_tags([("SiteName", site.name), ("SiteDomain", site.host), ("SiteIDCode", site.site_code),
            ("ColumnName", site.column), ("ArticleTitle", title), ("PubDate", pubdate),
            ("ContentSource", agency), ("Keywords", "政府信息公开,年度报告")])}
<link rel="stylesheet" href="/images/css/xxgk.css">
<script src="/images/js/jquery.min.js"></script>
<script>function doZoom(s){{document.getElementById('zoom').style.fontSize=s+'px';}}</script>
</head>
<body>"""
    nav = "".join(f'<li><a href="/col/col{k}/">{n}</a></li>'
                  for k, n in enumerate(["首页", "政务公开", "政务服务", "互动交流", "数据开放", "走进" + site.name[:3]]))
    top = f"""<div class="top"><div class="w1200"><span>欢迎访问{esc(site.name)}门户网站</span>
<a href="/wza/">无障碍</a> | <a href="/m/">手机版</a> | <a href="/rss/">RSS</a></div></div>
<div class="header"><a class="logo" href="/"><img src="/images/logo.png" alt="{esc(site.name)}"></a>
<form action="/search/"><input name="q" value="请输入关键字"><input type="submit" value="搜索"></form></div>
<ul class="nav">{nav}</ul>"""
    crumb = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; '
             f'<a href="/zwgk/nb/">{esc(site.column)}</a></div>')
    meta_table = f"""<table class="xxgk-info" width="100%">
<tr><th>索引号：</th><td>{esc(index_no)}</td><th>发布机构：</th><td>{esc(agency)}</td></tr>
<tr><th>主题分类：</th><td>{esc(site.column)}</td><th>发布日期：</th><td>{esc(pubdate[:10])}</td></tr>
<tr><th>名　　称：</th><td colspan="3">{esc(title)}</td></tr>
</table>"""
    info = (f'<div class="info">发布时间：{esc(pubdate)}　　来源：{esc(agency)}　　浏览次数：<span id="hits">1862</span>'
            f'　　字体：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            f'<a href="javascript:doZoom(14)">小</a>]</div>')
    share = ('<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> '
             '<a href="javascript:;">QQ空间</a></div><div class="tools">[<a href="javascript:window.print()">打印本页</a>] '
             '[<a href="javascript:window.close()">关闭窗口</a>]</div>')
    footer = f"""<div class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/wzsm/">网站声明</a></p>
<p>主办：{esc(site.name)}办公室　承办：{esc(site.name)}大数据中心</p>
<p>网站标识码：{site.site_code}　{esc(site.icp)}　<a href="http://www.beian.gov.cn/">{esc(site.police)}</a></p>
</div>"""
    article = f"""<div id="zoom" class="article-content">
<div class="TRS_Editor">
{body}
</div>
</div>"""
    if layout:
        main = f"""<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bg">
<tr><td>{crumb}</td></tr>
<tr><td>
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td>{meta_table}</td></tr>
<tr><td align="center" class="title"><h1>{esc(title)}</h1></td></tr>
<tr><td align="center">{info}</td></tr>
<tr><td class="content">
{article}
</td></tr>
<tr><td>{share}</td></tr>
</table>
</td></tr>
</table>"""
    else:
        main = f"""<div class="w1200">{crumb}
{meta_table}
<div class="article"><h1 class="title">{esc(title)}</h1>
{info}
{article}
{share}
</div></div>"""
    return f"{head}\n{top}\n{main}\n{footer}\n</body>\n</html>\n"


def crawler_head(title: str, pubdate: str, agency: str) -> list[str]:
    return [title, "", f"发布时间：{pubdate}　　来源：{agency}　　浏览次数：", "字体：【大 中 小】　　打印本页　　关闭窗口", ""]


def crawler_tail(site: Site) -> list[str]:
    return ["", "【打印本页】【关闭窗口】", "", f"主办：{site.name}办公室", f"网站标识码：{site.site_code}　{site.icp}",
            site.police]
