"""Run a list of ``flask`` commands in one process of whichever tree is first on the path.

tests/test_office_upgrade.py runs this file with the interpreter of the virtual environment
and ``PYTHONPATH`` naming either the tree of the last single-office commit or this one, so the
same report commands are printed by the old code and by the new against one database
(``DATABASE_URL``). Starting ``flask`` once per command would cost a second each; here the
application is made once and each command is invoked through its click group as ``flask``
invokes it. Only the application factory and the command line are used: this file must work
with both trees.

    python tests/upgrade_cli.py COMMANDS.json RESULTS.json

COMMANDS.json: a list of ``{"name": ..., "args": [...]}``; RESULTS.json: for each name its
exit code, what it printed and the exception it ended with, if any. An entry
``{"name": ..., "sign_in": {"username": ..., "password": ...}}`` signs in on the sign-in page
instead (its answer's status and the session cookie it set are kept).
"""

from __future__ import annotations

import json
import sys
import time
import traceback


def main(commands_path: str, results_path: str) -> None:
    import app as package
    from app import create_app

    flask_app = create_app()
    flask_app.config["WTF_CSRF_ENABLED"] = False  # the sign-in form is posted without a page
    runner = flask_app.test_cli_runner()
    results = {"app": package.__file__}
    with open(commands_path, encoding="utf-8") as file:
        commands = json.load(file)
    for command in commands:
        if "sign_in" in command:
            client = flask_app.test_client()
            answer = client.post("/dang-nhap", data=command["sign_in"])
            cookie = client.get_cookie(flask_app.config["SESSION_COOKIE_NAME"])
            results[command["name"]] = {
                "status": answer.status_code,
                "cookie": cookie.value if cookie else None,
            }
            continue
        started = time.perf_counter()
        result = runner.invoke(args=command["args"])
        exception = None
        if result.exc_info and not issubclass(result.exc_info[0], SystemExit):
            exception = "".join(traceback.format_exception(*result.exc_info))
        results[command["name"]] = {
            "exit_code": result.exit_code,
            "output": result.output,
            "exception": exception,
            "seconds": round(time.perf_counter() - started, 3),
        }
    with open(results_path, "w", encoding="utf-8") as file:
        json.dump(results, file, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:3])
