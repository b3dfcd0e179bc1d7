"""The audit chain: every clinic's audit rows are numbered and hash-chained in write order.

hash(row) = SHA-256( prev_hash || "\\n" || canonical JSON of the row's content ), where the
content is every recorded field (time in UTC to the microsecond) and the row's number.
Writers of one chain are serialised by locking its head row (`AuditChainHead`): on
PostgreSQL with SELECT ... FOR UPDATE, on SQLite by the write lock every IMMEDIATE
transaction takes. Rows of one request are written in one INSERT (`write`)."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from .models import AuditChainHead, AuditEvent

GLOBAL = "global"  # the chain of rows without a clinic (unknown sign-ins, sign-outs)
FIELDS = (
    "clinic_id",
    "user_id",
    "username",
    "role",
    "action",
    "object_type",
    "object_code",
    "patient_code",
    "summary",
    "ip",
    "user_agent",
    "detail",
)


def chain_key(clinic_id) -> str:
    return str(clinic_id) if clinic_id is not None else GLOBAL


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def content(event: AuditEvent) -> str:
    data = {f: getattr(event, f) for f in FIELDS}
    data["patient_code"] = str(data["patient_code"]) if data["patient_code"] else None
    data["at"] = _at(event.at)
    data["seq"] = event.seq
    return json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def digest(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content(event)}".encode()).hexdigest()


def _normalise(event: AuditEvent) -> None:
    """Make the in-memory row what the database will give back, so the hash is
    reproducible: the detail through a JSON round trip, the time in UTC, to the µs."""
    event.detail = json.loads(json.dumps(event.detail or {}, cls=DjangoJSONEncoder))
    event.at = event.at.astimezone(dt.UTC)


def _take(key: str, n: int) -> tuple[int, str]:
    """Reserve `n` places at the end of chain `key`: (the last number, the last hash) before
    them. The UPDATE locks the head row until the transaction ends (PostgreSQL's row lock;
    SQLite's write lock), so writers of one chain follow each other."""
    table = AuditChainHead._meta.db_table
    sql = f"UPDATE {table} SET seq = seq + %s WHERE key = %s RETURNING seq, hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [n, key])
        row = cursor.fetchone()
        if row is None:  # the chain's first row: make its head, then take it
            AuditChainHead.objects.bulk_create([AuditChainHead(key=key)], ignore_conflicts=True)
            cursor.execute(sql, [n, key])
            row = cursor.fetchone()
    return row[0] - n, row[1]


def write(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain and insert `events` (in their order) in one transaction and one INSERT:
    three statements in all for one clinic (take the head, insert, set the head's hash)."""
    if not events:
        return events
    with transaction.atomic(savepoint=False):
        by_chain: dict[str, list[AuditEvent]] = {}
        for event in events:
            _normalise(event)
            by_chain.setdefault(chain_key(event.clinic_id), []).append(event)
        heads = {}
        for key in sorted(by_chain):  # always the same order: no deadlock between chains
            seq, last = _take(key, len(by_chain[key]))
            for event in by_chain[key]:
                seq += 1
                event.seq, event.prev_hash = seq, last
                event.hash = last = digest(last, event)
            heads[key] = last
        AuditEvent.objects.bulk_create(events)
        for key, last in heads.items():
            AuditChainHead.objects.filter(key=key).update(hash=last)
    return events


@dataclass
class Break:
    chain: str
    seq: int | None
    problem: str

    def as_dict(self) -> dict:
        return {"chain": self.chain, "seq": self.seq, "problem": self.problem}


def _rows(key: str) -> Iterator[AuditEvent]:
    rows = AuditEvent.objects.order_by("seq")
    rows = rows.filter(clinic__isnull=True) if key == GLOBAL else rows.filter(clinic_id=int(key))
    return rows.iterator(chunk_size=5000)


def verify_chain(key: str) -> tuple[int, Break | None]:
    """Walk one chain from its first row: (rows checked, the first broken link or None)."""
    expected_seq, prev, count = 1, "", 0
    for event in _rows(key):
        count += 1
        if event.seq is None:
            return count, Break(key, None, "a row has no place in the chain")
        if event.seq != expected_seq:
            problem = (
                f"rows {expected_seq} to {event.seq - 1} are missing"
                if event.seq > expected_seq
                else f"row {event.seq} appears twice"
            )
            return count, Break(key, expected_seq, problem)
        if event.prev_hash != prev:
            return count, Break(key, event.seq, "the link to the previous row does not match")
        if digest(prev, event) != event.hash:
            return count, Break(key, event.seq, "the row was changed after it was written")
        prev, expected_seq = event.hash, expected_seq + 1
    head = AuditChainHead.objects.filter(key=key).first()
    last = expected_seq - 1
    if head is None and last:
        return count, Break(key, last, "the chain's head is missing")
    if head is not None and head.seq > last:
        return count, Break(key, last + 1, f"rows {last + 1} to {head.seq} are missing at the end")
    if head is not None and (head.seq != last or head.hash != prev):
        return count, Break(key, head.seq + 1, "rows were added past the chain's head")
    return count, None


def chain_keys(only: Iterable[str] | None = None) -> list[str]:
    keys = set(AuditChainHead.objects.values_list("key", flat=True))
    if AuditEvent.objects.filter(clinic__isnull=True).exists():
        keys.add(GLOBAL)
    keys |= {
        chain_key(c) for c in AuditEvent.objects.values_list("clinic_id", flat=True).distinct()
    }
    if only is not None:
        keys &= set(only)
    return sorted(keys)
