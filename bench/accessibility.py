"""Accessibility and page weight, measured: python bench/accessibility.py [--pages-only].

Loads the demo data into a fresh SQLite file (instance/a11y.db), serves it on loopback and, in
Debian's Chromium:

- runs axe-core (WCAG 2.1 A and AA) on every page of every demo role, at desktop (1366 px) and
  phone (390 px) widths, and counts the violations (rules × elements);
- counts, at phone width, the tap targets under 44×44 CSS pixels and the pages that scroll
  sideways;
- loads the dashboard with an empty cache on a throttled connection (1.6 Mbps down, 750 kbps
  up, 150 ms round trip: Lighthouse's "slow 4G"), five times, and prints the median first
  contentful paint, the bytes transferred and the number of requests.

Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from page_audit import CHROMIUM, CHROMIUM_ARGS, audit, pages_by_role, served, sign_in  # noqa: E402

PASSWORD = "demo1234"
SLOW = {  # bytes per second and milliseconds, as Chromium's DevTools protocol takes them
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}


def demo_site():
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from app import create_app
    from app.core.timeutil import local_today
    from app.dev.demo import seed_demo
    from app.extensions import db

    path = REPO / "instance" / "a11y.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        seed_demo(db.session, local_today(), "pbkdf2:sha256:1000")
        db.session.commit()
        pages = pages_by_role(db.session)
        db.session.remove()
    return app, pages


def _count(seen: Counter, event: dict) -> None:
    seen.update({"bytes": event["encodedDataLength"], "requests": 1})


def first_load(browser, base: str, url: str, runs: int) -> dict:
    """Median first contentful paint, bytes and requests of one page, empty cache, slow line."""
    paints, sizes, requests = [], [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        sign_in(page, base, "vanphong", PASSWORD)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send("Network.emulateNetworkConditions", SLOW)
        received = Counter()
        cdp.on("Network.loadingFinished", lambda event, seen=received: _count(seen, event))
        page.goto(base + url, wait_until="load")
        page.wait_for_load_state("networkidle")
        paint = page.evaluate(
            "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"
        )
        paints.append(paint)
        sizes.append(received["bytes"])
        requests.append(received["requests"])
        context.close()
    return {
        "fcp_ms": statistics.median(paints),
        "fcp_all": [round(p) for p in paints],
        "kb": statistics.median(sizes) / 1024,
        "requests": statistics.median(requests),
    }


def repeat_load(browser, base: str, url: str) -> dict:
    """The same page again with a warm cache: what a second visit costs."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(base + url, wait_until="load")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    received = Counter()
    cdp.on("Network.loadingFinished", lambda event: _count(received, event))
    page.goto(base + url, wait_until="load")
    page.wait_for_load_state("networkidle")
    paint = page.evaluate(
        "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"
    )
    context.close()
    return {"fcp_ms": paint, "kb": received["bytes"] / 1024, "requests": received["requests"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="throttled loads (median)")
    parser.add_argument("--verbose", action="store_true", help="list every finding")
    parser.add_argument("--only", choices=["desktop", "phone", "load"], help="one part only")
    parser.add_argument("--role", action="append", help="only these roles (repeatable)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app, pages = demo_site()
    if args.role:
        pages = {role: urls for role, urls in pages.items() if role in args.role}
    with served(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        widths = {"desktop": (False,), "phone": (True,), "load": ()}.get(args.only, (False, True))
        for phone in widths:
            findings = audit(browser, base, pages, PASSWORD, phone=phone)
            label = "phone 360 px" if phone else "desktop 1366 px"
            rules = Counter()
            for f in findings:
                for v in f.violations:
                    rules[v["id"]] += len(v["nodes"])
            print(f"\n== {label}: {len(findings)} page views ==")
            print(f"axe violations (elements): {sum(rules.values())}  by rule: {dict(rules)}")
            cut = [(f.role, f.url, f.cut_off) for f in findings if f.cut_off]
            print(f"pages with controls beyond the screen's edge: {len(cut)}")
            for c in cut[:20]:
                print("   ", *c)
            if phone:
                small = sum(len(f.small_targets) for f in findings)
                wide = [(f.role, f.url, f.overflow) for f in findings if f.overflow]
                print(f"tap targets under 44 px: {small}")
                print(f"pages scrolling sideways: {len(wide)}")
                for w in wide:
                    print("   ", *w)
                boxes = [(f.role, f.url, f.wide) for f in findings if f.wide]
                print(f"pages with a box scrolling sideways: {len(boxes)}")
                for b in boxes:
                    print("   ", *b)
            if args.verbose:
                for f in findings:
                    for v in f.violations:
                        print(f"  [{f.role}] {f.url} {v['id']}: {v['nodes'][:3]}")
                    for t in f.small_targets[:200]:
                        print(f"  [{f.role}] {f.url} small: {t}")
        if args.only not in (None, "load"):
            return
        cold = first_load(browser, base, "/", args.runs)
        warm = repeat_load(browser, base, "/")
        browser.close()
    print("\n== dashboard, 1.6 Mbps / 150 ms, empty cache ==")
    print(
        f"first contentful paint median {cold['fcp_ms']:.0f} ms {cold['fcp_all']}; "
        f"{cold['kb']:.0f} KB in {cold['requests']:.0f} requests"
    )
    print(
        f"second visit: first contentful paint {warm['fcp_ms']:.0f} ms; "
        f"{warm['kb']:.0f} KB in {warm['requests']} requests"
    )


if __name__ == "__main__":
    main()
