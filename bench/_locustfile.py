"""The locust user of bench/_load.py: one visitor, who picks each next page from the mix in
PEERPATH_LOAD_MIX, with that page's cookie (a signed-in applicant or coordinator) or none,
and keeps no cookies of its own between pages."""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, constant, task

MIX = json.loads(os.environ.get("PEERPATH_LOAD_MIX", "[]"))


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def visit(self) -> None:
        _weight, path, cookie = random.choices(MIX, [weight for weight, *_ in MIX])[0]
        self.client.cookiejar.clear()
        with self.client.get(path, headers={"Cookie": cookie} if cookie else {},
                             name=path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
