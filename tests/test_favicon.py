"""Every page names its icon, and /favicon.ico (which browsers ask for anyway) answers it:
no 404 for each page opened."""

import re

from conftest import login


def test_favicon_ico_answers_without_signing_in(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
        assert "max-age" in response.headers["Cache-Control"]


def test_every_page_links_icons_that_exist(client, world):
    for signed_in in (False, True):
        if signed_in:
            login(client, world.office)
        html = client.get("/" if signed_in else "/dang-nhap").get_data(as_text=True)
        links = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert len(links) == 2, html[:500]
        for href in links:
            with client.get(href) as icon:
                assert icon.status_code == 200, href
                assert icon.mimetype in ("image/vnd.microsoft.icon", "image/svg+xml")
