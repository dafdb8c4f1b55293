"""What the rule that leaves out an unfinished import's rows costs the queries people wait for:
python bench/unfinished_rule.py [--url sqlite:///instance/bench.db] [--repeat 9].

Runs on a database made by ``flask bench generate`` (``bench/run.py --generate``), in this
process: the monthly section's counts (two years back), the 12-day trend, a year's statistics
and the overdue list of the busiest unit (count and first page of 50), each timed with the
rule (``app.models.unfinished``) and without it, alternately; prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"sqlite:///{REPO / 'instance' / 'bench.db'}")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--once",
        nargs=3,
        metavar=("MEASURE", "on|off", "TIMES"),
        help="run one measure TIMES times, nothing printed (for valgrind --tool=callgrind)",
    )
    args = parser.parse_args()

    from sqlalchemy import func, select

    from app import create_app
    from app.core.timeutil import local_today
    from app.extensions import db
    from app.models import SEES_UNFINISHED, Task, User
    from app.models.documents import TaskState
    from app.reports.statistics import build_statistics, build_trend
    from app.reports.summary import build_summary
    from app.tasks.queries import TaskFilter, filtered_query

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench"})
    today = local_today()
    with app.app_context():
        session = db.session
        office = session.scalar(select(User).where(User.username == "bench.office"))
        busiest = session.scalar(
            select(Task.lead_department_id)
            .where(Task.state.not_in((TaskState.DONE, TaskState.CANCELLED)))
            .group_by(Task.lead_department_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        year = today.year - 1

        def overdue() -> None:
            query = filtered_query(
                office, TaskFilter(department=busiest, category="late", sort="days_late"), today
            )
            session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
            session.scalars(query.limit(50)).all()

        measures = {
            "summary_2y": lambda: build_summary(session, today - dt.timedelta(days=730)),
            "trend": lambda: build_trend(session, today),
            "stats_year": lambda: build_statistics(
                session, dt.date(year, 1, 1), dt.date(year, 12, 31)
            ),
            "overdue_page": overdue,
        }
        if args.once:
            name, rule, times = args.once
            session.info[SEES_UNFINISHED] = rule == "off"
            measures[name]()  # warm, as the timed runs are
            for _ in range(int(times)):
                measures[name]()
                session.rollback()
            return
        print(f"{'measure':14} {'with rule':>10} {'without':>10} {'ratio':>6}")
        for name, run in measures.items():
            times = {True: [], False: []}
            run()  # warm the caches
            for _ in range(args.repeat):
                for rule in (True, False):
                    session.info[SEES_UNFINISHED] = not rule
                    start = time.perf_counter()
                    run()
                    times[rule].append(time.perf_counter() - start)
                    session.rollback()
            on, off = statistics.median(times[True]), statistics.median(times[False])
            print(f"{name:14} {on * 1000:8.1f}ms {off * 1000:8.1f}ms {on / off:6.2f}")


if __name__ == "__main__":
    main()
