"""Reading a package as a stream: the XML is fed to a hardened lxml parser (no DTD, no
entities, no network, no huge text) a chunk at a time, the elements kept as small ``Node``
trees and the attachments' base64 decoded a chunk at a time into temporary files. Nothing of
the package is held whole in memory, so a 50 MB package costs what its largest element does.

The package is read inside a wrapper element that binds the ``edXML`` prefix: the envelope
may come with its ``AttachmentEncoded`` beside it rather than inside it (two top-level
elements, as some connectors write), and a DOCTYPE (and with it every entity) is then not
even well-formed."""

from __future__ import annotations

import binascii
import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from app.edxml.bounds import (
    CHUNK,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_TEXT_CHARS,
    NS,
    SIGNATURE_NAMESPACES,
    Limits,
    Refused,
    mb,
)

WRAPPER = "edxml-package"
_DECLARATION = re.compile(rb"^\s*<\?xml\s[^>]*\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""")
# The fields of an ``Attachment`` that are not its content.
ATTACHMENT_FIELDS = frozenset(
    {"ContentId", "AttachmentName", "ContentType", "ContentTransferEncoded", "Description"}
)
_SPACE = bytes.maketrans(b"", b"")


@dataclass
class Node:
    local: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def find(self, *path: str) -> Node | None:
        """The first descendant along ``path`` (local names), children in any order."""
        node: Node | None = self
        for name in path:
            node = next((c for c in node.children if c.local == name), None)
            if node is None:
                return None
        return node

    def findall(self, name: str) -> list[Node]:
        return [c for c in self.children if c.local == name]

    def descendants(self, name: str) -> list[Node]:
        found = []
        for child in self.children:
            if child.local == name:
                found.append(child)
            found.extend(child.descendants(name))
        return found

    def value(self, *path: str) -> str:
        node = self.find(*path)
        return node.text if node is not None else ""


class Content:
    """An attachment's bytes: base64 decoded as it arrives into a temporary file, hashed,
    counted against the limit, its first bytes kept for sniffing."""

    def __init__(self, owner: str, limit: int) -> None:
        self.owner, self.limit = owner, limit
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.size = 0
        self.head = b""
        self._sha = hashlib.sha256()
        self._pending = b""

    def feed(self, text: str) -> None:
        try:
            raw = text.encode("ascii").translate(_SPACE, b" \t\r\n")
        except UnicodeEncodeError:
            raise self._bad() from None
        raw = self._pending + raw
        whole = len(raw) - len(raw) % 4
        self._pending = raw[whole:]
        if whole:
            self._write(raw[:whole])

    def _write(self, raw: bytes) -> None:
        try:
            data = binascii.a2b_base64(raw, strict_mode=True)
        except binascii.Error:
            raise self._bad() from None
        self.size += len(data)
        if self.size > self.limit:
            raise Refused(f"{self.owner}: tệp đính kèm lớn hơn {mb(self.limit)}.")
        if len(self.head) < 64:
            self.head += data[: 64 - len(self.head)]
        self._sha.update(data)
        self.file.write(data)

    def finish(self) -> None:
        if self._pending:
            raise self._bad()

    def _bad(self) -> Refused:
        return Refused(f"{self.owner}: nội dung không phải base64 hợp lệ.")

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        self.file.close()


