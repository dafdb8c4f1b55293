"""The product's own documentation stands on its own, and its worked example is true."""

import datetime as dt
import re
from pathlib import Path

from app.core.deadlines import WorkCalendar

REPO = Path(__file__).resolve().parent.parent


def test_readme_links_only_to_what_a_clone_has():
    readme = (REPO / "README.md").read_text()
    assert "../shared" not in readme
    for target in re.findall(r"\]\(([^)#:]+)\)", readme):
        assert (REPO / target).exists(), target
    assert "docs/domain.md" in readme


def test_domain_page_states_the_rules_and_its_example_holds():
    text = (REPO / "docs/domain.md").read_text()
    for words in ("chậm tham mưu giải quyết", "chưa tham mưu giải quyết", "Art. 147", "Art. 148"):
        assert words in text
    example = re.search(r"issued on \w+ (\d\d/\d\d/\d{4}) with \"(\d+) ngày làm việc\"", text)
    result = re.search(r"ends on \w+ (\d\d/\d\d/\d{4})", text)
    issued = dt.datetime.strptime(example.group(1), "%d/%m/%Y").date()
    expected = dt.datetime.strptime(result.group(1), "%d/%m/%Y").date()
    assert WorkCalendar().add_working_days(issued, int(example.group(2))) == expected


def test_every_retry_schedule_the_readme_states_is_the_one_the_code_keeps():
    """The README said "1, 2, 4 and 8 minutes" in one place and the code's schedule in
    another: every place that names the mail's retry minutes names the code's."""
    from app.reminders.delivery import RETRY_DELAYS

    readme = " ".join((REPO / "README.md").read_text().split())
    stated = re.findall(r"(?:retried|tried again) after ((?:\d+, )*\d+ and \d+) minutes", readme)
    expected = [int(delay.total_seconds() // 60) for delay in RETRY_DELAYS]
    assert len(stated) >= 2
    for minutes in stated:
        assert [int(n) for n in re.findall(r"\d+", minutes)] == expected, minutes


def test_every_module_path_the_documentation_names_exists():
    """A path to a module in the README or docs/ that a restructuring left behind misleads the
    next reader: every `app/….py` named exists."""
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for path in set(re.findall(r"app/[A-Za-z_/]+\.py", page.read_text())):
            assert (REPO / path).exists(), f"{page.name}: {path}"
