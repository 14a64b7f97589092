"""Cleanup of a read document: chrome lines, injected spam, duplicated blocks.

Every change is recorded as a finding with what was removed and why; nothing a table or a prose
figure could come from is removed silently.
"""

from __future__ import annotations

import re
from importlib.resources import files

from ogi.model import Block, Document, Finding, Table
from ogi.read.html import chrome_facts
from ogi.text.normalize import squash

# Lines of site chrome that survive main-content extraction, or come with crawler text.
_CHROME_LINE = re.compile(
    r"^(发布时间|发布日期|信息来源|来源|浏览次数|访问量|点击数|字体|字号|分享到|打印本页|打印|关闭窗口|关闭|"
    r"【?\s*字体\s*[:：]?\s*[大中小]|网站标识码|主办单位|承办单位|技术支持|联系我们|网站地图|"
    r"[\u4e00-\u9fa5]{1,2}ICP备|[\u4e00-\u9fa5]公网安备|扫一扫|当前位置|您现在的位置|【\s*[大中小]\s*】|\[\s*[大中小]\s*\])"
)
_CHROME_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
# Injected SEO spam on hacked government pages and their mirrors.
_SPAM = re.compile(
    r"(pg电子|PG电子|电子模拟器|模拟器试玩|试玩在线|娱乐城|娱乐官网|真人娱乐|真人视讯|博彩|赌场|赌博网|时时彩|六合彩|百家乐|"
    r"老虎机|棋牌游戏|捕鱼游戏|体育投注|在线投注|开户送|威尼斯人|葡京|bet365|AG真人|电子游艺|"
    r"一本道|无码|国产精品|人妻|porn|成人视频|色情视频|亚洲精品|精品视频|在线观看视频)",
    re.IGNORECASE,
)
_ESSAY_BOILERPLATE = re.compile(r"(来源于网友上传|不代表本站观点|原创文章可咨询|欢迎参考|范文|写作|本站|客服老师|导语[:：])")
_MIN_DUP_CHARS = 15
# Spam mirrors annotate characters with pinyin to dodge filters: 政(zheng)府(fu).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}\s*[)）]")


def _traditional_only() -> frozenset[str]:
    """Characters that exist only in traditional script (ogi/data/traditional_only.txt, from OpenCC's
    tables: simplified to another character in every reading, never a simplified character); a
    simplified-script government page has none."""
    text = (files("ogi") / "data" / "traditional_only.txt").read_text(encoding="utf-8")
    return frozenset("".join(line.strip() for line in text.splitlines() if not line.startswith("#")))


_TRADITIONAL = _traditional_only()


def _spam_span(line: str) -> tuple[int, int] | None:
    """Where injected spam sits in a line: a short run of spam words, usually glued to the end."""
    m = _SPAM.search(line)
    if not m:
        return None
    # Spam glued after a sentence: cut from the last sentence end before it.
    cut = max(line.rfind(p, 0, m.start()) for p in "。；;!！?？")
    start = cut + 1 if cut >= 0 else 0
    if len(line) - start > 80:  # a real sentence that merely mentions a word: leave it
        return None
    return start, len(line)


def remove_spam(doc: Document) -> None:
    kept: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            kept.append(block)
            continue
        span = _spam_span(block)
        if span is None:
            kept.append(block)
            continue
        removed = block[span[0]:span[1]]
        doc.findings.append(Finding("spam_removed", "warn", f"removed injected spam text ({len(removed)} characters)",
                                    stage="cleanup", evidence=removed[:200]))
        rest = block[:span[0]].rstrip()
        if rest:
            kept.append(rest)
    doc.blocks = kept


def _block_key(block: Block) -> str:
    if isinstance(block, Table):
        return "T:" + "\x1f".join("\x1e".join(r) for r in block.rows)
    return "L:" + squash(block)