class _Target:
    """The parser's target: builds the nodes, streams the attachments (see the module)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.stack: list[Node] = []
        self.root = Node(WRAPPER)
        self.contents: dict[int, Content] = {}  # id(Attachment node) -> its content
        self.count = 0
        self.signed = False
        self._skip = 0  # depth inside a signature
        self._attachments: list[Node] = []

    def start(self, tag: str, attrib, nsmap=None) -> None:
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if self._skip or (local == "Signature" and namespace in SIGNATURE_NAMESPACES):
            self.signed = True
            self._skip += 1
            return
        if not self.stack:
            self.stack.append(self.root)
            return
        if namespace not in (NS, ""):
            raise Refused(f"Phần tử <{local}> thuộc không gian tên lạ “{namespace}”.")
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise Refused(f"Gói tin có hơn {MAX_ELEMENTS} phần tử (tại <{local}>).")
        if len(self.stack) > MAX_DEPTH:
            raise Refused(f"Phần tử <{local}> lồng sâu quá {MAX_DEPTH} cấp.")
        node = Node(local, {k.rpartition("}")[2]: v for k, v in attrib.items()})
        self.stack[-1].children.append(node)
        self.stack.append(node)
        if local == "Attachment":
            self._attachments.append(node)
            if len(self._attachments) > self.limits.attachments:
                raise Refused(f"Gói tin có hơn {self.limits.attachments} <Attachment>.")

    def end(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
            return
        node = self.stack.pop()
        content = self.contents.get(id(node))
        if content is not None:
            content.finish()

    def data(self, text: str) -> None:
        if self._skip or not self.stack:
            return
        node = self.stack[-1]
        attachment = self._attachment_for(node)
        if attachment is not None:
            if text.strip() or id(attachment) in self.contents:
                self._content(attachment, node).feed(text)
            return
        node.parts.append(text)
        node.size += len(text)
        if node.size > MAX_TEXT_CHARS:
            raise Refused(f"Nội dung phần tử <{node.local}> dài quá {MAX_TEXT_CHARS} ký tự.")

    def _attachment_for(self, node: Node) -> Node | None:
        """The Attachment whose content ``node``'s text is, if it is."""
        if node.local == "Attachment":
            return node
        inside = len(self.stack) > 1 and self.stack[-2].local == "Attachment"
        if inside and node.local not in ATTACHMENT_FIELDS:
            return self.stack[-2]
        return None

    def _content(self, attachment: Node, holder: Node) -> Content:
        content = self.contents.get(id(attachment))
        if content is None:
            name = attachment.value("AttachmentName") or attachment.value("ContentId") or "?"
            content = Content(f"<Attachment> “{name}”", self.limits.attachment_bytes)
            self.contents[id(attachment)] = content
            self.contents[id(holder)] = content
        return content

    def comment(self, text: str) -> None:
        pass

    def pi(self, target: str, data: str | None = None) -> None:
        pass

    def close(self) -> Node:
        return self.root


@dataclass
class Parsed:
    root: Node
    contents: dict[int, Content]
    signed: bool
    size: int

    def close(self) -> None:
        for content in set(self.contents.values()):
            content.close()


def _opening(first: bytes) -> bytes:
    """The first chunk inside the wrapper: without BOM and XML declaration (UTF-8 only)."""
    first = first.removeprefix(b"\xef\xbb\xbf")
    declaration = _DECLARATION.match(first)
    if declaration:
        encoding = _ENCODING.search(declaration.group(0))
        if encoding and encoding.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
            raise Refused(
                f"Khai báo <?xml?> ghi bảng mã “{encoding.group(1).decode()}”: gói tin phải "
                "dùng UTF-8."
            )
        first = first[declaration.end() :]
    return f'<{WRAPPER} xmlns:edXML="{NS}">'.encode() + first


def parse_stream(source: BinaryIO, limits: Limits) -> Parsed:
    """Read ``source`` to the end within ``limits`` (``Refused`` otherwise)."""
    target = _Target(limits)
    parser = etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    size = 0
    try:
        chunk = source.read(CHUNK)
        if not chunk.strip():
            raise Refused("Gói tin rỗng.")
        chunk = _opening(chunk)
        while chunk:
            size += len(chunk)
            if size > limits.package_bytes + 100:
                raise Refused(f"Gói tin lớn hơn {mb(limits.package_bytes)}.")
            parser.feed(chunk)
            chunk = source.read(CHUNK)
        parser.feed(f"</{WRAPPER}>".encode())
        root = parser.close()
    except etree.XMLSyntaxError as error:
        _close(target)
        message = str(error.msg or error).replace(WRAPPER, "gói tin")
        raise Refused(f"Gói tin không phải XML hợp lệ: {message}") from None
    except BaseException:
        _close(target)
        raise
    return Parsed(root, target.contents, target.signed, size)


def _close(target: _Target) -> None:
    for content in set(target.contents.values()):
        content.close()
