"""The migrate action's questions to Alembic, answered in one Python process (src/alembic/alembic-driver.ts).

Each `alembic` command costs a Python start-up plus the import of Alembic and SQLAlchemy (about a second on a
runner); the action asks several (history, current, the offline SQL, current again after the upgrade). This
driver is started once with the same interpreter as the project's `alembic` and answers them through Alembic's
own API, exactly as the commands would: a fresh Config per request built by Alembic's own argument parser (so
`-x`, `-n` and `--raiseerr` from the `alembic` input apply), env.py run anew each time, Alembic's failures
reported as the command line reports them (`FAILED: ...` and exit code 255 for a CommandError, the traceback and
exit code 1 otherwise, a `sys.exit` message as it would print).

Usage: python alembic_driver.py <sys.path[0]> <alembic global arguments, e.g. -c alembic.ini -x a=b>
Requests: one JSON object per line on stdin, {"command": "history" | "current" | "sql", "range": "a:b"}.
Answers: one JSON object per line on file descriptor 3 (stdout stays what env.py may print to),
{"code": int, "stdout": str, "stderr": str, "result": ...}; first {"ready": true, "alembic": "<version>"}.
"""

import io
import json
import os
import sys
import traceback


def main() -> int:
    answers = os.fdopen(3, "w", encoding="utf-8")
    os.set_inheritable(3, False)  # not for programs env.py might start
    # As `alembic` would have it: the console script's directory, or the working directory for `python -m alembic`.
    sys.path[0] = sys.argv[1]
    global_args = sys.argv[2:]
    try:
        import alembic
        from alembic import command, util
        from alembic.config import CommandLine, Config
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory
    except Exception as error:  # not this interpreter's package: the caller runs the alembic command instead
        answers.write(json.dumps({"ready": False, "error": "%s: %s" % (type(error).__name__, error)}) + "\n")
        answers.flush()
        return 3

    parser = CommandLine(prog="alembic").parser

    def script_of(config):
        return ScriptDirectory.from_config(config)

    def run_env(config, script, fn):
        with EnvironmentContext(config, script, fn=fn, dont_mutate=True):
            script.run_env()

    def history(config, request):
        # `alembic history`: the revisions from the heads down to the base, heads marked.
        script = script_of(config)
        if util.asbool(config.get_main_option("revision_environment")):
            run_env(config, script, lambda rev, context: [])  # as `alembic history` does with this option
        revisions = []
        for sc in script.walk_revisions(base="base", head="heads"):
            down = sc.down_revision
            down = [] if down is None else [down] if isinstance(down, str) else list(down)
            doc = (sc.doc or "").strip().split("\n")[0].strip()
            revisions.append({"id": sc.revision, "down": down, "message": doc, "head": bool(sc.is_head)})
        return revisions

    def current(config, request):
        # `alembic current`: env.py runs online, and the revisions the database is at are resolved as it does.
        script = script_of(config)
        found = []

        def collect(rev, context):
            resolve = getattr(script, "get_all_current", None) or script.get_revisions
            for sc in resolve(rev):
                if sc is not None and sc.revision not in found:
                    found.append(sc.revision)
            return []

        run_env(config, script, collect)
        return found

    def sql(config, request):
        # `alembic upgrade <range> --sql`: the SQL goes to the captured stdout, as the command prints it.
        command.upgrade(config, request["range"], sql=True)
        return None

    def upgrade(config, request):
        # `alembic upgrade <target>`, its sessions named PGAPPNAME=<appname> (libpq reads it at each connect), its
        # log lines on the real stderr as they come (the caller streams them) as well as in the answer.
        saved = os.environ.get("PGAPPNAME")
        if request.get("appname"):
            os.environ["PGAPPNAME"] = request["appname"]
        try:
            command.upgrade(config, request["target"])
        finally:
            if saved is None:
                os.environ.pop("PGAPPNAME", None)
            else:
                os.environ["PGAPPNAME"] = saved
        return None

    handlers = {
        "history": (history, ["history"]),
        "current": (current, ["current"]),
        "sql": (sql, None),
        "upgrade": (upgrade, None),
    }

    answers.write(json.dumps({"ready": True, "alembic": getattr(alembic, "__version__", "?")}) + "\n")
    answers.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        fn, args = handlers[request["command"]]
        if args is None:
            args = ["upgrade", request["range"], "--sql"] if "range" in request else ["upgrade", request["target"]]
        live = request["command"] == "upgrade"
        answers.write(json.dumps(answer(fn, parser, global_args + args, request, Config, util, live)) + "\n")
        answers.flush()
    return 0


class Capture(io.TextIOWrapper):
    """A text stream with an encoding (Alembic's messages encode to the stream's), kept in memory."""

    def __init__(self):
        super().__init__(io.BytesIO(), encoding="utf-8", errors="replace", newline="\n", write_through=True)

    def text(self):
        self.flush()
        return self.buffer.getvalue().decode("utf-8", "replace")


class Tee(Capture):
    """Captured, and written through to a real stream as it comes."""

    def __init__(self, through):
        super().__init__()
        self.through = through

    def write(self, text):
        self.through.write(text)
        self.through.flush()
        return super().write(text)


def answer(fn, parser, argv, request, Config, util, live=False):
    out, err = Capture(), (Tee(sys.stderr) if live else Capture())
    saved = sys.stdout, sys.stderr
    # env.py's logging (fileConfig with `args = (sys.stderr,)`) binds to these while it runs.
    sys.stdout, sys.stderr = out, err
    code, result = 0, None
    try:
        options = parser.parse_args(argv)
        config = Config(
            file_=options.config, ini_section=options.name, cmd_opts=options, output_buffer=out, stdout=out
        )
        try:
            result = fn(config, request)
        except util.CommandError as error:
            if options.raiseerr:
                raise
            util.err(str(error))  # logs it, prints FAILED: ..., exits -1: as the command line does
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code & 0xFF
        else:
            err.write("%s\n" % stop.code)
            code = 1
    except KeyboardInterrupt:
        raise  # cancelled: Python unwinds (rolling back what env.py began) and the driver ends
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout, sys.stderr = saved
    return {"code": code, "stdout": out.text(), "stderr": err.text(), "result": result if code == 0 else None}


if __name__ == "__main__":
    code = main()
    # The driver only answered questions (env.py opened and closed its connections per request), so nothing is
    # left for the interpreter's own shutdown to do but tear down Alembic, SQLAlchemy and the app's modules, and
    # the action waits for this process before it ends: that teardown took 0.3-0.6 s, more than the questions.
    # Flushed first, then left at once.
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
