"""Volunteers, events and sign-ups: the tables created by migrations 0001-0003."""

from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Optional

import psycopg2.errors
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

router = APIRouter()


class VolunteerIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., min_length=3, max_length=320)
    phone: Optional[str] = Field(None, max_length=40)


class EventIn(BaseModel):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime
    location: Optional[str] = Field(None, max_length=200)
    capacity: Optional[int] = Field(None, ge=1)


class SignupIn(BaseModel):
    volunteer_id: int
    role: Optional[str] = Field(None, max_length=100)


def _rows(cur) -> List[Dict[str, object]]:
    names = [column.name for column in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _db(request: Request):
    return request.app.state.db


@router.get("/volunteers")
def list_volunteers(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    with _db(request).transaction() as cur:
        cur.execute(
            "SELECT id, name, email, phone, created_at FROM volunteers ORDER BY id LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return _rows(cur)


@router.post("/volunteers", status_code=201)
def create_volunteer(request: Request, volunteer: VolunteerIn):
    if "@" not in volunteer.email.strip(" @"):
        raise HTTPException(422, "email must look like name@example.org")
    try:
        with _db(request).transaction() as cur:
            cur.execute(
                "INSERT INTO volunteers (name, email, phone) VALUES (%s, %s, %s)"
                " RETURNING id, name, email, phone, created_at",
                (volunteer.name.strip(), volunteer.email.strip(), volunteer.phone),
            )
            return _rows(cur)[0]
    except psycopg2.errors.UniqueViolation:
        raise HTTPException(409, "a volunteer with this email already exists") from None


@router.get("/events")
def list_events(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    with _db(request).transaction() as cur:
        cur.execute(
            "SELECT e.id, e.title, e.starts_at, e.ends_at, e.location, e.capacity, count(s.id) AS signup_count"
            " FROM events e LEFT JOIN signups s ON s.event_id = e.id"
            " GROUP BY e.id ORDER BY e.starts_at, e.id LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return _rows(cur)


@router.post("/events", status_code=201)
def create_event(request: Request, event: EventIn):
    if event.ends_at <= event.starts_at:
        raise HTTPException(422, "ends_at must be after starts_at")
    with _db(request).transaction() as cur:
        cur.execute(
            "INSERT INTO events (title, starts_at, ends_at, location, capacity) VALUES (%s, %s, %s, %s, %s)"
            " RETURNING id, title, starts_at, ends_at, location, capacity",
            (event.title.strip(), event.starts_at, event.ends_at, event.location, event.capacity),
        )
        return _rows(cur)[0]


@router.post("/events/{event_id}/signups", status_code=201)
def sign_up(request: Request, event_id: int, signup: SignupIn):
    with _db(request).transaction() as cur:
        # Row lock on the event serialises concurrent sign-ups, so capacity cannot be overshot.
        cur.execute("SELECT capacity FROM events WHERE id = %s FOR UPDATE", (event_id,))
        event = cur.fetchone()
        if event is None:
            raise HTTPException(404, f"event {event_id} not found")
        cur.execute("SELECT 1 FROM volunteers WHERE id = %s", (signup.volunteer_id,))
        if cur.fetchone() is None:
            raise HTTPException(404, f"volunteer {signup.volunteer_id} not found")
        cur.execute(
            "SELECT 1 FROM signups WHERE volunteer_id = %s AND event_id = %s", (signup.volunteer_id, event_id)
        )
        if cur.fetchone() is not None:
            raise HTTPException(409, "volunteer is already signed up for this event")
        capacity = event[0]
        if capacity is not None:
            cur.execute("SELECT count(*) FROM signups WHERE event_id = %s", (event_id,))
            if cur.fetchone()[0] >= capacity:
                raise HTTPException(409, "event is full")
        cur.execute(
            "INSERT INTO signups (volunteer_id, event_id, role) VALUES (%s, %s, %s)"
            " ON CONFLICT (volunteer_id, event_id) DO NOTHING"
            " RETURNING id, volunteer_id, event_id, role, created_at",
            (signup.volunteer_id, event_id, signup.role),
        )
        rows = _rows(cur)
        if not rows:  # the unique constraint caught a concurrent duplicate
            raise HTTPException(409, "volunteer is already signed up for this event")
        return rows[0]


@router.get("/events/{event_id}/signups")
def list_signups(request: Request, event_id: int):
    with _db(request).transaction() as cur:
        cur.execute("SELECT 1 FROM events WHERE id = %s", (event_id,))
        if cur.fetchone() is None:
            raise HTTPException(404, f"event {event_id} not found")
        cur.execute(
            "SELECT s.id, s.volunteer_id, v.name AS volunteer_name, s.role, s.created_at"
            " FROM signups s JOIN volunteers v ON v.id = s.volunteer_id"
            " WHERE s.event_id = %s ORDER BY s.id",
            (event_id,),
        )
        return _rows(cur)
