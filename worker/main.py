"""`peerpath worker`: a forking RQ worker with its scheduler."""

from __future__ import annotations

import logging

from rq import Worker

from peerpath.queue import QUEUES
from worker.app import get_app


def run(queues=QUEUES, burst: bool = False, with_scheduler: bool = True) -> bool:
    app = get_app()
    connection = app.extensions["redis"]
    worker = Worker(list(queues), connection=connection)
    logging.getLogger("peerpath.worker").info("worker starting", extra={"event": worker.name})
    return worker.work(with_scheduler=with_scheduler, burst=burst, logging_level="INFO")
