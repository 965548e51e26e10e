"""What reports contributes to the access layer (schools.access): report jobs and the rule of report access."""


def may_have_report(user, job) -> bool:
    """A report job's file is the user's to download (or restart) while they may still build that report
    (reports.services.may_build: the one rule, checked when ordering, when running and when downloading)."""
    from reports.services import may_build

    return may_build(user, job.kind, job.params)


def own_jobs(user):
    """The report jobs a user sees: the ones they ordered."""
    from reports.models import ReportJob

    return ReportJob.objects.filter(requester=user)


def contribute() -> None:
    from reports.models import ReportJob
    from schools.access import register_records, register_rule

    register_records(ReportJob, visible=own_jobs)
    register_rule("report.download", may_have_report)
