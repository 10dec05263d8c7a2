"""Retention policy and the retention run (the scheduled job calls `run_retention`)."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants.audit.service import record
from tenants.retention import registry
from tenants.retention.models import RetentionRule, RetentionRun

log = logging.getLogger("peerpath.retention")

MAX_MONTHS = 240


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return dt.date(year, month_index + 1, min(day.day, last_day))


@dataclass(frozen=True)
class RetentionPolicy:
    months: dict[str, int | None]

    def cutoff(self, category: str, today: dt.date) -> dt.date | None:
        """Records of `category` whose reference date is before this are past retention;
        None when the trust keeps them."""
        months = self.months.get(category)
        return None if months is None else months_before(today, months)


def policy(session: Session) -> RetentionPolicy:
    months = {key: c.default_months for key, c in registry.CATEGORIES.items()}
    months.update({r.category: r.months for r in session.scalars(select(RetentionRule))})
    return RetentionPolicy(months)


def save_policy(session: Session, months: dict[str, int | None], *, actor: str) -> None:
    current = {r.category: r for r in session.scalars(select(RetentionRule))}
    changed = {}
    for category, value in months.items():
        if category not in registry.CATEGORIES:
            raise ValueError(f"unknown retention category {category!r}")
        rule = current.get(category)
        if rule is None:
            session.add(RetentionRule(category=category, months=value, updated_by=actor))
        elif rule.months != value:
            rule.months, rule.updated_by, rule.updated_at = value, actor, func.now()
        else:
            continue
        changed[category] = value
    if changed:
        record("retention.policy_changed", "retention_policy", None, actor=actor,
               detail={"months": changed}, session=session)
    session.commit()


def default_rules(session: Session, tenant) -> None:
    """Onboarding step: the default periods, written down so later code changes to the
    defaults do not silently change a trust's policy."""
    for category in registry.CATEGORIES.values():
        session.add(RetentionRule(category=category.key, months=category.default_months,
                                  updated_by="onboarding"))


def run_retention(session: Session, *, today: dt.date | None = None, trigger: str = "schedule",
                  actor: str = "system") -> RetentionRun:
    """Run every registered anonymiser once, each in a savepoint, and log the run."""
    started = dt.datetime.now(dt.UTC)
    today = today or started.date()
    current = policy(session)
    counts, errors = {}, {}
    for name, anonymise in sorted(registry.ANONYMISERS.items()):
        try:
            with session.begin_nested():
                counts[name] = dict(anonymise(session, current, today) or {})
        except Exception as exc:  # one domain's failure must not stop the others
            errors[name] = type(exc).__name__
            log.warning("anonymiser failed", extra={"event": name, "result": errors[name]})
    status = "failed" if errors and not counts else ("partial" if errors else "ok")
    run = RetentionRun(started_at=started, trigger=trigger, actor=actor, status=status,
                       counts=counts, errors=errors)
    session.add(run)
    record("retention.run", "retention_run", None, actor=actor,
           detail={"status": status, "trigger": trigger}, session=session)
    session.commit()
    log.info("retention run", extra={"event": trigger, "result": status,
                                     "count": sum(sum(c.values()) for c in counts.values())})
    return run


def recent_runs(session: Session, limit: int = 10) -> list[RetentionRun]:
    return list(session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())
                                .limit(limit)))
