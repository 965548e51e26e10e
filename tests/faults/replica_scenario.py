"""The read-replica scenario, run by tests/faults/test_read_replica.py in a process of its own with
production settings: DATABASE_URL names a throwaway primary, DATABASE_REPLICA_URL its streaming
standby (core/db_router.py). Prints one JSON object of what it saw; the test judges it.

1. A small world is written (on the primary) and the standby is waited for.
2. The regional methodist's registry export (a report job, built eagerly) is counted.
3. The standby's replay is paused; a route is written on the primary; the next export is counted:
   it must not see the route (its reads come from the standby), while its job is still recorded
   as done (its writes went to the primary: the standby refuses writes).
4. Replay resumes; once the standby's replay LSN reaches the primary's, the next export sees it.

With `--standby-down` (the test has stopped the standby): one more export, read from the primary.
"""

import csv
import io
import json
import sys
import time


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections

    from reports import services
    from reports.models import ReportJob
    from routes.models import Route
    from tests.routes.factories import RouteFactory
    from tests.world import World

    primary, standby = connections["default"], connections["replica"]

    def standby_sql(sql):
        with standby.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def caught_up():
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with standby.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return True
            time.sleep(0.05)
        return False

    def export_rows(user) -> tuple[int, str]:
        job = services.report_job_create(user=user, kind="registry", fmt="csv", params={"filters": {}})
        job = ReportJob.objects.get(pk=job.pk)  # eager: built when the order committed
        if job.status != ReportJob.Status.DONE:
            return -1, f"{job.status}: {job.error}"
        with job.file.open("rb") as handle:
            text = handle.read().decode("utf-8-sig")
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=";") if r]
        return len(rows) - 1, job.status  # less the header

    if "--standby-down" in sys.argv:
        from core.db_router import replica_answers

        seen = {"replica_answers": replica_answers()}
        seen["rows"], seen["status"] = export_rows(get_user_model().objects.get(username="regional"))
        print(json.dumps(seen))
        return
    seen = {"standby_in_recovery": standby_sql("SELECT pg_is_in_recovery()")}
    world = World()
    RouteFactory(person=world.teacher_staff, status="in_progress")
    user = world.user("regional_methodist")
    seen["seeded_replayed"] = caught_up()
    seen["first"], seen["first_status"] = export_rows(user)

    standby_sql("SELECT pg_wal_replay_pause()::text")
    seen["pause_state"] = standby_sql("SELECT pg_get_wal_replay_pause_state()")
    RouteFactory(person=world.colleague, status="in_progress")
    seen["on_primary"] = Route.objects.count()  # outside reading_from_replica(): the primary
    seen["while_paused"], seen["while_paused_status"] = export_rows(user)

    standby_sql("SELECT pg_wal_replay_resume()::text")
    seen["replayed"] = caught_up()
    seen["after_replay"], seen["after_replay_status"] = export_rows(user)
    seen["jobs_on_primary"] = ReportJob.objects.filter(status=ReportJob.Status.DONE).count()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
    sys.exit(0)
