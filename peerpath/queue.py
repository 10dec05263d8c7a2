"""Queue names, job defaults and enqueueing by dotted name, so tenants/ never imports worker/.

Jobs take ids only (trust slug + row id): Redis and its logs must never hold personal or
health data.
"""

from __future__ import annotations

from flask import current_app
from rq import Queue, Retry

NOTIFICATIONS = "notifications"
DEFAULT = "default"
QUEUES = (NOTIFICATIONS, DEFAULT)

JOB_DEFAULTS = {
    "job_timeout": 120,
    "result_ttl": 3600,
    "failure_ttl": 7 * 24 * 3600,
    "ttl": 24 * 3600,
}
RETRY = Retry(max=5, interval=[10, 30, 120, 600, 1800])


def get_queue(name: str = DEFAULT, connection=None) -> Queue:
    return Queue(name, connection=connection or current_app.extensions["redis"])


def enqueue(func_path: str, *args, queue: str = DEFAULT, job_id: str | None = None,
            connection=None, retry: Retry | None = RETRY, unique: bool = False,
            job_options: dict | None = None, **kwargs):
    """Enqueue `func_path` (e.g. "worker.jobs.send_outbox_row") with plain-id arguments.

    `unique` refuses a second job with the same id (rq's DuplicateJobError); `job_options`
    overrides JOB_DEFAULTS for this job.
    """
    for arg in (*args, *kwargs.values()):
        if not isinstance(arg, str | int | None):
            raise TypeError("jobs take ids (str/int) only, never objects or personal data")
    return get_queue(queue, connection).enqueue(
        func_path, args=args, kwargs=kwargs, job_id=job_id, retry=retry, unique=unique,
        **{**JOB_DEFAULTS, **(job_options or {})})
