"""Offline spider test helpers: responses from saved pages, spiders made through a crawler."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEVSET = FIXTURES / "devset"
BASE = "http://funders.test"


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def response(url: str, body: bytes, cls: type[TextResponse] = HtmlResponse, meta: dict | None = None,
             **kwargs: Any) -> TextResponse:
    request = Request(url, meta=meta or {}, cb_kwargs=kwargs.pop("cb_kwargs", None))
    return cls(url=url, body=body, request=request, **kwargs)


def devset_response(path: str, meta: dict | None = None) -> TextResponse:
    """A saved devset page as served at BASE + path."""
    cls = XmlResponse if path.endswith(".xml") else (TextResponse if path.endswith(".json") else HtmlResponse)
    return response(BASE + path, (DEVSET / path.lstrip("/")).read_bytes(), cls=cls, meta=meta)


def make_spider(cls: type[scrapy.Spider], start_url: str, **kwargs: Any) -> scrapy.Spider:
    crawler = get_crawler(cls)
    return cls.from_crawler(crawler, source_name=kwargs.pop("source_name", "test source"),
                            start_url=start_url, **kwargs)


def run(callback, resp: Response, **kwargs: Any) -> tuple[list, list[Request]]:  # noqa: ANN001
    """Call a spider callback (plain or async generator); split what it yields into items and requests."""
    output = callback(resp, **kwargs) or []
    if hasattr(output, "__aiter__"):
        async def collect() -> list:
            return [out async for out in output]

        output = asyncio.run(collect())
    items, requests = [], []
    for out in output:
        (requests if isinstance(out, Request) else items).append(out)
    return items, requests


def stat(spider: scrapy.Spider, name: str) -> int:
    return spider.crawler.stats.get_value(name, 0)
