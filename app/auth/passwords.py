"""How strong a new password is, and why not, in the user's language.

Every way a password is set checks it here (the user's own change, a reset, an invitation
accepted, an administrator's form, ``flask users``): at least 8 characters, and zxcvbn's score
(an estimate of how many guesses a cracker needs) at least 3 of 4. zxcvbn knows English words,
names and common passwords; it is given what it cannot know: the user's own names (username,
full name, e-mail), the office's names, and words and fragments Vietnamese passwords are often
made of ("matkhau", "anhyeuem", "langson" …). Passwords are looked at without diacritics:
"mật khẩu" is as easy to guess as "matkhau". The reason a password is refused is said in a
Vietnamese sentence (English through the translations), never zxcvbn's English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.core.settings import load_settings

MIN_LENGTH = 8
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable: moderate protection from an offline attack"

# Words and fragments Vietnamese passwords are often made of, folded (no diacritics, lower
# case, no spaces). The most common first: zxcvbn counts a word earlier in its list as fewer
# guesses.
VIETNAMESE_WORDS = (
    "matkhau", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "anhyeu", "emyeu", "iuem", "iuanh",
    "thuongem", "thuonganh", "nhoem", "nhoanh", "tinhyeu", "vietnam", "hanoi", "saigon",
    "hochiminh", "langson", "danang", "haiphong", "cantho", "caobang", "bacgiang", "thainguyen",
    "quangninh", "doimatkhau", "matkhaumoi", "cuatoi", "cuaem",
    "cuaanh", "cuaminh", "xinchao", "chaoban", "quantri", "ubnd", "hdnd",
    "uyban", "vanphong", "nhandan", "congan", "quandoi", "bachkhoa", "hoasen", "hoamai",
    "hoadao", "muaxuan", "hanhphuc", "binhyen", "giadinh", "sinhnhat", "conmeo", "concho",
    "meomeo", "baby", "vanban", "chidao", "nhiemvu", "coquan", "thanhpho", "tinh", "huyen",
    "nguyen", "tran", "pham", "hoang", "huynh", "phan", "dang", "bui", "duong", "trinh",
    "123456", "12345678", "123456789", "1234567890", "123123", "111111", "888888", "666666",
    "686868", "868686", "999999", "147258369", "abc123", "qwerty", "12345",
)  # fmt: skip

# zxcvbn's warnings and suggestions, said in Vietnamese (English through the translations).
_WARNINGS = {
    "Straight rows of keys are easy to guess.": N_("có một hàng phím liền nhau"),
    "Short keyboard patterns are easy to guess.": N_("có một kiểu gõ phím ngắn, dễ đoán"),
    'Repeats like "aaa" are easy to guess.': N_("có ký tự lặp lại (như “aaa”)"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': N_(
        "có một đoạn lặp lại (như “abcabc”)"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': N_("có dãy liên tiếp (như “abc”, “6543”)"),
    "Recent years are easy to guess.": N_("có năm gần đây"),
    "Dates are often easy to guess.": N_("có ngày tháng"),
    "This is a top-10 common password.": N_("là một trong 10 mật khẩu phổ biến nhất"),
    "This is a top-100 common password.": N_("là một trong 100 mật khẩu phổ biến nhất"),
    "This is a very common password.": N_("là mật khẩu rất phổ biến"),
    "This is similar to a commonly used password.": N_("gần giống một mật khẩu phổ biến"),
    "A word by itself is easy to guess.": N_("chỉ là một từ đơn"),
    "Names and surnames by themselves are easy to guess.": N_("chỉ là một tên người"),
    "Common names and surnames are easy to guess.": N_("có tên người phổ biến"),
}


def fold(text: str) -> str:
    """``"Mật khẩu"`` → ``"Mat khau"``: diacritics dropped, case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _words(*texts: str) -> list[str]:
    """Each text folded and lower-cased, whole (spaces dropped) and word by word."""
    out = []
    for text in texts:
        folded = fold(text or "").lower()
        parts = [p for p in re.split(r"[^0-9a-z]+", folded) if len(p) >= 2]
        out += ["".join(parts), *parts]
    return [word for word in dict.fromkeys(out) if len(word) >= 2]


def personal_words(username: str, full_name: str = "", email: str = "") -> list[str]:
    """What people who know the user would try first."""
    return _words(username, full_name, email.partition("@")[0])


def office_words(session: Session) -> list[str]:
    settings = load_settings(session)
    return _words(settings.governing_body, settings.office_name)


def weakness(password: str, personal: Iterable[str] = (), office: Iterable[str] = ()) -> str | None:
    """Why ``password`` is too easy to guess, as a sentence for the user; None when it is not."""
    if len(password) < MIN_LENGTH:
        return _("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_LENGTH)
    from zxcvbn import zxcvbn  # its dictionaries take 13 MB: loaded by who sets a password

    personal, office = list(personal), list(office)
    inputs = personal + office + list(VIETNAMESE_WORDS)
    # As typed (diacritics dropped), and squashed: "Nguyễn Văn An" is "nguyenvanan" to a
    # cracker who knows the name; the weaker of the two counts.
    squashed = re.sub(r"[^0-9a-z]+", "", fold(password).lower())
    result = min(
        (zxcvbn(text, user_inputs=inputs) for text in (fold(password), squashed) if text),
        key=lambda found: found["score"],
    )
    if result["score"] >= MIN_SCORE:
        return None
    found = [
        match["matched_word"]
        for match in result["sequence"]
        if match.get("dictionary_name") == "user_inputs"
    ]
    mine = next((word for word in found if word in personal), None)
    ours = next((word for word in found if word in office), None)
    common = next((word for word in found if word in VIETNAMESE_WORDS), None)
    if mine:
        why = _("có tên đăng nhập, họ tên hoặc e-mail của bạn (“%(word)s”)", word=mine)
    elif ours:
        why = _("có tên cơ quan (“%(word)s”)", word=ours)
    elif common:
        why = _("có từ hay gặp trong mật khẩu của người Việt (“%(word)s”)", word=common)
    elif result["feedback"]["warning"] in _WARNINGS:
        why = _(_WARNINGS[result["feedback"]["warning"]])
    else:
        why = _("quá ngắn hoặc quá đơn giản")
    return _(
        "Mật khẩu này dễ bị đoán: %(why)s. Hãy dùng một câu dài hơn gồm vài từ ít gặp, không "
        "liên quan đến bạn hay cơ quan (có thể có dấu cách).",
        why=why,
    )


def password_problem(
    session: Session, password: str, username: str, full_name: str = "", email: str = ""
) -> str | None:
    """``weakness`` for a password of this user, with the office's names."""
    return weakness(password, personal_words(username, full_name, email), office_words(session))
