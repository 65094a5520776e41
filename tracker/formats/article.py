"""An article read from a file, stdin or pasted text: its text and what is known about it.

HTML (a saved page: ``.html``/``.htm``, or text that starts like HTML) goes through
trafilatura (text, title, date, site name, language, canonical URL); plain UTF-8 text is
taken as it is: the first non-empty line is the title, and a date, an outlet and a URL
written near the top are used when clear. Nothing is ever fetched from the network.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from tracker.domain.quote_lang import detect_language, text_date
from tracker.domain.quotes import Article
from tracker.errors import TrackerError

MAX_BYTES = 5 * 1024 * 1024  # 5 MiB: a long article with its page's markup is well under 1 MiB
MIN_PAGE_WORDS = 8  # what trafilatura finds on a page with no article: a menu's few words
TITLE_LIMIT = 200  # a first line longer than this is a paragraph, not a title


_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<!--|<article|<div|<p[\s>])", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:1000]))


def read_article(file: str) -> Article:
    """The article in ``file`` (a path, or "-" for stdin). Bad input (missing, empty, binary,
    huge, not UTF-8, HTML with no text) raises TrackerError with one line."""
    name = "standard input" if file == "-" else file
    if file == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(file)
        if not path.exists():
            raise TrackerError(f"{file}: no such file")
        if path.is_dir():
            raise TrackerError(f"{file} is a directory, not an article")
        try:
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as e:
            raise TrackerError(f"{file}: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise TrackerError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MiB: too big for an article")
    html = file.lower().endswith((".html", ".htm", ".xhtml"))
    text = _decode(data, name, html)
    if not text.strip():
        raise TrackerError(f"{name} is empty: there is no article to read")
    return article_from_text(text, html=html, name=name)


def _decode(data: bytes, name: str, html: bool) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TrackerError(f"{name} is not readable text (a broken UTF-16 file)") from None
    if b"\x00" in data[:8192]:
        raise TrackerError(f"{name} is a binary file, not an article (text or HTML)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if (html or looks_like_html(data[:1000].decode("latin-1"))) and declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    raise TrackerError(f"{name} is not UTF-8 text and declares no encoding that can read it; save it as UTF-8")


def article_from_text(text: str, *, html: bool = False, name: str = "the text") -> Article:
    """Pasted text (or HTML) -> Article. TrackerError when there is no text in it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise TrackerError(f"{name} holds NUL characters: it is not an article")
    if not text.strip():
        raise TrackerError(f"{name} is empty: there is no article to read")
    if html or looks_like_html(text):
        return _from_html(text, name)
    return _from_plain(text)


# ---------------------------------------------------------------------- HTML


def _from_html(html: str, name: str) -> Article:
    import trafilatura  # only when a page is read: it takes a while to import

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
            favor_precision=True, deduplicate=False,
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - a page lxml cannot parse at all
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_PAGE_WORDS:  # a menu or a cookie banner is not an article
        raise TrackerError(f"{name} is an HTML page with no article text in it")
    lang_attr = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2})", html[:5000], re.IGNORECASE)
    language = (getattr(doc, "language", None) or (lang_attr.group(1) if lang_attr else None) or "")[:2].lower()
    published = getattr(doc, "date", None) or None
    if published and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", published):
        published = None
    url = getattr(doc, "url", None) or None
    if url and not url.lower().startswith(("http://", "https://")):
        url = None
    return Article(
        text=text,
        title=_one_line(getattr(doc, "title", None)),
        url=url,
        outlet=_one_line(getattr(doc, "sitename", None)),
        published=published,
        language=language or detect_language(text),
    )


def _one_line(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


# ---------------------------------------------------------------------- plain text

_URL = re.compile(r"https?://[^\s<>\"«»“”]+[^\s<>\"«»“”.,;:!?)\]]")
_LABEL_DATE = re.compile(r"^\s*(?:date|published|publié le|publié|veröffentlicht(?: am)?|datum)\s*:?\s*(?P<date>\d{4}(?:-\d\d(?:-\d\d)?)?)\b", re.IGNORECASE)
_OUTLET = re.compile(r"^\s*(?:source|outlet|média|media|quelle)\s*:\s*(?P<outlet>[^\n]{2,80}?)\s*$", re.IGNORECASE | re.MULTILINE)
HEAD = 600  # the header zone where a date, outlet or URL is "clear"


def _from_plain(text: str) -> Article:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    first = lines[0]
    published = None
    labelled = _LABEL_DATE.match(first)
    if labelled:  # "date 2024-02 …": a date label, as the seed's first line has
        published = labelled.group("date")
        first = first[labelled.end():].strip() or (lines[1] if len(lines) > 1 else "")
    title = first if len(first) <= TITLE_LIMIT else _shorten(first)
    head = text[:HEAD]
    if published is None:
        for line in lines[1:6]:
            m = _LABEL_DATE.match(line)
            if m:
                published = m.group("date")
                break
        else:
            published = text_date("\n".join(lines[1:6])) if len(lines) > 1 else None
    url_match = _URL.search(head) or _URL.search(text[-HEAD:])
    url = url_match.group() if url_match else None
    outlet_match = _OUTLET.search(head) or _OUTLET.search(text[-HEAD:])
    outlet = outlet_match.group("outlet") if outlet_match else None
    if outlet is None and url:
        host = urlsplit(url).hostname or ""
        outlet = host.removeprefix("www.") or None
    return Article(text=text, title=title, url=url, outlet=outlet, published=published, language=detect_language(text))


def _shorten(line: str, limit: int = 100) -> str:
    """The first sentence of a long first line, cut at a word within ``limit`` characters."""
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"
