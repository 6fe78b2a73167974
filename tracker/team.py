"""Team work on a call: assign it to a colleague to review (they answer "I'll look" or "not
for us"), comment with @mentions, follow it. The emails are tracker.team_mail's."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from tracker.models import Assignment, Comment, Follow, User, utcnow

ANSWERS = {"look": "looking", "decline": "declined"}
ASSIGNMENT_STATES = {"asked": "asked to review", "looking": "looking at it", "declined": "not for us"}
_MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")
MAX_COMMENT = 5000


class TeamError(ValueError):
    """A request the team functions cannot do; the message says why."""


def _staff(session: Session, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or user.role not in ("staff", "admin"):
        raise TeamError("Choose a colleague who can work on bids (staff or admin)")
    return user


def assign(session: Session, opportunity_id: int, assignee_id: int | None, by: User, need_id: str | None = None,
           note: str = "") -> Assignment:
    assignee = _staff(session, assignee_id)
    row = Assignment(opportunity_id=opportunity_id, need_id=need_id or None, assignee_id=assignee.id,
                     assigned_by_id=by.id, note=note.strip())
    session.add(row)
    session.flush()
    return row


def answer(session: Session, assignment: Assignment, action: str, user: User) -> Assignment:
    """The assignee answers; anyone else may not. Answering again changes the answer."""
    if action not in ANSWERS:
        raise TeamError("Answer 'I'll look' or 'not for us'")
    if assignment.assignee_id != user.id:
        raise TeamError("Only the person asked can answer")
    assignment.status, assignment.answered_at = ANSWERS[action], utcnow()
    session.add(assignment)
    session.flush()
    return assignment


def mentioned_users(session: Session, body: str, author: User) -> list[User]:
    """Active users named as @local-part or @full@address in the text (the author excepted)."""
    names = {m.lower() for m in _MENTION.findall(body)}
    if not names:
        return []
    found = []
    for user in session.exec(select(User).where(col(User.active).is_(True)).order_by(User.id)):
        email = user.email.lower()
        if user.id != author.id and (email in names or email.partition("@")[0] in names):
            found.append(user)
    return found


def add_comment(session: Session, opportunity_id: int, author: User, body: str,
                bid_id: int | None = None) -> tuple[Comment, list[User]]:
    text = body.strip()
    if not text:
        raise TeamError("Write a comment first")
    if len(text) > MAX_COMMENT:
        raise TeamError(f"A comment is at most {MAX_COMMENT:,} characters")
    people = mentioned_users(session, text, author)
    comment = Comment(opportunity_id=opportunity_id, bid_id=bid_id, user_id=author.id, body=text,
                      mentioned=[u.id for u in people])
    session.add(comment)
    session.flush()
    return comment, people


def set_follow(session: Session, user: User, opportunity_id: int, follow: bool) -> bool:
    row = session.get(Follow, (user.id, opportunity_id))
    if follow and row is None:
        session.add(Follow(user_id=user.id, opportunity_id=opportunity_id))
    elif not follow and row is not None:
        session.delete(row)
    session.flush()
    return follow


def followed_ids(session: Session, user_id: int) -> list[int]:
    return list(session.exec(select(Follow.opportunity_id).where(Follow.user_id == user_id)))


def call_team(session: Session, opportunity_id: int) -> dict:
    """What the call page shows: assignments, comments (oldest first), followers' ids."""
    return {
        "assignments": list(session.exec(select(Assignment).where(Assignment.opportunity_id == opportunity_id)
                                         .order_by(col(Assignment.created_at).desc(), col(Assignment.id).desc()))),
        "comments": list(session.exec(select(Comment).where(Comment.opportunity_id == opportunity_id)
                                      .order_by(col(Comment.created_at), col(Comment.id)))),
        "followers": set(session.exec(select(Follow.user_id).where(Follow.opportunity_id == opportunity_id))),
    }