def remove_duplicates(doc: Document) -> None:
    """Drop a repeated copy of the body (CMS double-render) or of a table; short lines repeat legitimately."""
    seen: set[str] = set()
    keep = [True] * len(doc.blocks)
    for i, block in enumerate(doc.blocks):
        key = _block_key(block)
        # Table rows rendered as text repeat legitimately (the same header in every section).
        long_enough = isinstance(block, Table) or (len(key) - 2 >= _MIN_DUP_CHARS and "|" not in block)
        if long_enough and key in seen:
            keep[i] = False
        seen.add(key)
    # A short line sandwiched between dropped duplicates belongs to the duplicated run.
    for i in range(1, len(keep) - 1):
        if keep[i] and not keep[i - 1] and not keep[i + 1]:
            keep[i] = False
    dropped = [b for b, k in zip(doc.blocks, keep, strict=True) if not k]
    if dropped:
        chars = sum(len(b) if isinstance(b, str) else 0 for b in dropped)
        doc.findings.append(Finding(
            "duplicate_block_removed", "warn" if len(dropped) >= 3 else "info",
            f"removed {len(dropped)} duplicated block(s) ({chars} characters): the content is printed twice",
            stage="cleanup", evidence=next((b for b in dropped if isinstance(b, str)), "")[:200],
        ))
        doc.blocks = [b for b, k in zip(doc.blocks, keep, strict=True) if k]


def remove_chrome_lines(doc: Document) -> None:
    """Drop chrome lines (发布时间, 分享到, 公网安备 …) after keeping what they state in meta."""
    lines = [b for b in doc.blocks if isinstance(b, str)]
    for key, value in chrome_facts(lines).items():
        doc.meta.setdefault(key, value)
    kept: list[Block] = []
    removed: list[str] = []
    after_label = False
    for block in doc.blocks:
        if isinstance(block, str):
            text = block.strip()
            is_chrome = bool(_CHROME_LINE.match(text)) and len(text) < 60
            if is_chrome or (after_label and (_CHROME_VALUE.match(text) or len(text) <= 12)):
                removed.append(text)
                after_label = is_chrome and text.rstrip().endswith((":", "："))
                continue
        after_label = False
        kept.append(block)
    if removed:
        doc.findings.append(Finding("chrome_removed", "info", f"removed {len(removed)} line(s) of page chrome",
                                    stage="cleanup", evidence=" / ".join(removed)[:300]))
    doc.blocks = kept


def essay_site_marks(doc: Document) -> list[str]:
    """Lines that essay/范文 sites add around copied reports: evidence that a copy is not the original."""
    return [b for b in doc.blocks if isinstance(b, str) and _ESSAY_BOILERPLATE.search(b) and len(b) < 200]


def remove_pinyin(doc: Document) -> None:
    """Drop pinyin glosses injected after characters; the characters themselves are the text."""
    count = 0
    sample = ""
    kept: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, str) and _PINYIN.search(block):
            new, n = _PINYIN.subn("", block)
            count += n
            sample = sample or block[:120]
            block = new
        kept.append(block)
    if count:
        doc.blocks = kept
        doc.findings.append(Finding("pinyin_removed", "warn", f"removed {count} pinyin glosses like 政(zheng)府(fu), "
                                    "a mark of spam mirrors", stage="cleanup", evidence=sample))


def traditional_share(doc: Document) -> float:
    text = "".join(b for b in doc.blocks if isinstance(b, str))
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return sum(1 for ch in text if ch in _TRADITIONAL) / cjk if cjk else 0.0


def clean(doc: Document) -> Document:
    remove_chrome_lines(doc)
    remove_pinyin(doc)
    remove_spam(doc)
    remove_duplicates(doc)
    share = traditional_share(doc)
    if share > 0.02:
        doc.meta["traditional_script"] = f"{share:.1%}"
        doc.findings.append(Finding("traditional_script", "warn",
                                    f"{share:.1%} of the characters are traditional-only: mainland government pages "
                                    "print simplified script, mirrors often convert it", stage="cleanup"))
    marks = essay_site_marks(doc)
    if marks:
        doc.meta["essay_site_marks"] = " / ".join(marks)[:300]
        doc.blocks = [b for b in doc.blocks if not (isinstance(b, str) and b in marks)]
        doc.findings.append(Finding("boilerplate_removed", "info", f"removed {len(marks)} line(s) of essay-site boilerplate",
                                    stage="cleanup", evidence=doc.meta["essay_site_marks"]))
    return doc
